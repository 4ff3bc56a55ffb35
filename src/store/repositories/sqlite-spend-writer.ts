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

/**
 * Rows per multi-row INSERT. One statement of N row tuples cost ~1.7 µs a
 * row less than N single-row runs, about the same from N = 25 to 50 and no
 * better at 100–250 (500-row transactions). 50 divides the ledger writer's
 * default batch of 500, so a full batch is ten chunks and no single-row
 * tail; a chunk holding a duplicate is resolved with at most 50 lookups;
 * and 28 columns × 50 rows = 1,400 bound variables, far below SQLite's
 * limit (32,766 in better-sqlite3's build).
 */
export const CHUNK_ROWS = 50;

const DAILY_KEY = ['day', 'kind', 'dim_id'] as const;
const DAILY_SUMMED = [
  'requests', 'error_requests', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos',
] as const satisfies readonly (keyof SpendDailyTable)[];

interface Statements {
  insertLog: BetterSqlite3.Statement<unknown[]>;
  insertChunk: BetterSqlite3.Statement<unknown[]>;
  idOf: BetterSqlite3.Statement<[string], number>;
  addSpend: Record<SpendCounterTable, BetterSqlite3.Statement<[number, string]>>;
  debitBalance: BetterSqlite3.Statement<[number, number, string]>;
  addDaily: BetterSqlite3.Statement<[SpendDailyTable]>;
}

const q = (name: string) => `"${name}"`;

/** Copies `row`'s columns into `values` from `at` on, in LOG_COLUMNS order; a column the row lacks is refused rather than stored NULL. */
function bindRow(row: SpendLogRow, values: unknown[], at: number): void {
  for (let i = 0; i < LOG_COLUMNS.length; i++) {
    const v = row[LOG_COLUMNS[i]!];
    if (v === undefined) throw new Error(`SqliteSpendWriter: spend log row has no ${LOG_COLUMNS[i]}`);
    values[at + i] = v;
  }
}

export interface InsertedLogs {
  /** The rows written now, in the order given. */
  inserted: SpendLogRow[];
  /** Request ids of the rows skipped because their request_id was already there, in the order given. */
  duplicates: string[];
}

/**
 * The ledger batch's statements on the raw better-sqlite3 handle, prepared
 * once. Through Kysely every batch compiled a multi-row INSERT whose text
 * changed with the row count, so SQLite re-prepared it each time; here the
 * log INSERT has two fixed shapes (CHUNK_ROWS rows, one row), the rest are
 * single-row, all reused, and the whole batch runs synchronously. The
 * statements do what the Kysely path's (spend-ledger-repository.ts) do, with
 * values bound as the same JS numbers, so the stored results match.
 */
export class SqliteSpendWriter {
  #statements: Statements | undefined;
  // Reused for every chunk: the run binds synchronously and keeps no reference to it.
  readonly #chunkValues: unknown[] = new Array(LOG_COLUMNS.length * CHUNK_ROWS);

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
   * Inserts the rows whose request_id is not there yet and says which were
   * written and which skipped, exactly as inserting them one by one in order
   * would. Call inside `transaction`. Values are bound by position (measured
   * ~1 µs a row cheaper than by name).
   *
   * Rows go CHUNK_ROWS at a time through one multi-row INSERT, whose
   * `changes` counts the rows written but not which. A full count (no
   * duplicates: the normal case) means all of them; a short one (a batch
   * replayed after a crash) is resolved by `resolveShortChunk`. A tail
   * shorter than a chunk goes row by row.
   */
  insertLogs(rows: readonly SpendLogRow[]): InsertedLogs {
    const st = this.statements;
    const out: InsertedLogs = { inserted: [], duplicates: [] };
    const values = this.#chunkValues;
    let i = 0;
    for (; i + CHUNK_ROWS <= rows.length; i += CHUNK_ROWS) {
      for (let j = 0; j < CHUNK_ROWS; j++) bindRow(rows[i + j]!, values, j * LOG_COLUMNS.length);
      const written = st.insertChunk.run(values).changes;
      if (written === CHUNK_ROWS) {
        for (let j = 0; j < CHUNK_ROWS; j++) out.inserted.push(rows[i + j]!);
      } else {
        this.resolveShortChunk(rows, i, written, out);
      }
    }
    for (; i < rows.length; i++) this.insertOne(rows[i]!, out);
    return out;
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

  /**
   * Which rows of the chunk at `from` the multi-row INSERT wrote, when it
   * wrote only `written` of them. AUTOINCREMENT gives the rows a statement
   * writes ids above every id the table held before it, so they are the
   * `written` highest ids the chunk's request_ids have now; the first row
   * carrying each is the one that went in. Each row also runs once more
   * through the single-row statement: it finds every request_id that could
   * go in already there, but refuses a row (NOT NULL, which OR IGNORE
   * skipped silently) exactly as inserting row by row would have.
   */
  private resolveShortChunk(rows: readonly SpendLogRow[], from: number, written: number, out: InsertedLogs): void {
    const st = this.statements;
    const ids: (number | undefined)[] = new Array(CHUNK_ROWS);
    for (let j = 0; j < CHUNK_ROWS; j++) ids[j] = st.idOf.get(rows[from + j]!.request_id);
    const found = [...new Set(ids.filter((id) => id !== undefined))].sort((a, b) => b - a);
    const writtenNow = new Set(found.slice(0, written));
    const values: unknown[] = new Array(LOG_COLUMNS.length);
    for (let j = 0; j < CHUNK_ROWS; j++) {
      const row = rows[from + j]!;
      bindRow(row, values, 0);
      const insertedHere = st.insertLog.run(values).changes > 0;
      const id = ids[j];
      // delete: a request_id repeated inside the chunk went in once, with its first row.
      if (insertedHere || (id !== undefined && writtenNow.delete(id))) out.inserted.push(row);
      else out.duplicates.push(row.request_id);
    }
  }

  /** The row unless its request_id is already there, recorded in `out` as inserted or duplicate. */
  private insertOne(row: SpendLogRow, out: InsertedLogs): void {
    const values: unknown[] = new Array(LOG_COLUMNS.length);
    bindRow(row, values, 0);
    if (this.statements.insertLog.run(values).changes > 0) out.inserted.push(row);
    else out.duplicates.push(row.request_id);
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
    const columns = LOG_COLUMNS.map(q).join(', ');
    const tuple = `(${LOG_COLUMNS.map(() => '?').join(', ')})`;
    return {
      // No RETURNING: SQLite collects RETURNING rows in a temporary table on
      // every execution, which nearly doubled the per-row cost; `changes`
      // says the same thing (0 when the conflict skipped the row).
      insertLog: db.prepare<unknown[]>(`insert into "spend_logs" (${columns}) values ${tuple} on conflict ("request_id") do nothing`),
      // OR IGNORE, not the upsert: a multi-row statement that can fail
      // halfway (the upsert still aborts on a NOT NULL violation) makes
      // SQLite keep a statement journal of the pages it touches, spilled to
      // a temp file past 64 KiB, which took the chunk from ~3.9 to ~5.0 µs a
      // row; a SAVEPOINT around each chunk needs the same journal. Nothing
      // aborts this one, so it keeps none; whatever it skips, for any
      // reason, shows in a short count.
      insertChunk: db.prepare<unknown[]>(`insert or ignore into "spend_logs" (${columns}) values ${new Array<string>(CHUNK_ROWS).fill(tuple).join(', ')}`),
      // pluck: the id itself, not a row holding it.
      idOf: db.prepare<[string], number>(`select "id" from "spend_logs" where "request_id" = ?`).pluck(),
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
