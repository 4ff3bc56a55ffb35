import type { LedgerRecorder, LedgerRow, LedgerSink } from '../../accounting/index.js';

export type SpendOwner = 'key' | 'user' | 'team';

const slot = (kind: SpendOwner, id: string): string => `${kind}\u0000${id}`;

/**
 * Spend the budget book has settled but the database has not counted yet:
 * ledger rows recorded in this process and not yet written by the sink
 * (about a second of traffic, longer while the database is down). Reloading
 * an account from the database adds this back, so an admin edit or a credit
 * top-up never hands out money that was already spent.
 */
export class UnflushedSpend {
  private readonly rows = new Map<string, { owners: [SpendOwner, string][]; costNanos: number }>();
  private readonly totals = new Map<string, number>();
  private writes = 0;

  /** Sink writes started or finished so far; a read that saw this change may have raced a commit. */
  get generation(): number {
    return this.writes;
  }

  /** Cost of this owner's rows not yet in the database. */
  of(kind: SpendOwner, id: string): number {
    return this.totals.get(slot(kind, id)) ?? 0;
  }

  /** A frozen copy of every owner's unflushed cost (taken before a database read). */
  snapshot(): (kind: SpendOwner, id: string) => number {
    const copy = new Map(this.totals);
    return (kind, id) => copy.get(slot(kind, id)) ?? 0;
  }

  /** Wraps the writer: every row is counted here before it is handed on. */
  recorder(inner: LedgerRecorder): LedgerRecorder {
    return {
      record: (row) => {
        this.note(row);
        return inner.record(row);
      },
    };
  }

  /** Wraps the store's sink: rows leave this count once their batch is committed. */
  sink(inner: LedgerSink): LedgerSink {
    return {
      write: async (rows) => {
        this.writes++;
        try {
          await inner.write(rows);
          for (const r of rows) this.forget(r.requestId);
        } finally {
          this.writes++;
        }
      },
    };
  }

  private note(row: LedgerRow): void {
    // A row with no owner (the master key's) is in no account's total: nothing to hold back.
    if (row.costNanos <= 0 || (!row.keyId && !row.userId && !row.teamId) || this.rows.has(row.requestId)) return;
    const owners: [SpendOwner, string][] = [];
    if (row.keyId) owners.push(['key', row.keyId]);
    if (row.userId) owners.push(['user', row.userId]);
    if (row.teamId) owners.push(['team', row.teamId]);
    this.rows.set(row.requestId, { owners, costNanos: row.costNanos });
    for (const [kind, id] of owners) this.totals.set(slot(kind, id), this.of(kind, id) + row.costNanos);
  }

  private forget(requestId: string): void {
    const r = this.rows.get(requestId);
    if (!r) return; // replayed from a previous process's journal: never counted here
    this.rows.delete(requestId);
    for (const [kind, id] of r.owners) {
      const left = this.of(kind, id) - r.costNanos;
      if (left > 0) this.totals.set(slot(kind, id), left);
      else this.totals.delete(slot(kind, id));
    }
  }
}
