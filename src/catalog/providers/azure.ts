import type { ProviderEntry } from '../types.js';
import { trimSlash } from './normalize-base.js';

/**
 * Azure OpenAI. The model is the DEPLOYMENT name (`azure/<deployment>`);
 * the resource endpoint is the base. Dated api-versions use deployment URLs,
 * `api_version: v1` / `preview` (or a base ending in /openai/v1) the v1 API.
 * An Entra ID token (`azure_ad_token`) replaces the key. Deployment names
 * are the customer's own, so no models are listed.
 */
export const azure: ProviderEntry = {
  id: 'azure',
  name: 'Azure OpenAI',
  protocol: 'azure',
  baseUrl: '',
  apiBaseRequired: true,
  auth: { kind: 'header', name: 'api-key' },
  envKeys: ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'],
  envBaseUrl: ['AZURE_API_BASE', 'AZURE_OPENAI_ENDPOINT'],
  envApiVersion: ['AZURE_API_VERSION', 'OPENAI_API_VERSION'],
  keyRequired: true,
  litellmPrefixes: ['azure'],
  pricingProviderId: 'azure',
  docsUrl: 'https://learn.microsoft.com/azure/ai-foundry/openai/reference',
  extraInputs: [
    { key: 'azureAdToken', slot: 'credentials', litellmParams: ['azure_ad_token'], envVars: ['AZURE_AD_TOKEN'] },
    { key: 'deployment', slot: 'settings', litellmParams: ['azure_deployment'], envVars: [] },
    { key: 'apiStyle', slot: 'settings', litellmParams: [], envVars: [] },
  ],
  models: [],
};

/**
 * Azure AI Foundry models (LiteLLM's `azure_ai/`): serverless endpoints and
 * the Foundry model-inference API, OpenAI-shaped with the model in the body.
 * The configured base is the API root; a bare `services.ai.azure.com` host
 * gets the `/models` path its inference API lives under.
 */
export const azureAi: ProviderEntry = {
  id: 'azure-ai',
  name: 'Azure AI Foundry',
  protocol: 'azure',
  baseUrl: '',
  apiBaseRequired: true,
  auth: { kind: 'bearer' },
  envKeys: ['AZURE_AI_API_KEY'],
  envBaseUrl: ['AZURE_AI_API_BASE'],
  keyRequired: true,
  litellmPrefixes: ['azure_ai'],
  pricingProviderId: 'azure',
  docsUrl: 'https://learn.microsoft.com/azure/ai-foundry/model-inference/reference/reference-model-inference-api',
  defaultSettings: { apiStyle: 'foundry' },
  normalizeApiBase: (url) => {
    const base = trimSlash(url);
    try {
      const u = new URL(base);
      return u.hostname.endsWith('.services.ai.azure.com') && u.pathname.replace(/\/+$/, '') === '' ? `${base}/models` : base;
    } catch {
      return base;
    }
  },
  extraInputs: [{ key: 'azureAdToken', slot: 'credentials', litellmParams: ['azure_ad_token'], envVars: ['AZURE_AD_TOKEN'] }],
  models: [],
};
