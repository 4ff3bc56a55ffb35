import type { ProviderEntry } from '../types.js';
import { cloudflare } from './hosted-inference.js';

/**
 * Cloudflare Workers AI's native REST API (`…/ai/run/{model}`), beside the
 * `cloudflare` entry on the same account's OpenAI-compatible `…/ai/v1`.
 * Same token, same account id input (so one configuration reaches both);
 * native adds models the compatible endpoint does not serve and Cloudflare's
 * own options (repetition_penalty, raw, lora) via providerOptions['workers-ai'].
 *
 * LiteLLM's `cloudflare/` prefix stays on the `cloudflare` entry (a prefix
 * names one entry); native config selects this one by id.
 */
export const cloudflareWorkersAi: ProviderEntry = {
  id: 'cloudflare-workers-ai',
  name: 'Cloudflare Workers AI (native API)',
  protocol: 'workers-ai',
  baseUrl: 'https://api.cloudflare.com/client/v4/accounts/{accountId}/ai',
  auth: { kind: 'bearer' },
  // No key variables of its own: they belong to the OpenAI-compatible `cloudflare`
  // entry, so an environment-only start registers Cloudflare once. Configs name
  // this entry explicitly and give its key (e.g. `api_key: env:CLOUDFLARE_API_TOKEN`).
  envKeys: [],
  envBaseUrl: ['CLOUDFLARE_API_BASE'],
  keyRequired: true,
  litellmPrefixes: [],
  pricingProviderId: 'cloudflare',
  docsUrl: 'https://developers.cloudflare.com/workers-ai/get-started/rest-api/',
  extraInputs: cloudflare.extraInputs,
  models: [
    { id: '@cf/meta/llama-3.1-8b-instruct', mode: 'chat', vision: false },
    { id: '@cf/baai/bge-base-en-v1.5', mode: 'embedding' },
  ],
};
