import type { ProviderEntry } from '../types.js';
import { mistral } from './openai-compatible-clouds.js';

/**
 * Model labs' own OpenAI-compatible endpoints. Several duplicate a native
 * entry (Gemini, Anthropic, Cohere): those keep `envKeys` empty so env
 * discovery registers the native one, and are chosen by id when a client
 * wants the vendor's own OpenAI mapping rather than ours.
 */

export const geminiOpenAI: ProviderEntry = {
  id: 'gemini-openai',
  name: 'Google Gemini (OpenAI compatibility)',
  protocol: 'openai',
  baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
  auth: { kind: 'bearer' },
  envKeys: [],
  keyRequired: true,
  litellmPrefixes: [],
  pricingProviderId: 'google',
  docsUrl: 'https://ai.google.dev/gemini-api/docs/openai',
  models: [{ id: 'gemini-2.5-flash', contextWindow: 1_048_576, tools: true, vision: true }, { id: 'gemini-embedding-001', mode: 'embedding' }],
};

export const anthropicOpenAI: ProviderEntry = {
  id: 'anthropic-openai',
  name: 'Anthropic (OpenAI SDK compatibility)',
  protocol: 'openai',
  baseUrl: 'https://api.anthropic.com/v1',
  auth: { kind: 'bearer' },
  envKeys: [],
  keyRequired: true,
  // Anthropic's compatibility layer documents these as ignored or rejected.
  quirks: { unsupportedParams: ['logprobs', 'top_logprobs', 'logit_bias', 'presence_penalty', 'frequency_penalty', 'seed'], maxN: 1 },
  litellmPrefixes: [],
  pricingProviderId: 'anthropic',
  docsUrl: 'https://docs.anthropic.com/en/api/openai-sdk',
  endpoints: ['chat'],
  models: [{ id: 'claude-sonnet-4-5-20250929', contextWindow: 200_000, tools: true, vision: true }],
};

export const cohereCompat: ProviderEntry = {
  id: 'cohere-compat',
  name: 'Cohere (Compatibility API)',
  protocol: 'openai',
  baseUrl: 'https://api.cohere.ai/compatibility/v1',
  auth: { kind: 'bearer' },
  envKeys: [],
  keyRequired: true,
  litellmPrefixes: [],
  pricingProviderId: 'cohere',
  docsUrl: 'https://docs.cohere.com/docs/compatibility-api',
  models: [{ id: 'command-a-03-2025', tools: true }, { id: 'embed-v4.0', mode: 'embedding' }],
};

/** Codestral's own endpoint and key (Mistral's codestral.mistral.ai), with Mistral's rules. */
export const codestral: ProviderEntry = {
  id: 'codestral',
  name: 'Mistral Codestral',
  protocol: 'openai',
  baseUrl: 'https://codestral.mistral.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['CODESTRAL_API_KEY'],
  envBaseUrl: ['CODESTRAL_API_BASE'],
  keyRequired: true,
  quirks: mistral.quirks,
  litellmPrefixes: ['codestral'],
  pricingProviderId: 'mistral',
  docsUrl: 'https://docs.mistral.ai/capabilities/code_generation/',
  models: [{ id: 'codestral-latest', tools: true }],
};

export const metaLlama: ProviderEntry = {
  id: 'meta-llama',
  name: 'Llama API (Meta)',
  protocol: 'openai',
  baseUrl: 'https://api.llama.com/compat/v1',
  auth: { kind: 'bearer' },
  envKeys: ['LLAMA_API_KEY'],
  envBaseUrl: ['LLAMA_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['meta_llama'],
  docsUrl: 'https://llama.developer.meta.com/docs/features/compatibility',
  endpoints: ['chat'],
  models: [{ id: 'Llama-4-Maverick-17B-128E-Instruct-FP8', tools: true, vision: true }],
};

export const ai21: ProviderEntry = {
  id: 'ai21',
  name: 'AI21 Labs (Jamba)',
  protocol: 'openai',
  baseUrl: 'https://api.ai21.com/studio/v1',
  auth: { kind: 'bearer' },
  envKeys: ['AI21_API_KEY'],
  envBaseUrl: ['AI21_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['ai21_chat'],
  docsUrl: 'https://docs.ai21.com/reference/jamba-1-6-api-ref',
  endpoints: ['chat'],
  models: [{ id: 'jamba-large', contextWindow: 256_000, tools: true }, { id: 'jamba-mini', contextWindow: 256_000, tools: true }],
};

export const reka: ProviderEntry = {
  id: 'reka',
  name: 'Reka',
  protocol: 'openai',
  baseUrl: 'https://api.reka.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['REKA_API_KEY'],
  envBaseUrl: ['REKA_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['reka'],
  docsUrl: 'https://docs.reka.ai/chat/overview',
  endpoints: ['chat'],
  models: [{ id: 'reka-flash-3', contextWindow: 64_000 }],
};

export const upstage: ProviderEntry = {
  id: 'upstage',
  name: 'Upstage (Solar)',
  protocol: 'openai',
  baseUrl: 'https://api.upstage.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['UPSTAGE_API_KEY'],
  envBaseUrl: ['UPSTAGE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://console.upstage.ai/docs/capabilities/generate/chat',
  models: [{ id: 'solar-pro2', tools: true }, { id: 'embedding-query', mode: 'embedding' }],
};

export const inception: ProviderEntry = {
  id: 'inception',
  name: 'Inception Labs (Mercury)',
  protocol: 'openai',
  baseUrl: 'https://api.inceptionlabs.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['INCEPTION_API_KEY'],
  envBaseUrl: ['INCEPTION_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['inception'],
  docsUrl: 'https://docs.inceptionlabs.ai/',
  endpoints: ['chat'],
  models: [{ id: 'mercury-2', contextWindow: 128_000, tools: true }],
};

/** Jina AI: embeddings on the OpenAI wire format, and its `/rerank` route (the OpenAI protocol's rerank speaks it). */
export const jina: ProviderEntry = {
  id: 'jina',
  name: 'Jina AI (embeddings, rerank)',
  protocol: 'openai',
  baseUrl: 'https://api.jina.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['JINA_API_KEY', 'JINA_AI_API_KEY'],
  envBaseUrl: ['JINA_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['jina_ai'],
  docsUrl: 'https://jina.ai/embeddings/',
  endpoints: ['embeddings', 'rerank'],
  models: [{ id: 'jina-embeddings-v3', mode: 'embedding', contextWindow: 8_192 }],
};

/** Voyage AI embeddings: OpenAI's shape, but the size field is `output_dimension`. */
export const voyage: ProviderEntry = {
  id: 'voyage',
  name: 'Voyage AI (embeddings)',
  protocol: 'openai',
  baseUrl: 'https://api.voyageai.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['VOYAGE_API_KEY'],
  envBaseUrl: ['VOYAGE_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { dimensions: 'output_dimension' } },
  litellmPrefixes: ['voyage'],
  pricingProviderId: 'voyageai',
  docsUrl: 'https://docs.voyageai.com/reference/embeddings-api',
  endpoints: ['embeddings'],
  models: [{ id: 'voyage-3.5', mode: 'embedding', contextWindow: 32_000 }, { id: 'voyage-3.5-lite', mode: 'embedding', contextWindow: 32_000 }],
};

/** Sarvam AI: OpenAI-shaped chat, but the key travels in `api-subscription-key`. */
export const sarvam: ProviderEntry = {
  id: 'sarvam',
  name: 'Sarvam AI',
  protocol: 'openai',
  baseUrl: 'https://api.sarvam.ai/v1',
  auth: { kind: 'header', name: 'api-subscription-key' },
  envKeys: ['SARVAM_API_KEY'],
  envBaseUrl: ['SARVAM_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['sarvam'],
  docsUrl: 'https://docs.sarvam.ai/api-reference-docs/chat/completions',
  endpoints: ['chat'],
  models: [{ id: 'sarvam-m' }],
};

export const aiml: ProviderEntry = {
  id: 'aiml',
  name: 'AI/ML API',
  protocol: 'openai',
  baseUrl: 'https://api.aimlapi.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['AIML_API_KEY'],
  envBaseUrl: ['AIML_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['aiml'],
  docsUrl: 'https://docs.aimlapi.com/',
  models: [],
};
