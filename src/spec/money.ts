/**
 * Money is counted in integer nano-dollars (1e-9 USD) everywhere inside the
 * gateway and in the database (BIGINT), so sums never drift the way float
 * dollars do. Per-request rounding error is below $1e-9; the safe-integer
 * range still covers $9 million per counter. Convert to dollars only at the
 * edges (API responses, headers).
 */
export type NanoUsd = number;

export const NANOS_PER_USD = 1_000_000_000;

export function usdToNanos(usd: number): NanoUsd {
  return Math.round(usd * NANOS_PER_USD);
}

export function nanosToUsd(nanos: NanoUsd): number {
  return nanos / NANOS_PER_USD;
}
