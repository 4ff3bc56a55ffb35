import type { ProviderEntry } from '../types.js';
import { ensureSuffix } from './normalize-base.js';

/**
 * Self-hosted OpenAI-compatible servers. They run without a key by default, so
 * a missing key is not an error; model names are whatever the server loaded,
 * hence no model list.
 */

export const vllm: ProviderEntry = {
  id: 'vllm',
  name: 'vLLM (OpenAI-compatible server)',
  protocol: 'openai',
  baseUrl: 'http://localhost:8000/v1',
  // `vllm serve --api-key` checks a bearer token.
  auth: { kind: 'bearer' },
  envKeys: ['HOSTED_VLLM_API_KEY'],
  envBaseUrl: ['HOSTED_VLLM_API_BASE'],
  keyRequired: false,
  litellmPrefixes: ['hosted_vllm'],
  docsUrl: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  models: [],
};

export const ollama: ProviderEntry = {
  id: 'ollama',
  name: 'Ollama (OpenAI-compatible endpoint)',
  protocol: 'openai',
  baseUrl: 'http://localhost:11434/v1',
  auth: { kind: 'bearer' },
  envKeys: ['OLLAMA_API_KEY'],
  envBaseUrl: ['OLLAMA_API_BASE'],
  keyRequired: false,
  // LiteLLM's ollama/ (its /api/generate) is served here through the same
  // server's OpenAI-compatible /v1; ollama_chat/ (/api/chat) maps to the
  // native 'ollama-native' entry.
  litellmPrefixes: ['ollama'],
  normalizeApiBase: ensureSuffix('/v1'),
  docsUrl: 'https://github.com/ollama/ollama/blob/main/docs/openai.md',
  models: [],
};

export const lmStudio: ProviderEntry = {
  id: 'lmstudio',
  name: 'LM Studio',
  protocol: 'openai',
  baseUrl: 'http://localhost:1234/v1',
  auth: { kind: 'bearer' },
  envKeys: ['LM_STUDIO_API_KEY'],
  envBaseUrl: ['LM_STUDIO_API_BASE'],
  keyRequired: false,
  litellmPrefixes: ['lm_studio'],
  docsUrl: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
  models: [],
};

/** Any OpenAI-compatible server; `api_base` is required, a key optional. */
export const custom: ProviderEntry = {
  id: 'custom',
  name: 'Custom OpenAI-compatible endpoint',
  protocol: 'openai',
  baseUrl: '',
  apiBaseRequired: true,
  auth: { kind: 'bearer' },
  envKeys: [],
  keyRequired: false,
  litellmPrefixes: ['custom_openai'],
  models: [],
};
