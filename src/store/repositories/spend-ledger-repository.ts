import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { assertNanos, toBool } from '../row-codec.js';
import type { SpendDailyTable } from '../schema.js';
import { isTransientTransactionError } from '../store-errors.js';
import { inTransaction, type Tx } from '../transaction.js';
import type { RepositoryContext } from './repository-context.js';
import { SqliteSpendWriter, type SpendCounterTable, type SpendLogRow } from './sqlite-spend-writer.js';
import { utcDay, type SpendDimension, type SpendLogInput } from './spend-log-types.js';

export interface InsertSpendOptions {
  /**
   * Also draw each user's prepaid balance down by the cost of their newly
   * inserted rows, clamped at zero (the in-memory book records any shortfall
   * as unpaid). Done in the same transaction as the insert, so a batch
   * replayed after a crash debits exactly once, like the spend counters.
   */
  debitUserBalances?: boolean;
}

export interface InsertSpendResult {
  /** Rows written now (their spend was counted). */
  inserted: number;
  /** Request ids already in the ledger (or repeated in the batch): ignored, not counted again. */
  duplicates: string[];
}

type Row = SpendLogRow;
const CHUNK = 200;
const COUNTERS = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos'] as const;

function toRow(l: SpendLogInput, now: number): Row {
  assertNanos(l.costNanos, `spend log ${l.requestId} costNanos`);
  if (l.costNanos < 0) throw new RangeError(`spend log ${l.requestId}: costNanos must not be negative`);
  return {
    request_id: l.requestId,
    key_id: l.keyId ?? null,
    user_id: l.userId ?? null,
    team_id: l.teamId ?? null,
    public_model: l.publicModel,
    deployment: l.deployment ?? null,
    provider: l.provider ?? null,
    upstream_model: l.upstreamModel ?? null,
    input_tokens: l.inputTokens ?? 0,
    output_tokens: l.outputTokens ?? 0,
    cache_read_tokens: l.cacheReadTokens ?? 0,
    cache_write_tokens: l.cacheWriteTokens ?? 0,
    reasoning_tokens: l.reasoningTokens ?? 0,
    cost_nanos: l.costNanos,
    status: l.status,
    http_status: l.httpStatus ?? null,
    error_code: l.errorCode ?? null,
    latency_ms: l.latencyMs ?? null,
    ttft_ms: l.ttftMs ?? null,
    stream: toBool(l.stream),
    cache_hit: toBool(l.cacheHit),
    client_ip: l.clientIp ?? null,
    user_agent: l.userAgent ?? null,
    endpoint: l.endpoint ?? null,
    warning: l.warning ?? null,
    attempts: l.attempts ?? 1,
    fallbacks: l.fallbacks ?? 0,
    created_at: l.createdAt ?? now,
  };
}

/** One counter bump: `cost` nano-USD onto `table`'s row `id`. */
interface SpendDelta {
  table: SpendCounterTable;
  id: string;
  cost: number;
}

const COUNTER_TABLES = [
  ['virtual_keys', 'key_id'],
  ['users', 'user_id'],
  ['teams', 'team_id'],
] as const satisfies readonly (readonly [SpendCounterTable, keyof Row])[];

/** The counter updates the inserted `rows` call for, table by table, ids sorted, zero costs left out. */
function spendDeltas(rows: Row[]): SpendDelta[] {
  const out: SpendDelta[] = [];
  for (const [table, column] of COUNTER_TABLES) {
    const sums = new Map<string, number>();
    for (const r of rows) {
      const id = r[column];
      if (id) sums.set(id, (sums.get(id) ?? 0) + Number(r.cost_nanos));
    }
    // Sorted ids = the same lock order in every transaction, which keeps concurrent batches from deadlocking.
    for (const id of [...sums.keys()].sort()) {
      const cost = sums.get(id)!;
      if (cost !== 0) out.push({ table, id, cost });
    }
  }
  return out;
}

/** The inserted `rows` summed per (UTC day, dimension, id), sorted by that key (the upserts' lock order). */
function dailyAggregates(rows: Row[]): SpendDailyTable[] {
  const agg = new Map<string, SpendDailyTable>();
  const bump = (day: string, kind: SpendDimension, id: string | null | undefined, r: Row) => {
    if (!id) return;
    const k = `${day}\u0000${kind}\u0000${id}`;
    let a = agg.get(k);
    if (!a) {
      a = { day, kind, dim_id: id, requests: 0, error_requests: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_nanos: 0 };
      agg.set(k, a);
    }
    a.requests += 1;
    if (r.status !== 'success') a.error_requests += 1;
    for (const c of COUNTERS) a[c] += Number(r[c] ?? 0);
  };
  for (const r of rows) {
    const day = utcDay(Number(r.created_at));
    bump(day, 'key', r.key_id, r);
    bump(day, 'user', r.user_id, r);
    bump(day, 'team', r.team_id, r);
    bump(day, 'model', r.public_model, r);
  }
  return [...agg.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** Attempts of a SQLite batch that hit SQLITE_BUSY, as many as inTransaction allows. */
const MAX_ATTEMPTS = 5;

/**
 * The ledger's write side. `insertSpendLogs` is the one place spend is
 * counted: in a single transaction it inserts the rows (idempotent on
 * request_id), then adds the cost of the rows actually inserted to the key,
 * user and team counters and to the daily aggregates. A retried batch, or a
 * request logged twice, is therefore counted exactly once.
 */
export class SpendLedgerRepository {
  private sqliteWriter: SqliteSpendWriter | undefined;

  constructor(private readonly ctx: RepositoryContext) {}

  async insertSpendLogs(logs: SpendLogInput[], opts: InsertSpendOptions = {}): Promise<InsertSpendResult> {
    const now = this.ctx.now();
    const seen = new Set<string>();
    const repeated: string[] = [];
    const rows: Row[] = [];
    for (const l of logs) {
      if (seen.has(l.requestId)) repeated.push(l.requestId);
      else {
        seen.add(l.requestId);
        rows.push(toRow(l, now));
      }
    }
    if (rows.length === 0) return { inserted: 0, duplicates: repeated };
    const debit = opts.debitUserBalances === true;
    const { sqlite } = this.ctx.database;
    if (this.ctx.database.dialect === 'sqlite' && sqlite) return this.insertOnSqlite(sqlite, rows, repeated, debit);
    return inTransaction(this.ctx.database, async (tx) => {
      const insertedIds = await this.insertNew(tx, rows);
      // A fresh list per attempt: inTransaction may run this again after a deadlock.
      const duplicates = [...repeated];
      const inserted = rows.filter((r) => insertedIds.has(r.request_id));
      for (const r of rows) if (!insertedIds.has(r.request_id)) duplicates.push(r.request_id);
      await this.addToCounters(tx, inserted, debit);
      await this.addToDaily(tx, inserted);
      return { inserted: inserted.length, duplicates };
    });
  }

  /** Deletes ledger rows older than `before` (epoch ms) in small batches; daily aggregates stay. */
  async deleteSpendLogsBefore(before: number, batchSize = 5000): Promise<number> {
    const db = this.ctx.database.db;
    let total = 0;
    for (;;) {
      const ids = await db.selectFrom('spend_logs').select('id').where('created_at', '<', before).orderBy('id').limit(batchSize).execute();
      if (ids.length === 0) return total;
      const r = await db.deleteFrom('spend_logs').where('id', 'in', ids.map((i) => i.id)).executeTakeFirst();
      total += Number(r.numDeletedRows);
      if (ids.length < batchSize) return total;
    }
  }

  /**
   * The same transaction as the Kysely path, with statements prepared once
   * (see SqliteSpendWriter): on SQLite the batch runs on the event loop, and
   * building, compiling and re-preparing 500-row INSERTs cost nearly as much
   * CPU as SQLite's own writes.
   */
  private async insertOnSqlite(sqlite: BetterSqlite3.Database, rows: Row[], repeated: string[], debit: boolean): Promise<InsertSpendResult> {
    const writer = (this.sqliteWriter ??= new SqliteSpendWriter(sqlite));
    const batch = (): InsertSpendResult => {
      const { inserted, duplicates } = writer.insertLogs(rows);
      for (const d of spendDeltas(inserted)) {
        writer.addSpend(d.table, d.id, d.cost);
        if (d.table === 'users' && debit) writer.debitBalance(d.id, d.cost);
      }
      for (const a of dailyAggregates(inserted)) writer.addDaily(a);
      return { inserted: inserted.length, duplicates: [...repeated, ...duplicates] };
    };
    for (let attempt = 1; ; attempt++) {
      try {
        // Kysely's SQLite driver lends its one connection to one user at a
        // time and keeps it for the whole of a transaction, awaits included.
        // Borrowing it here means no Kysely transaction is open while the raw
        // one runs, and none can start until it has committed or rolled back.
        return await this.ctx.database.db.connection().execute(async () => writer.transaction(batch));
      } catch (e) {
        // SQLITE_BUSY (another process kept the write lock past busy_timeout): retried like inTransaction does.
        if (attempt >= MAX_ATTEMPTS || !isTransientTransactionError(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }

  /** The request ids of `rows` that this statement inserted (not already present). */
  private async insertNew(tx: Tx, rows: Row[]): Promise<Set<string>> {
    const ids = new Set<string>();
    if (this.ctx.database.dialect === 'mysql') {
      // No RETURNING on MySQL: one INSERT IGNORE per row, and its affected-row count says whether it was new.
      for (const row of rows) {
        const r = await tx.insertInto('spend_logs').ignore().values(row).executeTakeFirst();
        if ((r.numInsertedOrUpdatedRows ?? 0n) > 0n) ids.add(row.request_id);
      }
      return ids;
    }
    for (let i = 0; i < rows.length; i += CHUNK) {
      const got = await tx
        .insertInto('spend_logs')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) => oc.column('request_id').doNothing())
        .returning('request_id')
        .execute();
      for (const g of got) ids.add(g.request_id);
    }
    return ids;
  }

  private async addToCounters(tx: Tx, rows: Row[], debitUserBalances: boolean): Promise<void> {
    for (const { table, id, cost } of spendDeltas(rows)) {
      await tx
        .updateTable(table)
        .set({ spend_nanos: sql<number>`spend_nanos + ${cost}` })
        .where('id', '=', id)
        .execute();
      if (table === 'users' && debitUserBalances) {
        await tx
          .updateTable('users')
          .set({ balance_nanos: sql<number>`case when balance_nanos > ${cost} then balance_nanos - ${cost} else 0 end` })
          .where('id', '=', id)
          .where('balance_nanos', '>', 0)
          .execute();
      }
    }
  }

  private async addToDaily(tx: Tx, rows: Row[]): Promise<void> {
    const values = dailyAggregates(rows);
    if (values.length === 0) return;
    const summed = ['requests', 'error_requests', ...COUNTERS] as const;
    for (let i = 0; i < values.length; i += CHUNK) {
      const q = tx.insertInto('spend_daily').values(values.slice(i, i + CHUNK));
      if (this.ctx.database.dialect === 'mysql') {
        await q
          .onDuplicateKeyUpdate(Object.fromEntries(summed.map((c) => [c, sql`${sql.ref(c)} + values(${sql.ref(c)})`])))
          .execute();
      } else {
        await q
          .onConflict((oc) =>
            oc
              .columns(['day', 'kind', 'dim_id'])
              .doUpdateSet(Object.fromEntries(summed.map((c) => [c, sql`${sql.ref(`spend_daily.${c}`)} + ${sql.ref(`excluded.${c}`)}`]))),
          )
          .execute();
      }
    }
  }
}
