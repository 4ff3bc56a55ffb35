import Database from 'better-sqlite3';
import type { LedgerRow, LedgerSink } from '../../src/accounting/ledger-row.js';

export function makeRow(requestId: string, costNanos = 1000, keyId = 'k1'): LedgerRow {
  return {
    requestId,
    keyId,
    userId: 'u1',
    teamId: null,
    publicModel: 'gpt-4o',
    deployment: 'd1',
    provider: 'openai',
    upstreamModel: 'gpt-4o',
    endpoint: 'chat',
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    usageSource: 'upstream',
    costNanos,
    status: 'ok',
    errorCode: null,
    latencyMs: 12,
    ttftMs: null,
    stream: false,
    cacheHit: false,
    clientIp: '127.0.0.1',
    userAgent: 'test',
    warning: null,
    attempts: 1,
    fallbacks: 0,
    tags: [],
    createdAt: 1_700_000_000_000,
  };
}

/** In-memory sink, idempotent on requestId like the real store; can be told to fail. */
export class MemorySink implements LedgerSink {
  readonly rows = new Map<string, LedgerRow>();
  readonly batches: number[] = [];
  writes = 0;
  failNext = 0;

  async write(rows: LedgerRow[]): Promise<void> {
    this.writes++;
    await new Promise((r) => setImmediate(r));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('database unavailable');
    }
    this.batches.push(rows.length);
    for (const r of rows) if (!this.rows.has(r.requestId)) this.rows.set(r.requestId, r);
  }
}

/**
 * The SQL the child process runs too (kept as text so a plain `node` child
 * can use it): insert once per request id, and bump the key's spend only
 * when the row was new — the contract the store's insertSpendLogs meets.
 */
export const SQLITE_SINK_JS = `
export function createSqliteSink(Database, file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS spend_logs (request_id TEXT PRIMARY KEY, key_id TEXT, cost_nanos INTEGER NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS key_spend (key_id TEXT PRIMARY KEY, spend_nanos INTEGER NOT NULL)');
  const ins = db.prepare('INSERT INTO spend_logs (request_id, key_id, cost_nanos) VALUES (?, ?, ?) ON CONFLICT(request_id) DO NOTHING');
  const bump = db.prepare('INSERT INTO key_spend (key_id, spend_nanos) VALUES (?, ?) ON CONFLICT(key_id) DO UPDATE SET spend_nanos = spend_nanos + excluded.spend_nanos');
  const tx = db.transaction((rows) => {
    for (const r of rows) if (ins.run(r.requestId, r.keyId, r.costNanos).changes === 1) bump.run(r.keyId, r.costNanos);
  });
  return { db, sink: { async write(rows) { tx(rows); } } };
}
`;

export function createSqliteSink(file: string): { db: Database.Database; sink: LedgerSink } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS spend_logs (request_id TEXT PRIMARY KEY, key_id TEXT, cost_nanos INTEGER NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS key_spend (key_id TEXT PRIMARY KEY, spend_nanos INTEGER NOT NULL)');
  const ins = db.prepare('INSERT INTO spend_logs (request_id, key_id, cost_nanos) VALUES (?, ?, ?) ON CONFLICT(request_id) DO NOTHING');
  const bump = db.prepare(
    'INSERT INTO key_spend (key_id, spend_nanos) VALUES (?, ?) ON CONFLICT(key_id) DO UPDATE SET spend_nanos = spend_nanos + excluded.spend_nanos',
  );
  const tx = db.transaction((rows: LedgerRow[]) => {
    for (const r of rows) if (ins.run(r.requestId, r.keyId, r.costNanos).changes === 1) bump.run(r.keyId, r.costNanos);
  });
  return { db, sink: { write: async (rows) => void tx(rows) } };
}

export async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
