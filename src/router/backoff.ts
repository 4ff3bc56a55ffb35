import type { CancelSignal } from '../spec/index.js';
/**
 * Delay before retry number `attempt` (1-based): exponential with full
 * jitter, but never shorter than what the upstream asked for in Retry-After.
 */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, random: () => number, baseMs = 100, capMs = 8_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * exp);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}

/** Sleeps unless the signal aborts first (then rejects with the signal's reason). */
export function sleep(ms: number, signal: CancelSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
