/** Something that can abort a call: an AbortSignal, or an EventEmitter-style signal (see relay-request.ts). */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Calls `onAbort` once when the signal aborts; returns the unsubscribe. Both signal styles, as undici accepts them. */
export function onAbort(signal: AbortLike | undefined, listener: () => void): () => void {
  if (!signal) return () => {};
  if ('addEventListener' in signal) {
    const target = signal as AbortSignal;
    target.addEventListener('abort', listener, { once: true });
    return () => target.removeEventListener('abort', listener);
  }
  const emitter = signal as unknown as NodeJS.EventEmitter;
  emitter.once('abort', listener);
  return () => emitter.removeListener('abort', listener);
}

/** The abort reason as the Error undici is handed (its own AbortError shape when the reason is not one). */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' });
}
