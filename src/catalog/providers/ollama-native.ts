import type { ProviderEntry } from '../types.js';
import { trimSlash } from './normalize-base.js';

/**
 * Ollama's native API (`/api/chat`, NDJSON streams, `/api/embed`), beside
 * the `ollama` entry that uses the same server's OpenAI-compatible `/v1`.
 * Native adds what /v1 lacks: `think` control, JSON-schema `format`, model
 * options such as `num_ctx`, and tool-call arguments as objects.
 *
 * LiteLLM's `ollama_chat/` is this API and its `ollama/` is `/api/generate`;
 * both prefixes currently belong to the `ollama` (/v1) entry, so LiteLLM
 * configs keep working there and native config selects this one by id.
 */
export const ollamaNative: ProviderEntry = {
  id: 'ollama-native',
  name: 'Ollama (native API)',
  protocol: 'ollama',
  baseUrl: 'http://localhost:11434',
  // No key on a local server; one configured (ollama.com, a proxy) is sent as a bearer token.
  auth: { kind: 'bearer' },
  envKeys: [],
  envBaseUrl: ['OLLAMA_API_BASE'],
  keyRequired: false,
  litellmPrefixes: ['ollama_chat'],
  docsUrl: 'https://github.com/ollama/ollama/blob/main/docs/api.md',
  normalizeApiBase: (url) => trimSlash(url).replace(/\/(api|v1)$/, ''),
  models: [],
};
