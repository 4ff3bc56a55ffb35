import type { ProviderEntry } from '../types.js';

/**
 * Hosted inference platforms and gateways that document an OpenAI-compatible
 * chat-completions endpoint with a bearer key. Each is data for the one
 * OpenAI protocol; quirks only where the provider documents them (LiteLLM's
 * own provider table is the source for its `max_tokens`-only hosts).
 */

/** Model ids may carry a provider suffix (`deepseek-ai/DeepSeek-V3:novita`); without one the router picks. */
export const huggingface: ProviderEntry = {
  id: 'huggingface',
  name: 'Hugging Face Inference Providers (router)',
  protocol: 'openai',
  baseUrl: 'https://router.huggingface.co/v1',
  auth: { kind: 'bearer' },
  envKeys: ['HF_TOKEN', 'HUGGINGFACE_API_KEY'],
  envBaseUrl: ['HUGGINGFACE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['huggingface'],
  docsUrl: 'https://huggingface.co/docs/inference-providers/index',
  models: [],
};

/** The account id is part of the path: settings.accountId (cloudflare_account_id / CLOUDFLARE_ACCOUNT_ID) or a full api_base. */
export const cloudflare: ProviderEntry = {
  id: 'cloudflare',
  name: 'Cloudflare Workers AI (OpenAI-compatible)',
  protocol: 'openai',
  baseUrl: 'https://api.cloudflare.com/client/v4/accounts/{accountId}/ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['CLOUDFLARE_API_KEY', 'CLOUDFLARE_API_TOKEN'],
  envBaseUrl: ['CLOUDFLARE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['cloudflare'],
  pricingProviderId: 'cloudflare',
  docsUrl: 'https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility/',
  extraInputs: [{ key: 'accountId', slot: 'settings', litellmParams: ['cloudflare_account_id', 'account_id'], envVars: ['CLOUDFLARE_ACCOUNT_ID'] }],
  models: [],
};

export const nvidiaNim: ProviderEntry = {
  id: 'nvidia-nim',
  name: 'NVIDIA NIM (API catalog)',
  protocol: 'openai',
  baseUrl: 'https://integrate.api.nvidia.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['NVIDIA_NIM_API_KEY', 'NVIDIA_API_KEY'],
  envBaseUrl: ['NVIDIA_NIM_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['nvidia_nim'],
  docsUrl: 'https://docs.api.nvidia.com/nim/reference/llm-apis',
  models: [],
};

export const nebius: ProviderEntry = {
  id: 'nebius',
  name: 'Nebius Token Factory (AI Studio)',
  protocol: 'openai',
  baseUrl: 'https://api.tokenfactory.nebius.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['NEBIUS_API_KEY'],
  envBaseUrl: ['NEBIUS_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['nebius'],
  docsUrl: 'https://docs.tokenfactory.nebius.com/',
  models: [],
};

export const novita: ProviderEntry = {
  id: 'novita',
  name: 'Novita AI',
  protocol: 'openai',
  baseUrl: 'https://api.novita.ai/v3/openai',
  auth: { kind: 'bearer' },
  envKeys: ['NOVITA_API_KEY'],
  envBaseUrl: ['NOVITA_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['novita'],
  pricingProviderId: 'novita',
  docsUrl: 'https://novita.ai/docs/guides/llm-api',
  models: [],
};

export const hyperbolic: ProviderEntry = {
  id: 'hyperbolic',
  name: 'Hyperbolic',
  protocol: 'openai',
  baseUrl: 'https://api.hyperbolic.xyz/v1',
  auth: { kind: 'bearer' },
  envKeys: ['HYPERBOLIC_API_KEY'],
  envBaseUrl: ['HYPERBOLIC_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['hyperbolic'],
  docsUrl: 'https://docs.hyperbolic.xyz/docs/rest-api',
  models: [],
};

export const deepinfra: ProviderEntry = {
  id: 'deepinfra',
  name: 'DeepInfra',
  protocol: 'openai',
  baseUrl: 'https://api.deepinfra.com/v1/openai',
  auth: { kind: 'bearer' },
  envKeys: ['DEEPINFRA_API_KEY'],
  envBaseUrl: ['DEEPINFRA_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['deepinfra'],
  docsUrl: 'https://deepinfra.com/docs/openai_api',
  models: [],
};

export const sambanova: ProviderEntry = {
  id: 'sambanova',
  name: 'SambaNova Cloud',
  protocol: 'openai',
  baseUrl: 'https://api.sambanova.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['SAMBANOVA_API_KEY'],
  envBaseUrl: ['SAMBANOVA_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['sambanova'],
  docsUrl: 'https://docs.sambanova.ai/cloud/docs/capabilities/openai-compatibility',
  models: [],
};

export const baseten: ProviderEntry = {
  id: 'baseten',
  name: 'Baseten Model APIs',
  protocol: 'openai',
  baseUrl: 'https://inference.baseten.co/v1',
  auth: { kind: 'bearer' },
  envKeys: ['BASETEN_API_KEY'],
  envBaseUrl: ['BASETEN_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['baseten'],
  pricingProviderId: 'baseten',
  docsUrl: 'https://docs.baseten.co/development/model-apis/overview',
  models: [],
};

export const featherless: ProviderEntry = {
  id: 'featherless',
  name: 'Featherless AI',
  protocol: 'openai',
  baseUrl: 'https://api.featherless.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['FEATHERLESS_API_KEY'],
  envBaseUrl: ['FEATHERLESS_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['featherless_ai'],
  docsUrl: 'https://featherless.ai/docs/api-overview-and-common-options',
  models: [],
};

export const nscale: ProviderEntry = {
  id: 'nscale',
  name: 'Nscale Serverless Inference',
  protocol: 'openai',
  baseUrl: 'https://inference.api.nscale.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['NSCALE_API_KEY'],
  envBaseUrl: ['NSCALE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['nscale'],
  docsUrl: 'https://docs.nscale.com/docs/inference/serverless-models/overview',
  models: [],
};

export const scaleway: ProviderEntry = {
  id: 'scaleway',
  name: 'Scaleway Generative APIs',
  protocol: 'openai',
  baseUrl: 'https://api.scaleway.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['SCW_SECRET_KEY'],
  envBaseUrl: ['SCW_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['scaleway'],
  docsUrl: 'https://www.scaleway.com/en/docs/generative-apis/',
  models: [],
};

export const ovhcloud: ProviderEntry = {
  id: 'ovhcloud',
  name: 'OVHcloud AI Endpoints',
  protocol: 'openai',
  baseUrl: 'https://oai.endpoints.kepler.ai.cloud.ovh.net/v1',
  auth: { kind: 'bearer' },
  envKeys: ['OVHCLOUD_API_KEY'],
  envBaseUrl: ['OVHCLOUD_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['ovhcloud'],
  pricingProviderId: 'ovhcloud',
  docsUrl: 'https://help.ovhcloud.com/csm/en-public-cloud-ai-endpoints-getting-started',
  models: [],
};

export const friendli: ProviderEntry = {
  id: 'friendli',
  name: 'FriendliAI Serverless Endpoints',
  protocol: 'openai',
  baseUrl: 'https://api.friendli.ai/serverless/v1',
  auth: { kind: 'bearer' },
  envKeys: ['FRIENDLI_TOKEN', 'FRIENDLIAI_API_KEY'],
  envBaseUrl: ['FRIENDLI_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['friendliai'],
  docsUrl: 'https://friendli.ai/docs/guides/serverless_endpoints/openai-compatibility',
  models: [],
};

/** Model ids are `publisher/model` (openai/gpt-4.1); a fine-grained token needs the models:read permission. */
export const githubModels: ProviderEntry = {
  id: 'github-models',
  name: 'GitHub Models',
  protocol: 'openai',
  baseUrl: 'https://models.github.ai/inference',
  auth: { kind: 'bearer' },
  envKeys: ['GITHUB_TOKEN', 'GITHUB_API_KEY'],
  envBaseUrl: ['GITHUB_MODELS_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['github'],
  docsUrl: 'https://docs.github.com/en/rest/models/inference',
  models: [],
};

/** Per-workspace: api_base is https://<workspace-host>/serving-endpoints and the model is the serving endpoint's name. */
export const databricks: ProviderEntry = {
  id: 'databricks',
  name: 'Databricks Model Serving',
  protocol: 'openai',
  baseUrl: '',
  auth: { kind: 'bearer' },
  envKeys: ['DATABRICKS_API_KEY', 'DATABRICKS_TOKEN'],
  envBaseUrl: ['DATABRICKS_API_BASE'],
  keyRequired: true,
  apiBaseRequired: true,
  litellmPrefixes: ['databricks'],
  docsUrl: 'https://docs.databricks.com/aws/en/machine-learning/model-serving/score-foundation-models',
  models: [],
};

export const kluster: ProviderEntry = {
  id: 'kluster',
  name: 'kluster.ai',
  protocol: 'openai',
  baseUrl: 'https://api.kluster.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['KLUSTER_API_KEY'],
  envBaseUrl: ['KLUSTER_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://docs.kluster.ai/get-started/openai-compatibility',
  models: [],
};

export const parasail: ProviderEntry = {
  id: 'parasail',
  name: 'Parasail',
  protocol: 'openai',
  baseUrl: 'https://api.parasail.io/v1',
  auth: { kind: 'bearer' },
  envKeys: ['PARASAIL_API_KEY'],
  envBaseUrl: ['PARASAIL_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  docsUrl: 'https://docs.parasail.io/parasail-docs/serverless/serverless',
  models: [],
};

export const chutes: ProviderEntry = {
  id: 'chutes',
  name: 'Chutes',
  protocol: 'openai',
  baseUrl: 'https://llm.chutes.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['CHUTES_API_KEY'],
  envBaseUrl: ['CHUTES_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['chutes'],
  docsUrl: 'https://chutes.ai/docs',
  models: [],
};

export const venice: ProviderEntry = {
  id: 'venice',
  name: 'Venice.ai',
  protocol: 'openai',
  baseUrl: 'https://api.venice.ai/api/v1',
  auth: { kind: 'bearer' },
  envKeys: ['VENICE_API_KEY', 'VENICE_AI_API_KEY'],
  envBaseUrl: ['VENICE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['veniceai'],
  docsUrl: 'https://docs.venice.ai/api-reference/api-spec',
  models: [],
};

export const avian: ProviderEntry = {
  id: 'avian',
  name: 'Avian',
  protocol: 'openai',
  baseUrl: 'https://api.avian.io/v1',
  auth: { kind: 'bearer' },
  envKeys: ['AVIAN_API_KEY'],
  envBaseUrl: ['AVIAN_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  pricingProviderId: 'avian',
  docsUrl: 'https://avian.io/docs',
  models: [],
};

export const wandb: ProviderEntry = {
  id: 'wandb',
  name: 'W&B Inference (CoreWeave)',
  protocol: 'openai',
  baseUrl: 'https://api.inference.wandb.ai/v1',
  auth: { kind: 'bearer' },
  envKeys: ['WANDB_API_KEY'],
  envBaseUrl: ['WANDB_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['wandb'],
  docsUrl: 'https://docs.wandb.ai/inference/api-reference',
  models: [],
};

export const vercelAiGateway: ProviderEntry = {
  id: 'vercel-ai-gateway',
  name: 'Vercel AI Gateway',
  protocol: 'openai',
  baseUrl: 'https://ai-gateway.vercel.sh/v1',
  auth: { kind: 'bearer' },
  envKeys: ['AI_GATEWAY_API_KEY', 'VERCEL_AI_GATEWAY_API_KEY'],
  envBaseUrl: ['VERCEL_AI_GATEWAY_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['vercel_ai_gateway'],
  docsUrl: 'https://vercel.com/docs/ai-gateway/openai-compat',
  models: [],
};

export const crusoe: ProviderEntry = {
  id: 'crusoe',
  name: 'Crusoe Managed Inference',
  protocol: 'openai',
  baseUrl: 'https://managed-inference-api-proxy.crusoecloud.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['CRUSOE_API_KEY'],
  envBaseUrl: ['CRUSOE_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['crusoe'],
  docsUrl: 'https://docs.crusoecloud.com/',
  models: [],
};

export const gmi: ProviderEntry = {
  id: 'gmi',
  name: 'GMI Cloud Inference',
  protocol: 'openai',
  baseUrl: 'https://api.gmi-serving.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['GMI_API_KEY'],
  envBaseUrl: ['GMI_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['gmi'],
  docsUrl: 'https://docs.gmicloud.ai/inference-engine/api-reference',
  models: [],
};

export const publicai: ProviderEntry = {
  id: 'publicai',
  name: 'Public AI',
  protocol: 'openai',
  baseUrl: 'https://api.publicai.co/v1',
  auth: { kind: 'bearer' },
  envKeys: ['PUBLICAI_API_KEY'],
  envBaseUrl: ['PUBLICAI_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['publicai'],
  docsUrl: 'https://platform.publicai.co/docs',
  models: [],
};

export const nanoGpt: ProviderEntry = {
  id: 'nano-gpt',
  name: 'NanoGPT',
  protocol: 'openai',
  baseUrl: 'https://nano-gpt.com/api/v1',
  auth: { kind: 'bearer' },
  envKeys: ['NANOGPT_API_KEY'],
  envBaseUrl: ['NANOGPT_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['nano-gpt'],
  docsUrl: 'https://docs.nano-gpt.com/',
  models: [],
};

export const poe: ProviderEntry = {
  id: 'poe',
  name: 'Poe API',
  protocol: 'openai',
  baseUrl: 'https://api.poe.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['POE_API_KEY'],
  envBaseUrl: ['POE_API_BASE'],
  keyRequired: true,
  quirks: { renameParams: { max_completion_tokens: 'max_tokens' } },
  litellmPrefixes: ['poe'],
  docsUrl: 'https://creator.poe.com/docs/external-applications/openai-compatible-api',
  models: [],
};

export const aihubmix: ProviderEntry = {
  id: 'aihubmix',
  name: 'AiHubMix',
  protocol: 'openai',
  baseUrl: 'https://aihubmix.com/v1',
  auth: { kind: 'bearer' },
  envKeys: ['AIHUBMIX_API_KEY'],
  envBaseUrl: ['AIHUBMIX_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['aihubmix'],
  docsUrl: 'https://docs.aihubmix.com/',
  models: [],
};
