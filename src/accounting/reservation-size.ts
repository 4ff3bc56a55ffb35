/**
 * How much to hold before a call: the request's price for its estimated
 * prompt (all at the uncached input rate, an upper bound) plus its output
 * cap. Clients that set no max tokens are sized at DEFAULT_OUTPUT_CAP_TOKENS
 * (4,096); a longer answer is still billed in full at settlement and shows
 * up as an over-run, the bounded way a limit can be passed.
 */
import { computeCost } from './compute-cost.js';
import type { ModelPrice } from './prices.js';

export const DEFAULT_OUTPUT_CAP_TOKENS = 4096;

export interface ReservationSizeInput {
  estimatedInputTokens: number;
  maxOutputTokens?: number;
}

export function reservationNanos(
  price: ModelPrice,
  call: ReservationSizeInput,
  opts: { defaultOutputCapTokens?: number; multiplier?: string | number } = {},
): number {
  const inputTokens = Math.max(0, Math.ceil(call.estimatedInputTokens));
  const outputTokens = call.maxOutputTokens ?? opts.defaultOutputCapTokens ?? DEFAULT_OUTPUT_CAP_TOKENS;
  return computeCost({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }, price, opts).totalNanos;
}
