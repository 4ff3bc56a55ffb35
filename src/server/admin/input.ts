import { addDuration, parseDuration } from '../../accounting/index.js';
import { invalidRequest } from '../../spec/index.js';

/**
 * Field readers for request bodies and query strings. Each names the field
 * in its 400, so a client always learns exactly what to fix.
 */
export function optString(v: unknown, field: string): string | null | undefined {
  if (v === undefined || v === null) return v as undefined | null;
  if (typeof v !== 'string') throw invalidRequest(`${field} must be a string.`, field);
  return v;
}

export function reqString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalidRequest(`${field} is required (a non-empty string).`, field);
  return v.trim();
}

export function optStringList(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidRequest(`${field} must be a list of strings.`, field);
  return v as string[];
}

export function optCount(v: unknown, field: string): number | null | undefined {
  if (v === undefined || v === null) return v as undefined | null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalidRequest(`${field} must be a non-negative integer.`, field);
  return v;
}

export function optObject(v: unknown, field: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidRequest(`${field} must be a JSON object.`, field);
  return v as Record<string, unknown>;
}

export function optBool(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidRequest(`${field} must be true or false.`, field);
  return v;
}

/** LiteLLM durations ("30s", "1h", "7d", "1mo") → the instant that far from now. */
export function durationFromNow(v: string, field: string, now: number): number {
  try {
    return addDuration(now, parseDuration(v));
  } catch (e) {
    throw invalidRequest(`${field}: ${(e as Error).message.replace(/^budget_duration/, 'the duration')}`, field);
  }
}

export function checkDuration(v: string, field: string): string {
  durationFromNow(v, field, 0);
  return v;
}

/** An instant from an ISO date/time or epoch milliseconds. */
export function optInstant(v: unknown, field: string): number | null | undefined {
  if (v === undefined || v === null || v === '') return v === '' ? undefined : (v as undefined | null);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    // LiteLLM writes "2024-01-01 00:00:00" (UTC, space separated).
    const t = Date.parse(/^\d{4}-\d\d-\d\d \d/.test(v) ? `${v.replace(' ', 'T')}Z` : v);
    if (!Number.isNaN(t)) return t;
  }
  throw invalidRequest(`${field} must be an ISO date/time (e.g. 2025-01-31T00:00:00Z) or epoch milliseconds.`, field);
}

export function queryInt(v: unknown, field: string, dflt: number, max = 1000): number {
  if (v === undefined || v === '') return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n) || n < 0 || n > max) throw invalidRequest(`${field} must be an integer between 0 and ${max}.`, field);
  return n;
}

export function queryString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
