import type { Usage } from '../../spec/index.js';
import type { CohereUsage } from './cohere-wire.js';

/**
 * Cohere reports two counts: `billed_units` (what the invoice charges) and
 * `tokens` (everything the model read, chat template included). Accounting
 * prices what is billed, so billed units win and raw tokens fill in only
 * when a deployment reports no billing (private deployments do not).
 */
export function convertUsage(u: CohereUsage | undefined): Usage {
  const input = u?.billed_units?.input_tokens ?? u?.tokens?.input_tokens ?? 0;
  const output = u?.billed_units?.output_tokens ?? u?.tokens?.output_tokens ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  if (typeof u?.cached_tokens === 'number' && u.cached_tokens > 0) usage.cacheReadTokens = u.cached_tokens;
  return usage;
}
