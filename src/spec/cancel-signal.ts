/**
 * What a cancellable call listens to: the part of AbortSignal the gateway
 * uses. A real AbortSignal satisfies it (the SDK passes the caller's own),
 * and so does undici, which takes any object with `aborted`, `reason` and
 * `addEventListener`.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * A CancelSignal and its abort() in one small object.
 *
 * Why not AbortController: every request and every streamed attempt needs
 * one, and on the fast path an AbortController (EventTarget set-up, weak
 * listener bookkeeping, and the garbage it leaves) measured ~10 µs of CPU
 * per request — about a tenth of the gateway's whole share of a relayed
 * call. This holds its listeners in an array and calls each once.
 */
export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] | null = null;

  /** The signal side, for code written against AbortController's shape. */
  get signal(): CancelSignal {
    return this;
  }

  /** `once` is implied: the signal aborts once and drops its listeners then. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    // As EventTarget: a listener added after the abort is never called.
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const l = this.listeners;
    if (l === null) return;
    const i = l.indexOf(listener);
    if (i !== -1) l.splice(i, 1);
  }

  /** Aborts once; later calls do nothing. The default reason is AbortController's. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const l = this.listeners;
    this.listeners = null;
    if (l === null) return;
    for (const listener of l) {
      // As EventTarget: one listener's exception reaches the process, not abort()'s caller, and the rest still run.
      try {
        listener();
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
