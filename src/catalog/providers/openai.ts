import type { ProviderEntry } from '../types.js';

export const openai: ProviderEntry = {
  id: 'openai',
  name: 'OpenAI',
  protocol: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['OPENAI_API_KEY'],
  // The OpenAI SDK reads OPENAI_BASE_URL; LiteLLM reads OPENAI_API_BASE.
  envBaseUrl: ['OPENAI_BASE_URL', 'OPENAI_API_BASE'],
  keyRequired: true,
  // OpenAI answers 400 "Unrecognized request argument" for top_k, which Anthropic/Gemini
  // clients send routinely: reported in a warning and not sent, instead of failing the call.
  quirks: { unsupportedParams: ['top_k'] },
  litellmPrefixes: ['openai'],
  pricingProviderId: 'openai',
  docsUrl: 'https://platform.openai.com/docs/api-reference/chat',
  models: [
    { id: 'gpt-4o', reasoning: false, contextWindow: 128_000, maxOutputTokens: 16_384, vision: true, tools: true },
    { id: 'gpt-4o-mini', reasoning: false, contextWindow: 128_000, maxOutputTokens: 16_384, vision: true, tools: true },
    { id: 'gpt-4.1', reasoning: false, contextWindow: 1_047_576, maxOutputTokens: 32_768, vision: true, tools: true },
    { id: 'gpt-4.1-mini', reasoning: false, contextWindow: 1_047_576, maxOutputTokens: 32_768, vision: true, tools: true },
    { id: 'gpt-4.1-nano', reasoning: false, contextWindow: 1_047_576, maxOutputTokens: 32_768, vision: true, tools: true },
    { id: 'o3-mini', reasoning: true, contextWindow: 200_000, maxOutputTokens: 100_000, vision: false, tools: true },
    { id: 'o4-mini', reasoning: true, contextWindow: 200_000, maxOutputTokens: 100_000, vision: true, tools: true },
    { id: 'text-embedding-3-small', mode: 'embedding', contextWindow: 8_191 },
    { id: 'text-embedding-3-large', mode: 'embedding', contextWindow: 8_191 },
  ],
};
