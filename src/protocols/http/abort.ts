import type { CancelSignal } from '../../spec/index.js';

/** Calls `listener` once when the signal aborts; returns the unsubscribe. Nothing to do without a signal. */
export function onAbort(signal: CancelSignal | undefined, listener: () => void): () => void {
  if (!signal) return () => {};
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** The abort reason as the Error undici is handed (its own AbortError shape when the reason is not one). */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' });
}
