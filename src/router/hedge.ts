import type { AttemptRecord, GatewayError } from '../spec/index.js';
import type { Deployment } from './deployment.js';

/** One attempt in flight, as the retry loop and the hedger handle it. */
export interface RunningAttempt<T> {
  deployment: Deployment;
  record: AttemptRecord;
  /** Resolves with the attempt's answer (for streams: once the first token is in hand). */
  promise: Promise<T>;
  /** Stops it (aborting the upstream); a failure that follows is not held against the deployment. */
  cancel(): void;
}

export interface Won<T> {
  winner: RunningAttempt<T>;
  value: T;
}

/**
 * Runs `first`; if it has not answered after `delayMs`, starts a second
 * attempt (on another deployment) and takes whichever answers first,
 * cancelling the other. A result that arrives after the race was decided is
 * handed to `discard` so its stream or socket is released. If one side
 * fails the other is awaited; the race fails only when every started
 * attempt has failed (with the last error).
 */
export function raceWithHedge<T>(
  first: RunningAttempt<T>,
  startHedge: () => RunningAttempt<T> | undefined,
  delayMs: number,
  discard: (loser: RunningAttempt<T>, value: T) => void,
): Promise<Won<T>> {
  return new Promise((resolve, reject) => {
    const running: RunningAttempt<T>[] = [];
    let decided = false;
    let failed = 0;
    let hedgeDone = false;
    const timer = setTimeout(() => {
      hedgeDone = true;
      if (decided) return;
      const second = startHedge();
      if (second !== undefined) {
        second.record.hedge = true;
        watch(second);
      }
    }, delayMs);
    const watch = (a: RunningAttempt<T>): void => {
      running.push(a);
      a.promise.then(
        (value) => {
          if (decided) {
            a.record.cancelled = true;
            discard(a, value);
            return;
          }
          decided = true;
          clearTimeout(timer);
          for (const other of running) {
            if (other === a) continue;
            other.record.cancelled = true;
            other.cancel();
          }
          resolve({ winner: a, value });
        },
        (err: GatewayError) => {
          failed++;
          if (decided) return;
          // Wait for the other side, or for the hedge that has not started yet.
          if (failed < running.length) return;
          if (!hedgeDone) {
            // The first failed before the hedge was due: let the retry loop decide what is next.
            clearTimeout(timer);
            hedgeDone = true;
          }
          decided = true;
          reject(err);
        },
      );
    };
    watch(first);
  });
}
