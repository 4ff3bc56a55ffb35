import type { ProviderEntry } from '../types.js';
import { pathIfBare } from './normalize-base.js';

/**
 * Google Vertex AI: Gemini (Google's publisher) and Claude (Anthropic's) in a
 * Google Cloud project, one `vertex` protocol picking the publisher by model
 * name. The default base is the global host; the protocol moves to the
 * regional host of `settings.location` (default us-central1, LiteLLM's).
 *
 * The credential is a service-account key: `vertex_credentials` (JSON text
 * or a file path) or GOOGLE_APPLICATION_CREDENTIALS (a path, read as the
 * key); an `api_key` that is not JSON is taken as a ready OAuth access token.
 */
export const vertexAi: ProviderEntry = {
  id: 'vertex-ai',
  name: 'Google Vertex AI (Gemini and Claude)',
  protocol: 'vertex',
  baseUrl: 'https://aiplatform.googleapis.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['GOOGLE_APPLICATION_CREDENTIALS'],
  envBaseUrl: ['VERTEXAI_API_BASE'],
  keyRequired: true,
  // Claude through rawPredict needs max_tokens like the Anthropic API does.
  defaultMaxTokens: 4096,
  litellmPrefixes: ['vertex_ai', 'vertex_ai_beta'],
  pricingProviderId: 'google',
  docsUrl: 'https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference',
  normalizeApiBase: pathIfBare('/v1'),
  extraInputs: [
    { key: 'project', slot: 'settings', litellmParams: ['vertex_project'], envVars: ['VERTEXAI_PROJECT', 'VERTEX_PROJECT', 'GOOGLE_CLOUD_PROJECT'] },
    { key: 'location', slot: 'settings', litellmParams: ['vertex_location'], envVars: ['VERTEXAI_LOCATION', 'VERTEX_LOCATION', 'GOOGLE_CLOUD_LOCATION'] },
    { key: 'serviceAccountJson', slot: 'credentials', litellmParams: ['vertex_credentials'], envVars: ['VERTEXAI_CREDENTIALS'] },
  ],
  models: [
    { id: 'gemini-2.5-pro', contextWindow: 1_048_576, maxOutputTokens: 65_536, vision: true, tools: true },
    { id: 'gemini-2.5-flash', contextWindow: 1_048_576, maxOutputTokens: 65_536, vision: true, tools: true },
    { id: 'gemini-2.5-flash-lite', contextWindow: 1_048_576, maxOutputTokens: 65_536, vision: true, tools: true },
    { id: 'gemini-2.0-flash', contextWindow: 1_048_576, maxOutputTokens: 8_192, vision: true, tools: true },
    { id: 'claude-sonnet-4-5@20250929', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'claude-opus-4-1@20250805', contextWindow: 200_000, maxOutputTokens: 32_000, vision: true, tools: true },
    { id: 'claude-sonnet-4@20250514', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'claude-haiku-4-5@20251001', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'claude-3-5-haiku@20241022', contextWindow: 200_000, maxOutputTokens: 8_192, tools: true },
    { id: 'gemini-embedding-001', mode: 'embedding', contextWindow: 2_048 },
    { id: 'text-embedding-005', mode: 'embedding', contextWindow: 2_048 },
  ],
};
