/**
 * Reads how long an upstream asked us to wait: `retry-after-ms` (OpenAI,
 * Anthropic), `retry-after` as seconds or an HTTP date. Undefined when absent
 * or nonsensical; capped so a hostile header cannot park a request forever.
 */
const MAX_MS = 10 * 60_000;

export function parseRetryAfter(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined) {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.min(n, MAX_MS);
  }
  const ra = first(headers['retry-after']);
  if (ra === undefined) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, MAX_MS);
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_MS);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
