import type { ProviderEntry } from '../types.js';
import { ensureSuffix, pathIfBare, trimSlash } from './normalize-base.js';

/**
 * Providers based in mainland China beyond the OpenAI-compatible ones in
 * asia-clouds.ts: native protocols with their own signing or token flows
 * (Tencent TC3, Baidu OAuth, Zhipu JWT, DashScope native) and the
 * OpenAI-compatible endpoints these vendors now document. Where a vendor
 * offers both, the compatible entry is the one to prefer; the native one is
 * for what only it can do (see docs/providers.md).
 */

const tencentCredentials: ProviderEntry['extraInputs'] = [
  { key: 'secretId', slot: 'credentials', litellmParams: ['tencentcloud_secret_id', 'secret_id'], envVars: ['TENCENTCLOUD_SECRET_ID'] },
  { key: 'secretKey', slot: 'credentials', litellmParams: ['tencentcloud_secret_key', 'secret_key'], envVars: ['TENCENTCLOUD_SECRET_KEY'] },
  { key: 'region', slot: 'settings', litellmParams: ['tencentcloud_region', 'region'], envVars: ['TENCENTCLOUD_REGION'] },
];

const hunyuanModels: ProviderEntry['models'] = [
  { id: 'hunyuan-turbos-latest', tools: true },
  { id: 'hunyuan-t1-latest' },
  { id: 'hunyuan-lite' },
  { id: 'hunyuan-standard' },
  { id: 'hunyuan-functioncall', tools: true },
  { id: 'hunyuan-vision', vision: true },
];

/** Tencent Hunyuan through Tencent Cloud API 3.0 (TC3-HMAC-SHA256 with SecretId/SecretKey). */
export const hunyuan: ProviderEntry = {
  id: 'hunyuan',
  name: 'Tencent Hunyuan (Cloud API, TC3 signed)',
  protocol: 'hunyuan',
  baseUrl: 'https://hunyuan.tencentcloudapi.com',
  auth: { kind: 'tencent-tc3', service: 'hunyuan' },
  envKeys: [],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://cloud.tencent.com/document/api/1729/105701',
  extraInputs: tencentCredentials,
  models: hunyuanModels,
};

/** Hunyuan's OpenAI-compatible endpoint with an API key: the simpler way in, preferred when TC3 is not required. */
export const hunyuanOpenAI: ProviderEntry = {
  id: 'hunyuan-openai',
  name: 'Tencent Hunyuan (OpenAI-compatible)',
  protocol: 'openai',
  baseUrl: 'https://api.hunyuan.cloud.tencent.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['HUNYUAN_API_KEY'],
  envBaseUrl: ['HUNYUAN_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://cloud.tencent.com/document/product/1729/111007',
  models: hunyuanModels,
};

/** Baidu Qianfan ModelBuilder v2: OpenAI-compatible with a bearer API key (bce-v3/…); an `appid` header is optional. */
export const qianfan: ProviderEntry = {
  id: 'qianfan',
  name: 'Baidu Qianfan (ModelBuilder v2, OpenAI-compatible)',
  protocol: 'openai',
  baseUrl: 'https://qianfan.baidubce.com/v2',
  auth: { kind: 'bearer' },
  envKeys: ['QIANFAN_API_KEY'],
  envBaseUrl: ['QIANFAN_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://cloud.baidu.com/doc/WENXINWORKSHOP/s/2m3fihw8s',
  models: [{ id: 'ernie-4.5-turbo-128k', tools: true }, { id: 'ernie-x1-turbo-32k' }, { id: 'ernie-speed-128k' }, { id: 'embedding-v1', mode: 'embedding' }],
};

/** Qianfan's legacy wenxinworkshop API: API Key + Secret Key → OAuth access_token; the model is the endpoint name. */
export const qianfanLegacy: ProviderEntry = {
  id: 'qianfan-legacy',
  name: 'Baidu Qianfan (legacy wenxinworkshop, access token)',
  protocol: 'qianfan',
  baseUrl: 'https://aip.baidubce.com/rpc/2.0/ai_custom/v1/wenxinworkshop',
  auth: { kind: 'baidu-access-token' },
  envKeys: ['QIANFAN_AK'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://cloud.baidu.com/doc/WENXINWORKSHOP/s/Ilkkrb0i5',
  // A host-only api_base gets the wenxinworkshop path.
  normalizeApiBase: pathIfBare('/rpc/2.0/ai_custom/v1/wenxinworkshop'),
  extraInputs: [
    { key: 'secretKey', slot: 'credentials', litellmParams: ['qianfan_sk', 'secret_key'], envVars: ['QIANFAN_SK'] },
    { key: 'accessToken', slot: 'credentials', litellmParams: ['qianfan_access_token'], envVars: ['QIANFAN_ACCESS_TOKEN'] },
  ],
  models: [{ id: 'completions_pro', tools: true }, { id: 'ernie-4.0-8k', tools: true }, { id: 'ernie-speed-128k' }, { id: 'embedding-v1', mode: 'embedding' }],
};

/** Zhipu's legacy credential: the `id.secret` key signed into a short-lived JWT (for keys and proxies that still need it). */
export const zhipuJwt: ProviderEntry = {
  id: 'zhipu-jwt',
  name: 'Zhipu AI (BigModel, JWT-signed key)',
  protocol: 'openai',
  baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
  auth: { kind: 'zhipu-jwt' },
  envKeys: [],
  keyRequired: true,
  litellmPrefixes: [],
  pricingProviderId: 'zhipuai',
  docsUrl: 'https://open.bigmodel.cn/dev/api/http-call/http-auth',
  models: [{ id: 'glm-4.6', tools: true }, { id: 'glm-4.5-air', tools: true }, { id: 'embedding-3', mode: 'embedding' }],
};

/** iFlytek Spark's HTTP endpoint: OpenAI-shaped, bearer `APIPassword` (or `APIKey:APISecret`). The WebSocket API is not supported. */
export const spark: ProviderEntry = {
  id: 'spark',
  name: 'iFlytek Spark (HTTP, OpenAI-compatible)',
  protocol: 'openai',
  baseUrl: 'https://spark-api-open.xf-yun.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['SPARK_API_PASSWORD'],
  envBaseUrl: ['SPARK_API_BASE'],
  keyRequired: true,
  // Spark documents max_tokens and top_k (1–6); n and penalties are not in its parameter list.
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' }, maxN: 1 },
  litellmPrefixes: [],
  docsUrl: 'https://www.xfyun.cn/doc/spark/HTTP%E8%B0%83%E7%94%A8%E6%96%87%E6%A1%A3.html',
  models: [{ id: 'lite' }, { id: 'generalv3' }, { id: 'generalv3.5', tools: true }, { id: '4.0Ultra', tools: true }],
};

const minimaxModels: ProviderEntry['models'] = [
  { id: 'MiniMax-M2', tools: true },
  { id: 'MiniMax-M1', tools: true },
  { id: 'MiniMax-Text-01', tools: true },
];

/**
 * MiniMax's OpenAI-compatible API. M2-series models put their thinking in
 * `<think>…</think>` inside content unless the request sets
 * `reasoning_split: true` (send it as providerOptions.minimax), which moves it
 * to `reasoning_details`, decoded as reasoning.
 */
export const minimax: ProviderEntry = {
  id: 'minimax',
  name: 'MiniMax, international',
  protocol: 'openai',
  baseUrl: 'https://api.minimax.io/v1',
  auth: { kind: 'bearer' },
  envKeys: ['MINIMAX_API_KEY'],
  envBaseUrl: ['MINIMAX_API_BASE'],
  keyRequired: true,
  quirks: { maxN: 1 },
  litellmPrefixes: ['minimax'],
  pricingProviderId: 'minimax',
  docsUrl: 'https://platform.minimax.io/docs/api-reference/text-openai-api',
  // LiteLLM's minimax route takes an Anthropic-style base (…/anthropic/v1/messages); keep only the host.
  normalizeApiBase: (url) => ensureSuffix('/v1')(trimSlash(url).replace(/\/anthropic(\/v1)?(\/messages)?$/, '').replace(/\/v1$/, '')),
  models: minimaxModels,
};

export const minimaxCn: ProviderEntry = {
  ...minimax,
  id: 'minimax-cn',
  name: 'MiniMax, mainland China',
  baseUrl: 'https://api.minimaxi.com/v1',
  envKeys: [],
  envBaseUrl: [],
  litellmPrefixes: [],
  docsUrl: 'https://platform.minimaxi.com/document/ChatCompletion%20v2',
};

/** ByteDance Doubao on Volcengine Ark; `model` is a model name or an `ep-…` endpoint id. */
export const doubao: ProviderEntry = {
  id: 'doubao',
  name: 'ByteDance Doubao (Volcengine Ark)',
  protocol: 'openai',
  baseUrl: 'https://ark.cn-beijing.volces.com/api/v3',
  auth: { kind: 'bearer' },
  envKeys: ['ARK_API_KEY', 'VOLCENGINE_API_KEY'],
  envBaseUrl: ['ARK_API_BASE', 'VOLCENGINE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['volcengine'],
  docsUrl: 'https://www.volcengine.com/docs/82379/1330626',
  models: [{ id: 'doubao-seed-1-6-250615', tools: true, vision: true }, { id: 'doubao-1-5-pro-32k-250115', tools: true }, { id: 'doubao-embedding-text-240715', mode: 'embedding' }],
};

/** BytePlus ModelArk: the same API outside China. */
export const byteplus: ProviderEntry = {
  ...doubao,
  id: 'byteplus',
  name: 'BytePlus ModelArk (Doubao, international)',
  baseUrl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
  envKeys: ['BYTEPLUS_API_KEY'],
  envBaseUrl: ['BYTEPLUS_API_BASE'],
  litellmPrefixes: [],
  docsUrl: 'https://docs.byteplus.com/en/docs/ModelArk/1330626',
};

/** DashScope's native API (Qwen text-generation, text-embedding), for DashScope-only parameters and workspaces. */
export const dashscopeNative: ProviderEntry = {
  id: 'dashscope-native',
  name: 'Alibaba Cloud DashScope (native API)',
  protocol: 'dashscope',
  baseUrl: 'https://dashscope.aliyuncs.com/api/v1',
  auth: { kind: 'bearer' },
  // The key is DASHSCOPE_API_KEY, claimed by the compatible-mode entry; select this one by id.
  envKeys: [],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://help.aliyun.com/zh/model-studio/qwen-api-via-dashscope',
  normalizeApiBase: pathIfBare('/api/v1'),
  extraInputs: [{ key: 'workspace', slot: 'settings', litellmParams: ['dashscope_workspace'], envVars: ['DASHSCOPE_WORKSPACE'] }],
  models: [{ id: 'qwen-max', tools: true }, { id: 'qwen-plus', tools: true }, { id: 'qwen-turbo', tools: true }, { id: 'text-embedding-v4', mode: 'embedding' }],
};

export const dashscopeNativeIntl: ProviderEntry = {
  ...dashscopeNative,
  id: 'dashscope-native-intl',
  name: 'Alibaba Cloud Model Studio, international (native API)',
  baseUrl: 'https://dashscope-intl.aliyuncs.com/api/v1',
};

export const baichuan: ProviderEntry = {
  id: 'baichuan',
  name: 'Baichuan AI',
  protocol: 'openai',
  baseUrl: 'https://api.baichuan-ai.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['BAICHUAN_API_KEY'],
  envBaseUrl: ['BAICHUAN_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://platform.baichuan-ai.com/docs/api',
  models: [{ id: 'Baichuan4-Turbo', tools: true }, { id: 'Baichuan4-Air' }, { id: 'Baichuan-Text-Embedding', mode: 'embedding' }],
};

/** 01.AI (Lingyiwanwu) mainland platform. */
export const lingyiwanwu: ProviderEntry = {
  id: 'lingyiwanwu',
  name: '01.AI Lingyiwanwu (Yi)',
  protocol: 'openai',
  baseUrl: 'https://api.lingyiwanwu.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['LINGYIWANWU_API_KEY', 'YI_API_KEY'],
  envBaseUrl: ['LINGYIWANWU_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://platform.lingyiwanwu.com/docs',
  models: [{ id: 'yi-lightning' }, { id: 'yi-vision-v2', vision: true }],
};

export const stepfun: ProviderEntry = {
  id: 'stepfun',
  name: 'StepFun',
  protocol: 'openai',
  baseUrl: 'https://api.stepfun.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['STEPFUN_API_KEY'],
  envBaseUrl: ['STEPFUN_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://platform.stepfun.com/docs/llm/text',
  models: [{ id: 'step-2-16k', tools: true }, { id: 'step-1-8k', tools: true }, { id: 'step-1v-8k', vision: true }],
};

/** ModelScope API-Inference: OpenAI-compatible with a ModelScope access token; models are repo ids. */
export const modelscope: ProviderEntry = {
  id: 'modelscope',
  name: 'ModelScope API-Inference',
  protocol: 'openai',
  baseUrl: 'https://api-inference.modelscope.cn/v1',
  auth: { kind: 'bearer' },
  envKeys: ['MODELSCOPE_API_KEY', 'MODELSCOPE_SDK_TOKEN'],
  envBaseUrl: ['MODELSCOPE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://modelscope.cn/docs/model-service/API-Inference/intro',
  models: [{ id: 'Qwen/Qwen3-32B', tools: true }, { id: 'deepseek-ai/DeepSeek-V3.1', tools: true }],
};

/** Xiaomi MiMo open platform. */
export const xiaomiMimo: ProviderEntry = {
  id: 'xiaomi-mimo',
  name: 'Xiaomi MiMo',
  protocol: 'openai',
  baseUrl: 'https://api.xiaomimimo.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['XIAOMI_MIMO_API_KEY'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['xiaomi_mimo'],
  docsUrl: 'https://platform.xiaomimimo.com/',
  models: [],
};

/** Infinigence (Wuwen Xinqiong) MaaS. */
export const infiniAi: ProviderEntry = {
  id: 'infini-ai',
  name: 'Infini-AI (Infinigence MaaS)',
  protocol: 'openai',
  baseUrl: 'https://cloud.infini-ai.com/maas/v1',
  auth: { kind: 'bearer' },
  envKeys: ['INFINI_API_KEY'],
  envBaseUrl: ['INFINI_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://docs.infini-ai.com/gen-studio/api/maas.html',
  models: [],
};

/** PPIO (PPInfra) model API. */
export const ppio: ProviderEntry = {
  id: 'ppio',
  name: 'PPIO',
  protocol: 'openai',
  baseUrl: 'https://api.ppinfra.com/v3/openai',
  auth: { kind: 'bearer' },
  envKeys: ['PPIO_API_KEY'],
  envBaseUrl: ['PPIO_BASE_URL'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://ppio.com/docs/model/llm',
  models: [{ id: 'deepseek/deepseek-v3-turbo', tools: true }],
};
