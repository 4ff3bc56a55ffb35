import { Cancellation, type CancelSignal } from '../spec/index.js';

/**
 * A per-attempt abort signal tied to the client's: aborting the client's
 * request aborts every attempt, and one attempt can be cancelled (timeout,
 * lost hedge race) without touching the others.
 */
export function attemptController(parent: CancelSignal): { controller: Cancellation; dispose(): void } {
  const controller = new Cancellation();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, dispose: () => {} };
  }
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}
