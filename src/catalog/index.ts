import { anthropic } from './providers/anthropic.js';
import { bedrock } from './providers/aws.js';
import { azure, azureAi } from './providers/azure.js';
import { dashscope, dashscopeIntl, moonshot, moonshotCn, siliconflow, zai, zhipu } from './providers/asia-clouds.js';
import { cohere } from './providers/cohere.js';
import { gemini } from './providers/gemini.js';
import { vertexAi } from './providers/google-vertex.js';
import { custom, lmStudio, ollama, vllm } from './providers/local-servers.js';
import { ollamaNative } from './providers/ollama-native.js';
import { openai } from './providers/openai.js';
import {
  cerebras,
  deepseek,
  fireworks,
  groq,
  mistral,
  openrouter,
  perplexity,
  together,
  xai,
} from './providers/openai-compatible-clouds.js';
import type { CatalogModel, ProviderEntry } from './types.js';

export type { CatalogModel, ExtraInput, ProtocolId, ProviderEntry } from './types.js';
export { buildTarget, type TargetOptions } from './resolve-target.js';
export { inferProviderFromModel, isKnownUnsupportedLiteLLMPrefix } from './infer-provider.js';

/** Every preset, in the order listings show them. Adding a provider is an entry plus a line here. */
const ENTRIES: readonly ProviderEntry[] = [
  openai,
  anthropic,
  gemini,
  bedrock,
  azure,
  azureAi,
  vertexAi,
  cohere,
  deepseek,
  groq,
  mistral,
  together,
  fireworks,
  openrouter,
  xai,
  perplexity,
  cerebras,
  moonshot,
  moonshotCn,
  dashscope,
  dashscopeIntl,
  zhipu,
  zai,
  siliconflow,
  vllm,
  ollama,
  ollamaNative,
  lmStudio,
  custom,
];

const byId = new Map(ENTRIES.map((e) => [e.id, e]));
const byPrefix = new Map(ENTRIES.flatMap((e) => e.litellmPrefixes.map((p) => [p, e] as const)));

export function getProvider(id: string): ProviderEntry | undefined {
  return byId.get(id);
}

export function listProviders(): readonly ProviderEntry[] {
  return ENTRIES;
}

/** The entry LiteLLM's `<prefix>/model` names, e.g. "together_ai" → Together. */
export function providerForLiteLLMPrefix(prefix: string): ProviderEntry | undefined {
  return byPrefix.get(prefix);
}

export function findCatalogModel(entry: ProviderEntry, modelId: string): CatalogModel | undefined {
  return entry.models.find((m) => m.id === modelId);
}
