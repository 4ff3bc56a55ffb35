import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/store/index.js';
import { testDatabaseTarget } from './test-databases.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sy-open-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('openDatabase', () => {
  it('defaults to <dataDir>/switchyard.db with WAL, busy_timeout, synchronous=NORMAL and foreign keys', async () => {
    const dataDir = join(tempDir(), 'data');
    for (const url of [undefined, '', 'sqlite:']) {
      const database = await openDatabase(url, { dataDir });
      try {
        expect(database.dialect).toBe('sqlite');
        const pragma = async (name: string) =>
          Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as Record<string, unknown>)[0];
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('busy_timeout')).toBe(5000);
        expect(await pragma('synchronous')).toBe(1);
        expect(await pragma('foreign_keys')).toBe(1);
        expect(existsSync(join(dataDir, 'switchyard.db'))).toBe(true);
      } finally {
        await database.close();
      }
    }
  });

  it('opens sqlite::memory: and explicit paths, and refuses unknown schemes and bad schema names', async () => {
    const mem = await openDatabase('sqlite::memory:', { dataDir: tempDir() });
    expect((await migrate(mem)).applied).toEqual(['0001_initial', '0002_responses', '0003_spend_endpoint', '0004_partial_owner_indexes', '0005_partial_status_index']);
    await mem.close();
    const file = join(tempDir(), 'x.db');
    const byPath = await openDatabase(`sqlite://${file}`, { dataDir: tempDir() });
    await byPath.close();
    expect(existsSync(file)).toBe(true);
    await expect(openDatabase('mongodb://x', { dataDir: tempDir() })).rejects.toThrow(/Unsupported database URL/);
    await expect(openDatabase('postgres://u@127.0.0.1/db?schema=a;drop', { dataDir: tempDir() })).rejects.toThrow(/schema name/);
  });
});

describe('test database targets', () => {
  it('skips a missing service, or marks it required when SWITCHYARD_REQUIRE_SERVICES=1', async () => {
    const saved = { url: process.env.SWITCHYARD_TEST_MYSQL_URL, req: process.env.SWITCHYARD_REQUIRE_SERVICES };
    try {
      delete process.env.SWITCHYARD_TEST_MYSQL_URL;
      delete process.env.SWITCHYARD_REQUIRE_SERVICES;
      expect(await testDatabaseTarget('mysql')).toMatchObject({ available: false, required: false, reason: expect.stringMatching(/not set/) });
      process.env.SWITCHYARD_REQUIRE_SERVICES = '1';
      // Port 1 on loopback: nothing listens there, so the probe fails fast.
      process.env.SWITCHYARD_TEST_MYSQL_URL = 'mysql://root@127.0.0.1:1/test';
      expect(await testDatabaseTarget('mysql')).toMatchObject({ available: false, required: true, reason: expect.stringMatching(/unreachable/) });
      expect(await testDatabaseTarget('sqlite')).toMatchObject({ available: true });
    } finally {
      if (saved.url === undefined) delete process.env.SWITCHYARD_TEST_MYSQL_URL;
      else process.env.SWITCHYARD_TEST_MYSQL_URL = saved.url;
      if (saved.req === undefined) delete process.env.SWITCHYARD_REQUIRE_SERVICES;
      else process.env.SWITCHYARD_REQUIRE_SERVICES = saved.req;
    }
  });
});
