import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import type { Schema } from './schema.js';

export type DatabaseDialect = 'sqlite' | 'postgres' | 'mysql';

export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: DatabaseDialect;
  /** PostgreSQL schema the tables live in (from `?schema=`), for the migrator. */
  readonly pgSchema?: string;
  /**
   * SQLite only: the better-sqlite3 handle under `db`, for hot paths that
   * reuse prepared statements instead of compiling queries. It is the same
   * single connection Kysely uses, and Kysely holds that connection across
   * the awaits of a transaction, so raw use must happen inside
   * `db.connection().execute(...)` (which waits for Kysely's lock) or it can
   * land in the middle of someone else's transaction.
   */
  readonly sqlite?: BetterSqlite3.Database;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Where the default SQLite file lives; created when missing. */
  dataDir: string;
  /** Pool size for PostgreSQL/MySQL; default 10. */
  poolSize?: number;
}

export const DEFAULT_SQLITE_FILE = 'switchyard.db';

/**
 * Opens the database named by `url`:
 * - undefined, `sqlite:` → `<dataDir>/switchyard.db`; `sqlite::memory:`; `sqlite:<path>` / `sqlite:///abs`;
 * - `postgres://` / `postgresql://`, with an optional `?schema=name` that becomes the search_path;
 * - `mysql://` / `mariadb://`.
 * Every driver is set up so BIGINT columns and SUM()s come back as JS numbers.
 */
export async function openDatabase(url: string | undefined, opts: OpenDatabaseOptions): Promise<Database> {
  const u = url?.trim() || 'sqlite:';
  const scheme = u.slice(0, u.indexOf(':') + 1).toLowerCase();
  if (scheme === 'sqlite:' || scheme === 'file:') return openSqlite(sqlitePath(u.slice(scheme.length), opts.dataDir));
  if (scheme === 'postgres:' || scheme === 'postgresql:') return openPostgres(u, opts.poolSize ?? 10);
  if (scheme === 'mysql:' || scheme === 'mariadb:') return openMysql(u, opts.poolSize ?? 10);
  throw new Error(`Unsupported database URL scheme "${scheme || u}": use sqlite:, postgres:// or mysql://`);
}

function sqlitePath(rest: string, dataDir: string): string {
  if (rest === ':memory:') return ':memory:';
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') {
    mkdirSync(dataDir, { recursive: true });
    return join(dataDir, DEFAULT_SQLITE_FILE);
  }
  return resolve(path);
}

function openSqlite(file: string): Database {
  const sqlite = new BetterSqlite3(file);
  // WAL lets readers run beside the single writer; busy_timeout turns
  // "database is locked" into a short wait when another process writes.
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

// OIDs of int8 (BIGINT, COUNT) and numeric (what SUM(bigint) returns).
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function toSafeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) {
    throw new RangeError(`Database integer ${text} is outside JavaScript's safe range`);
  }
  return n;
}

function openPostgres(url: string, poolSize: number): Database {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Per-pool parsers (not pg.types.setTypeParser) so the process-wide pg
    // defaults other code may rely on stay untouched.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === PG_INT8 || oid === PG_NUMERIC
          ? toSafeNumber
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', ...(schema ? { pgSchema: schema } : {}), close: () => db.destroy() };
}

function openMysql(url: string, poolSize: number): Database {
  const uri = url.replace(/^mariadb:/i, 'mysql:');
  const pool = createMysqlPool({
    uri,
    connectionLimit: poolSize,
    // BIGINT as number while safe (a string past 2^53 rather than a wrong
    // number), and DECIMAL (what SUM returns) as number.
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    charset: 'utf8mb4',
    timezone: 'Z',
  });
  const db = new Kysely<Schema>({ dialect: new MysqlDialect({ pool }) });
  return { db, dialect: 'mysql', close: () => db.destroy() };
}
