import { anthropic } from './providers/anthropic.js';
import { bedrock } from './providers/aws.js';
import { azure, azureAi } from './providers/azure.js';
import { dashscope, dashscopeIntl, moonshot, moonshotCn, siliconflow, zai, zhipu } from './providers/asia-clouds.js';
import { cloudflareWorkersAi } from './providers/cloudflare-native.js';
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
import { baichuan, byteplus, dashscopeNative, dashscopeNativeIntl, doubao, hunyuan, hunyuanOpenAI, infiniAi, lingyiwanwu, minimax, minimaxCn, modelscope, ppio, qianfan, qianfanLegacy, spark, stepfun, xiaomiMimo, zhipuJwt } from './providers/china.js';
import { aihubmix, avian, baseten, chutes, cloudflare, crusoe, databricks, deepinfra, featherless, friendli, githubModels, gmi, huggingface, hyperbolic, kluster, nanoGpt, nebius, novita, nscale, nvidiaNim, ovhcloud, parasail, poe, publicai, sambanova, scaleway, venice, vercelAiGateway, wandb } from './providers/hosted-inference.js';
import { ai21, aiml, anthropicOpenAI, codestral, cohereCompat, geminiOpenAI, inception, jina, metaLlama, reka, sarvam, upstage, voyage } from './providers/lab-compat-endpoints.js';
import { aphrodite, gpt4all, infinity, jan, koboldcpp, litellmProxy, llamaCpp, llamafile, localai, sglang, textGenerationWebui, tgi, tritonOpenAI, xinference } from './providers/self-hosted.js';
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
  // Labs' own OpenAI-compatible endpoints.
  geminiOpenAI,
  anthropicOpenAI,
  cohereCompat,
  codestral,
  metaLlama,
  ai21,
  reka,
  upstage,
  inception,
  sarvam,
  jina,
  voyage,
  aiml,
  // China: native protocols and compatible endpoints.
  hunyuan,
  hunyuanOpenAI,
  qianfan,
  qianfanLegacy,
  zhipuJwt,
  spark,
  minimax,
  minimaxCn,
  doubao,
  byteplus,
  dashscopeNative,
  dashscopeNativeIntl,
  baichuan,
  lingyiwanwu,
  stepfun,
  modelscope,
  infiniAi,
  ppio,
  xiaomiMimo,
  // Hosted inference platforms and gateways.
  huggingface,
  cloudflare,
  cloudflareWorkersAi,
  nvidiaNim,
  nebius,
  novita,
  hyperbolic,
  deepinfra,
  sambanova,
  baseten,
  featherless,
  nscale,
  scaleway,
  ovhcloud,
  friendli,
  githubModels,
  databricks,
  kluster,
  parasail,
  chutes,
  venice,
  avian,
  wandb,
  vercelAiGateway,
  crusoe,
  gmi,
  publicai,
  nanoGpt,
  poe,
  aihubmix,
  vllm,
  ollama,
  ollamaNative,
  lmStudio,
  sglang,
  tgi,
  llamaCpp,
  llamafile,
  localai,
  xinference,
  litellmProxy,
  tritonOpenAI,
  aphrodite,
  textGenerationWebui,
  koboldcpp,
  jan,
  gpt4all,
  infinity,
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
