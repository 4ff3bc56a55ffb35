import { num, numOrNull } from '../row-codec.js';
import type { RepositoryContext } from './repository-context.js';

export type BudgetOwner = 'key' | 'user' | 'team';

export interface DueBudget {
  kind: BudgetOwner;
  id: string;
  budgetDuration: string | null;
  budgetResetAt: number;
  spendNanos: number;
}

const TABLE = { key: 'virtual_keys', user: 'users', team: 'teams' } as const;

/**
 * Periodic budget resets (LiteLLM's budget_duration). Parsing durations and
 * choosing the next reset time is the accounting layer's job; the store only
 * offers the due list and a compare-and-set reset, so two gateway instances
 * running the same sweep reset each budget once.
 */
export class BudgetsRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  async dueForReset(now: number = this.ctx.now(), limit = 1000): Promise<DueBudget[]> {
    const out: DueBudget[] = [];
    for (const kind of ['key', 'user', 'team'] as const) {
      const rows = await this.ctx.database.db
        .selectFrom(TABLE[kind])
        .select(['id', 'budget_duration', 'budget_reset_at', 'spend_nanos'])
        .where('budget_reset_at', '<=', now)
        .orderBy('budget_reset_at')
        .limit(limit)
        .execute();
      for (const r of rows) {
        out.push({ kind, id: r.id, budgetDuration: r.budget_duration, budgetResetAt: numOrNull(r.budget_reset_at)!, spendNanos: num(r.spend_nanos) });
      }
    }
    return out;
  }

  /** Zeroes spend and moves the reset time, only if nobody did it since `expectedResetAt` was read. */
  async resetSpend(kind: BudgetOwner, id: string, expectedResetAt: number, nextResetAt: number | null): Promise<boolean> {
    const r = await this.ctx.database.db
      .updateTable(TABLE[kind])
      .set({ spend_nanos: 0, budget_reset_at: nextResetAt })
      .where('id', '=', id)
      .where('budget_reset_at', '=', expectedResetAt)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }
}
