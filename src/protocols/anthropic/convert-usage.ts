import type { Usage } from '../../spec/index.js';
import type { AnthropicUsage } from './anthropic-wire.js';

/**
 * Anthropic counts cache reads and cache writes OUTSIDE `input_tokens`; the
 * unified usage counts the whole prompt (see spec/usage.ts), so they are
 * summed in here and also reported separately for pricing.
 */
export function convertUsage(u: AnthropicUsage | undefined): Usage {
  const uncached = num(u?.input_tokens);
  const cacheRead = num(u?.cache_read_input_tokens);
  const cacheWrite = num(u?.cache_creation_input_tokens);
  const output = num(u?.output_tokens);
  const inputTokens = uncached + cacheRead + cacheWrite;
  const usage: Usage = { inputTokens, outputTokens: output, totalTokens: inputTokens + output };
  if (u?.cache_read_input_tokens != null) usage.cacheReadTokens = cacheRead;
  if (u?.cache_creation_input_tokens != null) usage.cacheWriteTokens = cacheWrite;
  const thinking = u?.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') usage.reasoningTokens = thinking;
  return usage;
}

/**
 * Streams report usage twice: `message_start` (input side, output ≈ 1) and
 * `message_delta` (cumulative totals; fields it omits did not change).
 * Later values overwrite, never add.
 */
export function mergeUsage(into: AnthropicUsage, next: AnthropicUsage | undefined): AnthropicUsage {
  if (next === undefined || next === null) return into;
  const out: AnthropicUsage = { ...into };
  for (const [k, v] of Object.entries(next) as [keyof AnthropicUsage, AnthropicUsage[keyof AnthropicUsage]][]) {
    if (v !== null && v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

function num(v: number | null | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
