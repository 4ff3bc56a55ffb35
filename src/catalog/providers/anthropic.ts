import type { ProviderEntry } from '../types.js';
import { ensureSuffix } from './normalize-base.js';

const withV1 = ensureSuffix('/v1');

export const anthropic: ProviderEntry = {
  id: 'anthropic',
  name: 'Anthropic',
  protocol: 'anthropic',
  baseUrl: 'https://api.anthropic.com/v1',
  auth: { kind: 'header', name: 'x-api-key' },
  envKeys: ['ANTHROPIC_API_KEY'],
  envBaseUrl: ['ANTHROPIC_BASE_URL', 'ANTHROPIC_API_BASE'],
  keyRequired: true,
  // The Messages API requires max_tokens; clients of other dialects often omit it.
  defaultMaxTokens: 4096,
  litellmPrefixes: ['anthropic'],
  pricingProviderId: 'anthropic',
  docsUrl: 'https://docs.anthropic.com/en/api/messages',
  // LiteLLM configs give the host ("https://api.anthropic.com") or the full
  // messages URL; the protocol expects the base up to and including /v1.
  normalizeApiBase: (url) => withV1(url.replace(/\/+$/, '').replace(/\/messages$/, '')),
  models: [
    { id: 'claude-opus-4-1-20250805', contextWindow: 200_000, maxOutputTokens: 32_000, vision: true, tools: true },
    { id: 'claude-opus-4-20250514', contextWindow: 200_000, maxOutputTokens: 32_000, vision: true, tools: true },
    { id: 'claude-sonnet-4-5-20250929', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'claude-sonnet-4-20250514', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'claude-3-7-sonnet-20250219', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'claude-haiku-4-5-20251001', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'claude-3-5-haiku-20241022', contextWindow: 200_000, maxOutputTokens: 8_192, tools: true },
  ],
};
