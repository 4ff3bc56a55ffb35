import type { ProviderEntry } from '../types.js';

/**
 * Hosted providers that speak the OpenAI chat-completions wire format.
 * Quirks are listed only where the provider documents the rejection; anything
 * unsure stays supported and the upstream's own 400 reaches the client.
 */

export const deepseek: ProviderEntry = {
  id: 'deepseek',
  name: 'DeepSeek',
  protocol: 'openai',
  baseUrl: 'https://api.deepseek.com',
  auth: { kind: 'bearer' },
  envKeys: ['DEEPSEEK_API_KEY'],
  envBaseUrl: ['DEEPSEEK_API_BASE'],
  keyRequired: true,
  // DeepSeek documents only max_tokens. Reasoning text arrives as
  // `reasoning_content`, which the OpenAI protocol reads for every provider.
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['deepseek'],
  pricingProviderId: 'deepseek',
  docsUrl: 'https://api-docs.deepseek.com/api/create-chat-completion',
  models: [
    { id: 'deepseek-chat', tools: true, vision: false },
    { id: 'deepseek-reasoner', vision: false },
  ],
};

export const groq: ProviderEntry = {
  id: 'groq',
  name: 'Groq',
  protocol: 'openai',
  baseUrl: 'https://api.groq.com/openai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['GROQ_API_KEY'],
  envBaseUrl: ['GROQ_API_BASE'],
  keyRequired: true,
  // Documented at console.groq.com/docs/openai: these fields are a 400, and n must be 1.
  quirks: { unsupportedParams: ['logprobs', 'top_logprobs', 'logit_bias'], maxN: 1 },
  litellmPrefixes: ['groq'],
  pricingProviderId: 'groq',
  docsUrl: 'https://console.groq.com/docs/openai',
  models: [
    { id: 'llama-3.3-70b-versatile', contextWindow: 131_072, maxOutputTokens: 32_768, tools: true },
    { id: 'llama-3.1-8b-instant', contextWindow: 131_072, tools: true },
    { id: 'openai/gpt-oss-120b', contextWindow: 131_072, tools: true },
  ],
};

export const mistral: ProviderEntry = {
  id: 'mistral',
  name: 'Mistral AI',
  protocol: 'openai',
  baseUrl: 'https://api.mistral.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['MISTRAL_API_KEY'],
  envBaseUrl: ['MISTRAL_API_BASE'],
  keyRequired: true,
  // Mistral forbids unknown fields (422 extra_forbidden on max_completion_tokens),
  // names the sampling seed `random_seed`, and takes only 9-character
  // alphanumeric tool-call ids (other clients' ids are rewritten to fit).
  // `safe_prompt` and other Mistral fields pass through providerOptions.mistral.
  quirks: { renameParams: { max_completion_tokens: 'max_tokens', seed: 'random_seed' }, toolCallIdFormat: 'alnum9' },
  litellmPrefixes: ['mistral'],
  pricingProviderId: 'mistral',
  docsUrl: 'https://docs.mistral.ai/api/',
  models: [
    { id: 'mistral-large-latest', tools: true },
    { id: 'mistral-medium-latest', tools: true },
    { id: 'mistral-small-latest', tools: true },
    { id: 'codestral-latest', tools: true },
    { id: 'mistral-embed', mode: 'embedding' },
  ],
};

export const together: ProviderEntry = {
  id: 'together',
  name: 'Together AI',
  protocol: 'openai',
  baseUrl: 'https://api.together.xyz/v1',
  auth: { kind: 'bearer' },
  envKeys: ['TOGETHER_API_KEY', 'TOGETHERAI_API_KEY', 'TOGETHER_AI_API_KEY'],
  envBaseUrl: ['TOGETHER_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['together_ai'],
  pricingProviderId: 'together',
  docsUrl: 'https://docs.together.ai/docs/openai-api-compatibility',
  models: [
    { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', tools: true },
    { id: 'deepseek-ai/DeepSeek-V3', tools: true },
  ],
};

export const fireworks: ProviderEntry = {
  id: 'fireworks',
  name: 'Fireworks AI',
  protocol: 'openai',
  baseUrl: 'https://api.fireworks.ai/inference/v1',
  auth: { kind: 'bearer' },
  envKeys: ['FIREWORKS_API_KEY', 'FIREWORKS_AI_API_KEY'],
  envBaseUrl: ['FIREWORKS_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['fireworks_ai'],
  pricingProviderId: 'fireworks',
  docsUrl: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility',
  models: [{ id: 'accounts/fireworks/models/llama-v3p3-70b-instruct', tools: true }],
};

export const openrouter: ProviderEntry = {
  id: 'openrouter',
  name: 'OpenRouter',
  protocol: 'openai',
  baseUrl: 'https://openrouter.ai/api/v1',
  auth: { kind: 'bearer' },
  envKeys: ['OPENROUTER_API_KEY'],
  envBaseUrl: ['OPENROUTER_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['openrouter'],
  pricingProviderId: 'openrouter',
  docsUrl: 'https://openrouter.ai/docs/api-reference/overview',
  models: [
    { id: 'openai/gpt-4o', tools: true, vision: true },
    { id: 'anthropic/claude-sonnet-4', tools: true, vision: true },
  ],
};

export const xai: ProviderEntry = {
  id: 'xai',
  name: 'xAI',
  protocol: 'openai',
  baseUrl: 'https://api.x.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['XAI_API_KEY'],
  envBaseUrl: ['XAI_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['xai'],
  pricingProviderId: 'x-ai',
  docsUrl: 'https://docs.x.ai/docs/api-reference',
  models: [{ id: 'grok-4', tools: true }, { id: 'grok-3', tools: true }, { id: 'grok-3-mini', tools: true }],
};

export const perplexity: ProviderEntry = {
  id: 'perplexity',
  name: 'Perplexity',
  protocol: 'openai',
  // Perplexity serves /chat/completions at the root, without a version path.
  baseUrl: 'https://api.perplexity.ai',
  auth: { kind: 'bearer' },
  envKeys: ['PERPLEXITYAI_API_KEY', 'PERPLEXITY_API_KEY'],
  envBaseUrl: ['PERPLEXITY_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['perplexity'],
  pricingProviderId: 'perplexity',
  docsUrl: 'https://docs.perplexity.ai/api-reference/chat-completions-post',
  models: [{ id: 'sonar' }, { id: 'sonar-pro' }, { id: 'sonar-reasoning' }],
};

export const cerebras: ProviderEntry = {
  id: 'cerebras',
  name: 'Cerebras',
  protocol: 'openai',
  baseUrl: 'https://api.cerebras.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['CEREBRAS_API_KEY'],
  envBaseUrl: ['CEREBRAS_API_BASE'],
  keyRequired: true,
  // Cerebras' OpenAI-compatibility notes list these fields as a 400.
  quirks: {
    unsupportedParams: ['frequency_penalty', 'presence_penalty', 'logit_bias', 'parallel_tool_calls', 'service_tier'],
  },
  litellmPrefixes: ['cerebras'],
  pricingProviderId: 'cerebras',
  docsUrl: 'https://inference-docs.cerebras.ai/resources/openai',
  models: [
    { id: 'llama3.1-8b', tools: true },
    { id: 'llama-3.3-70b', tools: true },
    { id: 'gpt-oss-120b', tools: true },
    { id: 'qwen-3-32b', tools: true },
  ],
};
