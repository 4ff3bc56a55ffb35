import type { ProviderEntry } from '../types.js';
import { trimSlash } from './normalize-base.js';

/** Cohere's API v2 (chat, embed, rerank). Routes carry their own version, so the base is the host. */
export const cohere: ProviderEntry = {
  id: 'cohere',
  name: 'Cohere',
  protocol: 'cohere',
  baseUrl: 'https://api.cohere.com',
  auth: { kind: 'bearer' },
  envKeys: ['COHERE_API_KEY', 'CO_API_KEY'],
  envBaseUrl: ['COHERE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['cohere', 'cohere_chat'],
  pricingProviderId: 'cohere',
  docsUrl: 'https://docs.cohere.com/reference/chat',
  // Configs often carry ".../v1" or ".../v2" from older SDKs; the protocol adds the version per route.
  normalizeApiBase: (url) => trimSlash(url).replace(/\/v[12]$/, ''),
  models: [
    { id: 'command-a-03-2025', contextWindow: 256_000, maxOutputTokens: 8_000, tools: true },
    { id: 'command-r-plus-08-2024', contextWindow: 128_000, maxOutputTokens: 4_000, tools: true },
    { id: 'command-r-08-2024', contextWindow: 128_000, maxOutputTokens: 4_000, tools: true },
    { id: 'command-r7b-12-2024', contextWindow: 128_000, maxOutputTokens: 4_000, tools: true },
    { id: 'embed-v4.0', mode: 'embedding', contextWindow: 128_000 },
    { id: 'embed-english-v3.0', mode: 'embedding', contextWindow: 512 },
    { id: 'embed-multilingual-v3.0', mode: 'embedding', contextWindow: 512 },
  ],
};
