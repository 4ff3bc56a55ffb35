import type { CallInfo, CallOutcome, Finaliser, RequestContext, RequestInterceptor } from '../../spec/index.js';

/**
 * Runs every interceptor's admit in order and returns one finaliser that
 * calls theirs exactly once, in reverse order (like middleware unwinding).
 * If an admit refuses, the finalisers of the ones already admitted run at
 * once with an error outcome, so their reservations are released.
 */
export type Finish = (outcome: CallOutcome) => Promise<void>;

export async function admitAll(interceptors: readonly RequestInterceptor[], ctx: RequestContext, call: CallInfo): Promise<Finish> {
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
    done = waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => undefined);
    return done;
  };
  for (const interceptor of interceptors) {
    try {
      const admitted = interceptor.admit(ctx, call);
      const fin = admitted instanceof Promise ? await admitted : admitted;
      if (fin) finalisers.push(fin);
    } catch (err) {
      await finish({ status: 'error', latencyMs: Date.now() - ctx.startedAt });
      throw err;
    }
  }
  return finish;
}

function warnFailed(err: unknown): void {
  process.emitWarning(`interceptor finaliser failed: ${(err as Error).message}`);
}
