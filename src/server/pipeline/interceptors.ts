import type { CallInfo, CallOutcome, Finaliser, RequestContext, RequestInterceptor } from '../../spec/index.js';

/**
 * Runs every interceptor's admit in order and returns one finaliser that
 * calls theirs exactly once, in reverse order (like middleware unwinding).
 * If an admit refuses, the finalisers of the ones already admitted run at
 * once with an error outcome, so their reservations are released.
 */
export async function admitAll(interceptors: readonly RequestInterceptor[], ctx: RequestContext, call: CallInfo): Promise<(outcome: CallOutcome) => void> {
  const finalisers: Finaliser[] = [];
  let done = false;
  const finish = (outcome: CallOutcome): void => {
    if (done) return;
    done = true;
    for (let i = finalisers.length - 1; i >= 0; i--) {
      try {
        finalisers[i]!(ctx, outcome);
      } catch (err) {
        // A finaliser failing must not stop the others from releasing what they hold.
        process.emitWarning(`interceptor finaliser failed: ${(err as Error).message}`);
      }
    }
  };
  for (const interceptor of interceptors) {
    try {
      const admitted = interceptor.admit(ctx, call);
      const fin = admitted instanceof Promise ? await admitted : admitted;
      if (fin) finalisers.push(fin);
    } catch (err) {
      finish({ status: 'error', latencyMs: Date.now() - ctx.startedAt });
      throw err;
    }
  }
  return finish;
}
