import type { ProviderEntry } from '../types.js';
import { pathIfBare } from './normalize-base.js';

/** Google AI Studio (the Gemini Developer API), not Vertex AI. */
export const gemini: ProviderEntry = {
  id: 'gemini',
  name: 'Google Gemini (AI Studio)',
  protocol: 'gemini',
  baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  auth: { kind: 'header', name: 'x-goog-api-key' },
  envKeys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  envBaseUrl: ['GEMINI_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['gemini'],
  pricingProviderId: 'google',
  docsUrl: 'https://ai.google.dev/api/generate-content',
  normalizeApiBase: pathIfBare('/v1beta'),
  models: [
    { id: 'gemini-2.5-pro', contextWindow: 1_048_576, maxOutputTokens: 65_536, vision: true, tools: true },
    { id: 'gemini-2.5-flash', contextWindow: 1_048_576, maxOutputTokens: 65_536, vision: true, tools: true },
    { id: 'gemini-2.5-flash-lite', contextWindow: 1_048_576, maxOutputTokens: 65_536, vision: true, tools: true },
    { id: 'gemini-2.0-flash', contextWindow: 1_048_576, maxOutputTokens: 8_192, vision: true, tools: true },
    { id: 'gemini-embedding-001', mode: 'embedding', contextWindow: 2_048 },
  ],
};
