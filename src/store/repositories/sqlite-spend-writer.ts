import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable } from 'kysely';
import type { SpendDailyTable, SpendLogsTable } from '../schema.js';

export type SpendLogRow = Insertable<SpendLogsTable>;
export type SpendCounterTable = 'virtual_keys' | 'users' | 'teams';

// Every spend_logs column but the generated id, in the order they are bound.
const LOG_COLUMNS = [
  'request_id', 'key_id', 'user_id', 'team_id', 'public_model', 'deployment', 'provider', 'upstream_model',
  'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos',
  'status', 'http_status', 'error_code', 'latency_ms', 'ttft_ms', 'stream', 'cache_hit', 'client_ip', 'user_agent',
  'endpoint', 'warning', 'attempts', 'fallbacks', 'created_at',
] as const satisfies readonly Exclude<keyof SpendLogsTable, 'id'>[];
// Compile-time: a column added to SpendLogsTable must be added above too.
const allLogColumnsListed: [Exclude<keyof SpendLogsTable, 'id' | (typeof LOG_COLUMNS)[number]>] extends [never] ? true : never = true;
void allLogColumnsListed;

const DAILY_KEY = ['day', 'kind', 'dim_id'] as const;
const DAILY_SUMMED = [
  'requests', 'error_requests', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos',
] as const satisfies readonly (keyof SpendDailyTable)[];

interface Statements {
  insertLog: BetterSqlite3.Statement<unknown[]>;
  addSpend: Record<SpendCounterTable, BetterSqlite3.Statement<[number, string]>>;
  debitBalance: BetterSqlite3.Statement<[number, number, string]>;
  addDaily: BetterSqlite3.Statement<[SpendDailyTable]>;
}

const q = (name: string) => `"${name}"`;

/**
 * The ledger batch's statements on the raw better-sqlite3 handle, prepared
 * once. Through Kysely every batch compiled a multi-row INSERT whose text
 * changed with the row count, so SQLite re-prepared it each time; here each
 * statement is single-row and reused, and the whole batch runs synchronously.
 * The statements are the Kysely path's (spend-ledger-repository.ts) one row
 * at a time, with values bound as the same JS numbers, so the stored results
 * match.
 */
export class SqliteSpendWriter {
  #statements: Statements | undefined;

  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  /**
   * Runs `fn` as one transaction: everything or, if it throws, nothing.
   * Refuses to start inside an open transaction, where better-sqlite3 would
   * silently turn it into a savepoint of someone else's transaction.
   */
  transaction<T>(fn: () => T): T {
    if (this.sqlite.inTransaction) {
      throw new Error('SqliteSpendWriter: a transaction is already open on this SQLite connection; the ledger batch must not join it');
    }
    return this.sqlite.transaction(fn)();
  }

  /**
   * Inserts the row unless its request_id is already there; true when it was
   * inserted. Values are bound by position (measured ~1 µs a row cheaper
   * than by name); a column the row lacks is refused rather than stored NULL.
   */
  insertLog(row: SpendLogRow): boolean {
    const values: unknown[] = new Array(LOG_COLUMNS.length);
    for (let i = 0; i < LOG_COLUMNS.length; i++) {
      const v = row[LOG_COLUMNS[i]!];
      if (v === undefined) throw new Error(`SqliteSpendWriter: spend log row has no ${LOG_COLUMNS[i]}`);
      values[i] = v;
    }
    return this.statements.insertLog.run(values).changes > 0;
  }

  addSpend(table: SpendCounterTable, id: string, costNanos: number): void {
    this.statements.addSpend[table].run(costNanos, id);
  }

  /** Draws a positive balance down by `costNanos`, clamped at zero. */
  debitBalance(userId: string, costNanos: number): void {
    this.statements.debitBalance.run(costNanos, costNanos, userId);
  }

  /** Adds one aggregate to its (day, kind, dim_id) row, creating it if missing. */
  addDaily(agg: SpendDailyTable): void {
    this.statements.addDaily.run(agg);
  }

  // Lazy: the tables exist only once migrations have run, after the store is built.
  private get statements(): Statements {
    return (this.#statements ??= this.prepare());
  }

  private prepare(): Statements {
    const db = this.sqlite;
    const addSpend = (table: SpendCounterTable) =>
      db.prepare<[number, string]>(`update ${q(table)} set "spend_nanos" = spend_nanos + ? where "id" = ?`);
    const dailyColumns = [...DAILY_KEY, ...DAILY_SUMMED];
    return {
      // No RETURNING: SQLite collects RETURNING rows in a temporary table on
      // every execution, which nearly doubled the per-row cost; `changes`
      // says the same thing (0 when the conflict skipped the row).
      insertLog: db.prepare<unknown[]>(
        `insert into "spend_logs" (${LOG_COLUMNS.map(q).join(', ')}) values (${LOG_COLUMNS.map(() => '?').join(', ')})` +
          ` on conflict ("request_id") do nothing`,
      ),
      addSpend: { virtual_keys: addSpend('virtual_keys'), users: addSpend('users'), teams: addSpend('teams') },
      debitBalance: db.prepare<[number, number, string]>(
        `update "users" set "balance_nanos" = case when balance_nanos > ? then balance_nanos - ? else 0 end where "id" = ? and "balance_nanos" > 0`,
      ),
      addDaily: db.prepare<SpendDailyTable>(
        `insert into "spend_daily" (${dailyColumns.map(q).join(', ')}) values (${dailyColumns.map((c) => `@${c}`).join(', ')})` +
          ` on conflict (${DAILY_KEY.map(q).join(', ')}) do update set ` +
          DAILY_SUMMED.map((c) => `${q(c)} = "spend_daily".${q(c)} + "excluded".${q(c)}`).join(', '),
      ),
    };
  }
}
