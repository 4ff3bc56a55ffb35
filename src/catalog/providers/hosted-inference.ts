import type { ProviderEntry } from '../types.js';

/**
 * Hosted inference platforms and gateways that document an OpenAI-compatible
 * chat-completions endpoint with a bearer key. Each is data for the one
 * OpenAI protocol; quirks only where the provider documents them (LiteLLM's
 * own provider table is the source for its `max_tokens`-only hosts).
 */

type HostFields = Pick<ProviderEntry, 'id' | 'name' | 'baseUrl' | 'envKeys' | 'litellmPrefixes' | 'docsUrl'> & Partial<ProviderEntry>;

function host(fields: HostFields): ProviderEntry {
  return { protocol: 'openai', auth: { kind: 'bearer' }, keyRequired: true, models: [], ...fields };
}

const maxTokensOnly: ProviderEntry['quirks'] = { renameParams: { max_completion_tokens: 'max_tokens' } };

/** Model ids may carry a provider suffix (`deepseek-ai/DeepSeek-V3:novita`); without one the router picks. */
export const huggingface = host({
  id: 'huggingface',
  name: 'Hugging Face Inference Providers (router)',
  baseUrl: 'https://router.huggingface.co/v1',
  envKeys: ['HF_TOKEN', 'HUGGINGFACE_API_KEY'],
  envBaseUrl: ['HUGGINGFACE_API_BASE'],
  litellmPrefixes: ['huggingface'],
  docsUrl: 'https://huggingface.co/docs/inference-providers/index',
});

/** The account id is part of the path: settings.accountId (cloudflare_account_id / CLOUDFLARE_ACCOUNT_ID) or a full api_base. */
export const cloudflare = host({
  id: 'cloudflare',
  name: 'Cloudflare Workers AI (OpenAI-compatible)',
  baseUrl: 'https://api.cloudflare.com/client/v4/accounts/{accountId}/ai/v1',
  envKeys: ['CLOUDFLARE_API_KEY', 'CLOUDFLARE_API_TOKEN'],
  envBaseUrl: ['CLOUDFLARE_API_BASE'],
  litellmPrefixes: ['cloudflare'],
  pricingProviderId: 'cloudflare',
  docsUrl: 'https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility/',
  extraInputs: [{ key: 'accountId', slot: 'settings', litellmParams: ['cloudflare_account_id', 'account_id'], envVars: ['CLOUDFLARE_ACCOUNT_ID'] }],
});

export const nvidiaNim = host({
  id: 'nvidia-nim',
  name: 'NVIDIA NIM (API catalog)',
  baseUrl: 'https://integrate.api.nvidia.com/v1',
  envKeys: ['NVIDIA_NIM_API_KEY', 'NVIDIA_API_KEY'],
  envBaseUrl: ['NVIDIA_NIM_API_BASE'],
  litellmPrefixes: ['nvidia_nim'],
  docsUrl: 'https://docs.api.nvidia.com/nim/reference/llm-apis',
});

export const nebius = host({
  id: 'nebius',
  name: 'Nebius Token Factory (AI Studio)',
  baseUrl: 'https://api.tokenfactory.nebius.com/v1',
  envKeys: ['NEBIUS_API_KEY'],
  envBaseUrl: ['NEBIUS_API_BASE'],
  litellmPrefixes: ['nebius'],
  docsUrl: 'https://docs.tokenfactory.nebius.com/',
});

export const novita = host({
  id: 'novita',
  name: 'Novita AI',
  baseUrl: 'https://api.novita.ai/v3/openai',
  envKeys: ['NOVITA_API_KEY'],
  envBaseUrl: ['NOVITA_API_BASE'],
  litellmPrefixes: ['novita'],
  pricingProviderId: 'novita',
  docsUrl: 'https://novita.ai/docs/guides/llm-api',
});

export const hyperbolic = host({
  id: 'hyperbolic',
  name: 'Hyperbolic',
  baseUrl: 'https://api.hyperbolic.xyz/v1',
  envKeys: ['HYPERBOLIC_API_KEY'],
  envBaseUrl: ['HYPERBOLIC_API_BASE'],
  litellmPrefixes: ['hyperbolic'],
  docsUrl: 'https://docs.hyperbolic.xyz/docs/rest-api',
});

export const deepinfra = host({
  id: 'deepinfra',
  name: 'DeepInfra',
  baseUrl: 'https://api.deepinfra.com/v1/openai',
  envKeys: ['DEEPINFRA_API_KEY'],
  envBaseUrl: ['DEEPINFRA_API_BASE'],
  litellmPrefixes: ['deepinfra'],
  docsUrl: 'https://deepinfra.com/docs/openai_api',
});

export const sambanova = host({
  id: 'sambanova',
  name: 'SambaNova Cloud',
  baseUrl: 'https://api.sambanova.ai/v1',
  envKeys: ['SAMBANOVA_API_KEY'],
  envBaseUrl: ['SAMBANOVA_API_BASE'],
  litellmPrefixes: ['sambanova'],
  docsUrl: 'https://docs.sambanova.ai/cloud/docs/capabilities/openai-compatibility',
});

export const baseten = host({
  id: 'baseten',
  name: 'Baseten Model APIs',
  baseUrl: 'https://inference.baseten.co/v1',
  envKeys: ['BASETEN_API_KEY'],
  envBaseUrl: ['BASETEN_API_BASE'],
  litellmPrefixes: ['baseten'],
  pricingProviderId: 'baseten',
  docsUrl: 'https://docs.baseten.co/development/model-apis/overview',
});

export const featherless = host({
  id: 'featherless',
  name: 'Featherless AI',
  baseUrl: 'https://api.featherless.ai/v1',
  envKeys: ['FEATHERLESS_API_KEY'],
  envBaseUrl: ['FEATHERLESS_API_BASE'],
  litellmPrefixes: ['featherless_ai'],
  docsUrl: 'https://featherless.ai/docs/api-overview-and-common-options',
});

export const nscale = host({
  id: 'nscale',
  name: 'Nscale Serverless Inference',
  baseUrl: 'https://inference.api.nscale.com/v1',
  envKeys: ['NSCALE_API_KEY'],
  envBaseUrl: ['NSCALE_API_BASE'],
  litellmPrefixes: ['nscale'],
  docsUrl: 'https://docs.nscale.com/docs/inference/serverless-models/overview',
});

export const scaleway = host({
  id: 'scaleway',
  name: 'Scaleway Generative APIs',
  baseUrl: 'https://api.scaleway.ai/v1',
  envKeys: ['SCW_SECRET_KEY'],
  envBaseUrl: ['SCW_API_BASE'],
  litellmPrefixes: ['scaleway'],
  docsUrl: 'https://www.scaleway.com/en/docs/generative-apis/',
});

export const ovhcloud = host({
  id: 'ovhcloud',
  name: 'OVHcloud AI Endpoints',
  baseUrl: 'https://oai.endpoints.kepler.ai.cloud.ovh.net/v1',
  envKeys: ['OVHCLOUD_API_KEY'],
  envBaseUrl: ['OVHCLOUD_API_BASE'],
  litellmPrefixes: ['ovhcloud'],
  pricingProviderId: 'ovhcloud',
  docsUrl: 'https://help.ovhcloud.com/csm/en-public-cloud-ai-endpoints-getting-started',
});

export const friendli = host({
  id: 'friendli',
  name: 'FriendliAI Serverless Endpoints',
  baseUrl: 'https://api.friendli.ai/serverless/v1',
  envKeys: ['FRIENDLI_TOKEN', 'FRIENDLIAI_API_KEY'],
  envBaseUrl: ['FRIENDLI_API_BASE'],
  litellmPrefixes: ['friendliai'],
  docsUrl: 'https://friendli.ai/docs/guides/serverless_endpoints/openai-compatibility',
});

/** Model ids are `publisher/model` (openai/gpt-4.1); a fine-grained token needs the models:read permission. */
export const githubModels = host({
  id: 'github-models',
  name: 'GitHub Models',
  baseUrl: 'https://models.github.ai/inference',
  envKeys: ['GITHUB_TOKEN', 'GITHUB_API_KEY'],
  envBaseUrl: ['GITHUB_MODELS_API_BASE'],
  litellmPrefixes: ['github'],
  docsUrl: 'https://docs.github.com/en/rest/models/inference',
});

/** Per-workspace: api_base is https://<workspace-host>/serving-endpoints and the model is the serving endpoint's name. */
export const databricks = host({
  id: 'databricks',
  name: 'Databricks Model Serving',
  baseUrl: '',
  envKeys: ['DATABRICKS_API_KEY', 'DATABRICKS_TOKEN'],
  envBaseUrl: ['DATABRICKS_API_BASE'],
  apiBaseRequired: true,
  litellmPrefixes: ['databricks'],
  docsUrl: 'https://docs.databricks.com/aws/en/machine-learning/model-serving/score-foundation-models',
});

export const kluster = host({
  id: 'kluster',
  name: 'kluster.ai',
  baseUrl: 'https://api.kluster.ai/v1',
  envKeys: ['KLUSTER_API_KEY'],
  envBaseUrl: ['KLUSTER_API_BASE'],
  litellmPrefixes: [],
  docsUrl: 'https://docs.kluster.ai/get-started/openai-compatibility',
});

export const parasail = host({
  id: 'parasail',
  name: 'Parasail',
  baseUrl: 'https://api.parasail.io/v1',
  envKeys: ['PARASAIL_API_KEY'],
  envBaseUrl: ['PARASAIL_API_BASE'],
  litellmPrefixes: [],
  docsUrl: 'https://docs.parasail.io/parasail-docs/serverless/serverless',
});

export const chutes = host({
  id: 'chutes',
  name: 'Chutes',
  baseUrl: 'https://llm.chutes.ai/v1',
  envKeys: ['CHUTES_API_KEY'],
  envBaseUrl: ['CHUTES_API_BASE'],
  quirks: maxTokensOnly,
  litellmPrefixes: ['chutes'],
  docsUrl: 'https://chutes.ai/docs',
});

export const venice = host({
  id: 'venice',
  name: 'Venice.ai',
  baseUrl: 'https://api.venice.ai/api/v1',
  envKeys: ['VENICE_API_KEY', 'VENICE_AI_API_KEY'],
  envBaseUrl: ['VENICE_API_BASE'],
  litellmPrefixes: ['veniceai'],
  docsUrl: 'https://docs.venice.ai/api-reference/api-spec',
});

export const avian = host({
  id: 'avian',
  name: 'Avian',
  baseUrl: 'https://api.avian.io/v1',
  envKeys: ['AVIAN_API_KEY'],
  envBaseUrl: ['AVIAN_API_BASE'],
  litellmPrefixes: [],
  pricingProviderId: 'avian',
  docsUrl: 'https://avian.io/docs',
});

export const wandb = host({
  id: 'wandb',
  name: 'W&B Inference (CoreWeave)',
  baseUrl: 'https://api.inference.wandb.ai/v1',
  envKeys: ['WANDB_API_KEY'],
  envBaseUrl: ['WANDB_API_BASE'],
  litellmPrefixes: ['wandb'],
  docsUrl: 'https://docs.wandb.ai/inference/api-reference',
});

export const vercelAiGateway = host({
  id: 'vercel-ai-gateway',
  name: 'Vercel AI Gateway',
  baseUrl: 'https://ai-gateway.vercel.sh/v1',
  envKeys: ['AI_GATEWAY_API_KEY', 'VERCEL_AI_GATEWAY_API_KEY'],
  envBaseUrl: ['VERCEL_AI_GATEWAY_API_BASE'],
  litellmPrefixes: ['vercel_ai_gateway'],
  docsUrl: 'https://vercel.com/docs/ai-gateway/openai-compat',
});

export const crusoe = host({
  id: 'crusoe',
  name: 'Crusoe Managed Inference',
  baseUrl: 'https://managed-inference-api-proxy.crusoecloud.com/v1',
  envKeys: ['CRUSOE_API_KEY'],
  envBaseUrl: ['CRUSOE_API_BASE'],
  quirks: maxTokensOnly,
  litellmPrefixes: ['crusoe'],
  docsUrl: 'https://docs.crusoecloud.com/',
});

export const gmi = host({
  id: 'gmi',
  name: 'GMI Cloud Inference',
  baseUrl: 'https://api.gmi-serving.com/v1',
  envKeys: ['GMI_API_KEY'],
  envBaseUrl: ['GMI_API_BASE'],
  litellmPrefixes: ['gmi'],
  docsUrl: 'https://docs.gmicloud.ai/inference-engine/api-reference',
});

export const publicai = host({
  id: 'publicai',
  name: 'Public AI',
  baseUrl: 'https://api.publicai.co/v1',
  envKeys: ['PUBLICAI_API_KEY'],
  envBaseUrl: ['PUBLICAI_API_BASE'],
  quirks: maxTokensOnly,
  litellmPrefixes: ['publicai'],
  docsUrl: 'https://platform.publicai.co/docs',
});

export const nanoGpt = host({
  id: 'nano-gpt',
  name: 'NanoGPT',
  baseUrl: 'https://nano-gpt.com/api/v1',
  envKeys: ['NANOGPT_API_KEY'],
  envBaseUrl: ['NANOGPT_API_BASE'],
  quirks: maxTokensOnly,
  litellmPrefixes: ['nano-gpt'],
  docsUrl: 'https://docs.nano-gpt.com/',
});

export const poe = host({
  id: 'poe',
  name: 'Poe API',
  baseUrl: 'https://api.poe.com/v1',
  envKeys: ['POE_API_KEY'],
  envBaseUrl: ['POE_API_BASE'],
  quirks: maxTokensOnly,
  litellmPrefixes: ['poe'],
  docsUrl: 'https://creator.poe.com/docs/external-applications/openai-compatible-api',
});

export const aihubmix = host({
  id: 'aihubmix',
  name: 'AiHubMix',
  baseUrl: 'https://aihubmix.com/v1',
  envKeys: ['AIHUBMIX_API_KEY'],
  envBaseUrl: ['AIHUBMIX_API_BASE'],
  litellmPrefixes: ['aihubmix'],
  docsUrl: 'https://docs.aihubmix.com/',
});
