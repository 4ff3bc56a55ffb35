/**
 * Fresh, isolated databases for tests, on any of the three drivers.
 *
 *   const target = await testDatabaseTarget('postgres');   // at module top level
 *   describeWithDatabase(target, 'ledger', (ctx) => { it('…', async () => { ctx.database() … }) });
 *
 * or, by hand: `const t = await withTestDatabase('mysql'); … await t.dispose()`.
 *
 * Each call makes its own database (SQLite: a temp file; PostgreSQL: a
 * `sy_<random>` schema; MySQL: a `sy_<random>` database), migrates it and
 * drops it on dispose, so parallel files and reruns never collide.
 * Service URLs come from SWITCHYARD_TEST_POSTGRES_URL / SWITCHYARD_TEST_MYSQL_URL.
 * Unset or unreachable → the suite is skipped with a warning, unless
 * SWITCHYARD_REQUIRE_SERVICES=1 (CI), where it fails instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { migrate } from '../../src/store/migrations/index.js';
import { openDatabase, type Database } from '../../src/store/open-database.js';

export type TestDatabaseKind = 'sqlite' | 'postgres' | 'mysql';
export const ALL_TEST_DATABASE_KINDS: TestDatabaseKind[] = ['sqlite', 'postgres', 'mysql'];

export type TestDatabaseTarget =
  | { kind: TestDatabaseKind; available: true; serverUrl?: string }
  | { kind: TestDatabaseKind; available: false; reason: string; required: boolean };

const ENV: Record<Exclude<TestDatabaseKind, 'sqlite'>, string> = {
  postgres: 'SWITCHYARD_TEST_POSTGRES_URL',
  mysql: 'SWITCHYARD_TEST_MYSQL_URL',
};

/** Decides, once per file, whether `kind` can be tested here. */
export async function testDatabaseTarget(kind: TestDatabaseKind): Promise<TestDatabaseTarget> {
  if (kind === 'sqlite') return { kind, available: true };
  const required = process.env.SWITCHYARD_REQUIRE_SERVICES === '1';
  const serverUrl = process.env[ENV[kind]];
  if (!serverUrl) return { kind, available: false, required, reason: `${ENV[kind]} is not set` };
  try {
    await adminQuery(kind, serverUrl, 'select 1');
    return { kind, available: true, serverUrl };
  } catch (e) {
    return { kind, available: false, required, reason: `${kind} at ${redact(serverUrl)} unreachable: ${(e as Error).message}` };
  }
}

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** URL that `openDatabase` accepts for this fresh database. */
  url: string;
  /** Data dir to pass to `openDatabase` (also holds the SQLite file). */
  dataDir: string;
  /** Opened and migrated. */
  database: Database;
  dispose(): Promise<void>;
}

/** Creates, migrates and returns a fresh database of `kind`; throws if the service is unavailable. */
export async function withTestDatabase(kind: TestDatabaseKind, serverUrl?: string): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-store-'));
  const name = `sy_${randomBytes(6).toString('hex')}`;
  let url: string;
  let dropServerSide = async () => {};
  if (kind === 'sqlite') {
    url = `sqlite:${join(dataDir, 'test.db')}`;
  } else {
    const base = serverUrl ?? process.env[ENV[kind]];
    if (!base) throw new Error(`${ENV[kind]} is not set`);
    if (kind === 'postgres') {
      await adminQuery(kind, base, `create schema ${name}`);
      const u = new URL(base);
      u.searchParams.set('schema', name);
      url = u.toString();
      dropServerSide = () => adminQuery(kind, base, `drop schema if exists ${name} cascade`);
    } else {
      await adminQuery(kind, base, `create database ${name} character set utf8mb4 collate utf8mb4_bin`);
      const u = new URL(base);
      u.pathname = `/${name}`;
      url = u.toString();
      dropServerSide = () => adminQuery(kind, base, `drop database if exists ${name}`);
    }
  }
  let database: Database;
  try {
    database = await openDatabase(url, { dataDir });
    await migrate(database);
  } catch (e) {
    await dropServerSide().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    kind,
    url,
    dataDir,
    database,
    async dispose() {
      await database.close().catch(() => {});
      await dropServerSide();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface DatabaseSuiteContext {
  /** The migrated database, valid inside tests (after beforeAll). */
  database(): Database;
  testDatabase(): TestDatabase;
}

/**
 * A describe block bound to one fresh database of `target.kind`: skipped
 * (with a warning naming why) when the service is missing, or failing when
 * SWITCHYARD_REQUIRE_SERVICES=1.
 */
export function describeWithDatabase(
  target: TestDatabaseTarget,
  name: string,
  body: (ctx: DatabaseSuiteContext) => void,
): void {
  const title = `${name} [${target.kind}]`;
  if (!target.available) {
    if (target.required) {
      describe(title, () => {
        it('needs its database service (SWITCHYARD_REQUIRE_SERVICES=1)', () => {
          throw new Error(`Required ${target.kind} is not available: ${target.reason}`);
        });
      });
      return;
    }
    console.warn(`[skip] ${title}: ${target.reason}`);
    describe.skip(title, () => body(unavailableContext));
    return;
  }
  describe(title, () => {
    let handle: TestDatabase | undefined;
    beforeAll(async () => {
      handle = await withTestDatabase(target.kind, target.serverUrl);
    });
    afterAll(async () => {
      await handle?.dispose();
    });
    const get = () => {
      if (!handle) throw new Error('database not ready (used outside a test?)');
      return handle;
    };
    body({ database: () => get().database, testDatabase: get });
  });
}

const unavailableContext: DatabaseSuiteContext = {
  database: () => {
    throw new Error('unavailable');
  },
  testDatabase: () => {
    throw new Error('unavailable');
  },
};

async function adminQuery(kind: 'postgres' | 'mysql', url: string, query: string): Promise<void> {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
    return;
  }
  const conn = await createConnection({ uri: url.replace(/^mariadb:/i, 'mysql:'), connectTimeout: 3000 });
  try {
    await conn.query(query);
  } finally {
    await conn.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
