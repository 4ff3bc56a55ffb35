import { formatNanosAsUsd } from '../../accounting/index.js';
import { invalidRequest, nanosToUsd } from '../../spec/index.js';

/** JSON numbers as plain decimal text: 1e-7 → "0.0000001". */
function plain(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

/**
 * USD from the API (a JSON number or a decimal string, as LiteLLM sends)
 * into integer nano-USD exactly. A value with more than 9 decimal places is
 * refused rather than rounded, so what the admin typed is what is stored.
 */
export function usdToNanosExact(value: unknown, field: string, opts: { allowNegative?: boolean } = {}): number {
  let text: string;
  if (typeof value === 'number' && Number.isFinite(value)) text = plain(value);
  else if (typeof value === 'string') text = value.trim();
  else throw invalidRequest(`${field} must be an amount in USD (a number).`, field);
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) throw invalidRequest(`${field} must be an amount in USD such as 12.5, got ${JSON.stringify(value)}.`, field);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > 9) throw invalidRequest(`${field} has more than 9 decimal places; amounts are counted in nano-dollars.`, field);
  const nanos = BigInt(m[2]!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidRequest(`${field} is too large.`, field);
  const signed = m[1] ? -Number(nanos) : Number(nanos);
  if (signed < 0 && !opts.allowNegative) throw invalidRequest(`${field} must not be negative.`, field);
  return signed;
}

/** Optional USD field: undefined stays undefined, null clears. */
export function optionalUsd(value: unknown, field: string): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return usdToNanosExact(value, field);
}

/** Nano-USD to the USD number the API returns (LiteLLM returns floats). */
export function usd(nanos: number): number;
export function usd(nanos: number | null): number | null;
export function usd(nanos: number | null): number | null {
  return nanos === null ? null : nanosToUsd(nanos);
}

/** Exact decimal text, for CSV and anywhere a float would mislead. */
export function usdText(nanos: number): string {
  return formatNanosAsUsd(nanos);
}

/** A team's price multiplier ("1.5" or 1.5) as parts per million, exactly; more than 6 decimals is refused. */
export function multiplierToPpm(value: unknown, field: string): number {
  const text = typeof value === 'number' && Number.isFinite(value) ? plain(value) : typeof value === 'string' ? value.trim() : '';
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) throw invalidRequest(`${field} must be a non-negative number such as 1.5.`, field);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 6) throw invalidRequest(`${field} allows at most 6 decimal places.`, field);
  const ppm = Number(m[1]) * 1_000_000 + Number(frac.padEnd(6, '0'));
  if (!Number.isSafeInteger(ppm)) throw invalidRequest(`${field} is too large.`, field);
  return ppm;
}

export function ppmToMultiplier(ppm: number): number {
  return ppm / 1_000_000;
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
