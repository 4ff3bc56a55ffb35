import type { ProviderEntry } from '../types.js';

/** OpenAI-compatible providers based in China (some with international endpoints). */

const moonshotModels: ProviderEntry['models'] = [
  { id: 'kimi-k2-0905-preview', tools: true },
  // The context window is part of these model names.
  { id: 'moonshot-v1-8k', contextWindow: 8_192, tools: true },
  { id: 'moonshot-v1-32k', contextWindow: 32_768, tools: true },
  { id: 'moonshot-v1-128k', contextWindow: 131_072, tools: true },
];

export const moonshot: ProviderEntry = {
  id: 'moonshot',
  name: 'Moonshot AI (Kimi), international',
  protocol: 'openai',
  baseUrl: 'https://api.moonshot.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['MOONSHOT_API_KEY'],
  envBaseUrl: ['MOONSHOT_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['moonshot'],
  pricingProviderId: 'moonshotai',
  docsUrl: 'https://platform.moonshot.ai/docs/api/chat',
  models: moonshotModels,
};

/** Mainland endpoint: same API, separate accounts; chosen by provider id, never by env discovery. */
export const moonshotCn: ProviderEntry = {
  ...moonshot,
  id: 'moonshot-cn',
  name: 'Moonshot AI (Kimi), mainland China',
  baseUrl: 'https://api.moonshot.cn/v1',
  envKeys: [],
  envBaseUrl: [],
  litellmPrefixes: [],
};

const qwenModels: ProviderEntry['models'] = [
  { id: 'qwen-max', tools: true },
  { id: 'qwen-plus', tools: true },
  { id: 'qwen-turbo', tools: true },
];

export const dashscope: ProviderEntry = {
  id: 'dashscope',
  name: 'Alibaba Cloud DashScope (compatible mode)',
  protocol: 'openai',
  baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  auth: { kind: 'bearer' },
  envKeys: ['DASHSCOPE_API_KEY'],
  envBaseUrl: ['DASHSCOPE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['dashscope'],
  docsUrl: 'https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope',
  models: qwenModels,
};

/** International (Singapore) region; same key name, so never auto-discovered next to `dashscope`. */
export const dashscopeIntl: ProviderEntry = {
  ...dashscope,
  id: 'dashscope-intl',
  name: 'Alibaba Cloud Model Studio, international (compatible mode)',
  baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  envKeys: [],
  envBaseUrl: [],
  litellmPrefixes: [],
};

const glmModels: ProviderEntry['models'] = [
  { id: 'glm-4.6', tools: true },
  { id: 'glm-4.5', tools: true },
  { id: 'glm-4.5-air', tools: true },
  { id: 'glm-4.5v', tools: true, vision: true },
];

/** Zhipu's mainland platform (open.bigmodel.cn). LiteLLM has no prefix for it. */
export const zhipu: ProviderEntry = {
  id: 'zhipu',
  name: 'Zhipu AI (BigModel)',
  protocol: 'openai',
  baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
  auth: { kind: 'bearer' },
  envKeys: ['ZHIPUAI_API_KEY'],
  envBaseUrl: ['ZHIPUAI_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  pricingProviderId: 'zhipuai',
  docsUrl: 'https://docs.bigmodel.cn/api-reference',
  models: glmModels,
};

/** Z.AI, Zhipu's international platform; this is what LiteLLM's `zai/` prefix calls. */
export const zai: ProviderEntry = {
  ...zhipu,
  id: 'zai',
  name: 'Z.AI (Zhipu, international)',
  baseUrl: 'https://api.z.ai/api/paas/v4',
  envKeys: ['ZAI_API_KEY'],
  envBaseUrl: ['ZAI_API_BASE'],
  litellmPrefixes: ['zai'],
  pricingProviderId: 'zai',
  docsUrl: 'https://docs.z.ai/api-reference',
};

export const siliconflow: ProviderEntry = {
  id: 'siliconflow',
  name: 'SiliconFlow',
  protocol: 'openai',
  baseUrl: 'https://api.siliconflow.cn/v1',
  auth: { kind: 'bearer' },
  envKeys: ['SILICONFLOW_API_KEY'],
  envBaseUrl: ['SILICONFLOW_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://docs.siliconflow.cn/en/api-reference/chat-completions/chat-completions',
  models: [
    { id: 'deepseek-ai/DeepSeek-V3', tools: true },
    { id: 'Qwen/Qwen2.5-72B-Instruct', tools: true },
  ],
};
