import { nextResetAfter, parseDuration } from '../../accounting/index.js';
import type { Store } from '../../store/index.js';
import type { Logger } from '../log.js';
import type { AccountDirectory } from './account-directory.js';

const SWEEP_MS = 60_000;

/**
 * LiteLLM's `budget_duration`: spend counters go back to zero when their
 * period ends. The store resets with a compare-and-set (so two instances
 * reset a budget once); the directory then reloads that account so the
 * in-memory book agrees. The book also resets on its own clock, so a sweep
 * arriving late never lets spend through early.
 */
export function startBudgetResets(store: Store, directory: AccountDirectory, log: Logger, now: () => number = Date.now): { stop(): void; sweep(): Promise<number> } {
  const sweep = async (): Promise<number> => {
    let count = 0;
    for (const due of await store.budgets.dueForReset(now())) {
      let next: number | null = null;
      if (due.budgetDuration) {
        try {
          next = nextResetAfter(due.budgetResetAt, parseDuration(due.budgetDuration), now());
        } catch {
          log.warn('budget has an unreadable duration; resetting once', { kind: due.kind, id: due.id });
        }
      }
      if (!(await store.budgets.resetSpend(due.kind, due.id, due.budgetResetAt, next))) continue;
      count++;
      if (due.kind === 'key') await directory.refreshKey(due.id);
      else if (due.kind === 'user') await directory.refreshUser(due.id);
      else await directory.refreshTeam(due.id);
    }
    return count;
  };
  const timer = setInterval(() => {
    sweep().catch((err: unknown) => log.warn('budget reset sweep failed', { message: (err as Error).message }));
  }, SWEEP_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), sweep };
}
