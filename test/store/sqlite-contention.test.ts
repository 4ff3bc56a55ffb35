import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/index.js';
import { withTestDatabase, type TestDatabase } from './test-databases.js';

const CONTENDER = fileURLToPath(new URL('./fixtures/sqlite-contender.mjs', import.meta.url));

describe('SQLite under a second writing process', () => {
  let t: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    t = await withTestDatabase('sqlite');
    store = createStore(t.database);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('waits for the lock (WAL + busy_timeout) instead of failing with "database is locked"', async () => {
    const user = await store.users.create({ username: 'contended' });
    const file = t.url.slice('sqlite:'.length);
    const child = spawn(process.execPath, [CONTENDER, file, user.id, '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    await once(child.stdout!, 'data');
    const writes = [];
    for (let i = 0; i < 100; i++) {
      writes.push(store.ledger.insertSpendLogs([{ requestId: `r${i}`, userId: user.id, publicModel: 'm', costNanos: 1_000, status: 'success' }]));
    }
    const results = await Promise.all(writes);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(results.every((r) => r.inserted === 1)).toBe(true);
    expect((await store.users.get(user.id))?.spendNanos).toBe(100 * 1_000 + 300);
  });
});
