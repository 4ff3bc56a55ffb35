import type { CallInfo, CallOutcome, Finaliser, RequestContext, RequestInterceptor } from '../../spec/index.js';

/**
 * Runs every interceptor's admit in order and returns one finaliser that
 * calls theirs exactly once, in reverse order (like middleware unwinding).
 * If an admit refuses, the finalisers of the ones already admitted run at
 * once with an error outcome, so their reservations are released.
 */
export type Finish = (outcome: CallOutcome) => Promise<void>;

/**
 * Synchronous when every interceptor admits synchronously (budgets, limits
 * in memory: the usual case), so the busiest routes take no promise and no
 * microtask turn here; a promise once any interceptor returns one.
 */
export function admitAll(interceptors: readonly RequestInterceptor[], ctx: RequestContext, call: CallInfo): Finish | Promise<Finish> {
  const finalisers: Finaliser[] = [];
  let done: Promise<void> | undefined;
  const finish: Finish = (outcome) => {
    if (done) return done;
    const waits: Promise<void>[] = [];
    for (let i = finalisers.length - 1; i >= 0; i--) {
      try {
        const pending = finalisers[i]!(ctx, outcome);
        if (pending) waits.push(pending.catch((err: unknown) => warnFailed(err)));
      } catch (err) {
        // A finaliser failing must not stop the others from releasing what they hold.
        warnFailed(err);
      }
    }
    done = waits.length === 0 ? Promise.resolve() : waits.length === 1 ? waits[0]! : Promise.all(waits).then(() => undefined);
    return done;
  };
  const refused = (err: unknown): Promise<never> => finish({ status: 'error', latencyMs: Date.now() - ctx.startedAt }).then(() => Promise.reject(err));
  const from = (start: number): Finish | Promise<Finish> => {
    for (let i = start; i < interceptors.length; i++) {
      let admitted: ReturnType<RequestInterceptor['admit']>;
      try {
        admitted = interceptors[i]!.admit(ctx, call);
      } catch (err) {
        return refused(err);
      }
      if (admitted instanceof Promise) {
        // From here on asynchronous: wait for this one, then carry on with the rest.
        return admitted.then(
          (fin) => {
            if (fin) finalisers.push(fin);
            return from(i + 1);
          },
          refused,
        );
      }
      if (admitted) finalisers.push(admitted);
    }
    return finish;
  };
  return from(0);
}

function warnFailed(err: unknown): void {
  process.emitWarning(`interceptor finaliser failed: ${(err as Error).message}`);
}
