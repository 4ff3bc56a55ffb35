import type { SubjectState, WindowState } from './limiter-store.js';

/**
 * OpenAI's rate-limit headers. A request can be limited by its key and its
 * team at once; each pair of headers shows the tighter one (fewest
 * remaining), which is the one the client will run into first. Reset times
 * use OpenAI's Go-duration style ("250ms", "1.5s", "1m0s").
 */
export function rateLimitHeaders(states: readonly SubjectState[]): Record<string, string> {
  const out: Record<string, string> = {};
  const requests = tightest(states.map((s) => s.requests));
  if (requests) {
    out['x-ratelimit-limit-requests'] = String(requests.limit);
    out['x-ratelimit-remaining-requests'] = String(requests.remaining);
    out['x-ratelimit-reset-requests'] = formatDuration(requests.resetMs);
  }
  const tokens = tightest(states.map((s) => s.tokens));
  if (tokens) {
    out['x-ratelimit-limit-tokens'] = String(tokens.limit);
    out['x-ratelimit-remaining-tokens'] = String(tokens.remaining);
    out['x-ratelimit-reset-tokens'] = formatDuration(tokens.resetMs);
  }
  return out;
}

function tightest(list: (WindowState | undefined)[]): WindowState | undefined {
  let best: WindowState | undefined;
  for (const w of list) {
    if (!w) continue;
    if (!best || w.remaining < best.remaining || (w.remaining === best.remaining && w.limit < best.limit)) best = w;
  }
  return best;
}

export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  if (whole < 60_000) return `${trim(whole / 1000)}s`;
  const minutes = Math.floor(whole / 60_000);
  return `${minutes}m${trim((whole - minutes * 60_000) / 1000)}s`;
}

function trim(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}
