import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LedgerJournal } from '../../src/accounting/ledger-journal.js';
import { LedgerWriter } from '../../src/accounting/ledger-writer.js';
import type { LedgerRow } from '../../src/accounting/ledger-row.js';
import { createSqliteSink, makeRow, MemorySink, waitFor } from './ledger-fixtures.js';

const dirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-ledger-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const segments = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('ledger-'));

describe('LedgerWriter', () => {
  it('writes a turn\'s rows to the journal together, before record() resolves', async () => {
    const dir = tmpDir();
    const w = new LedgerWriter({ dir, sink: new MemorySink(), batchSize: 100, flushIntervalMs: 0 });
    const lines = () => segments(dir).flatMap((f) => LedgerJournal.read(path.join(dir, f)).rows);
    const written = [0, 1, 2, 3, 4].map((i) => w.record(makeRow(`t${i}`)));
    expect(lines()).toEqual([]); // queued for the end of this turn
    expect(w.stats().unjournaledRows).toBe(5);
    await written[0];
    // the first row's promise resolved: it and the rest of its turn are on disk, in order, in one segment
    expect(lines().map((r) => r.requestId)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(segments(dir)).toHaveLength(1);
    expect(w.stats().unjournaledRows).toBe(0);
    await Promise.all(written);
    expect((await w.close()).ok).toBe(true);
  });

  it('flush() and close() write rows still queued for the turn', async () => {
    const dir = tmpDir();
    const sink = new MemorySink();
    const w = new LedgerWriter({ dir, sink, batchSize: 100, flushIntervalMs: 0 });
    void w.record(makeRow('late'));
    expect((await w.close()).ok).toBe(true);
    expect([...sink.rows.keys()]).toEqual(['late']);
  });

  it('journals and ships in batches of batchSize', async () => {
    const dir = tmpDir();
    const sink = new MemorySink();
    const w = new LedgerWriter({ dir, sink, batchSize: 3, flushIntervalMs: 0 });
    for (let i = 0; i < 7; i++) await w.record(makeRow(`r${i}`));
    // every row is on disk or already shipped once record() resolved
    const onDisk = segments(dir).flatMap((f) => LedgerJournal.read(path.join(dir, f)).rows);
    expect(new Set([...onDisk.map((r) => r.requestId), ...sink.rows.keys()]).size).toBe(7);
    await waitFor(() => sink.rows.size === 6);
    expect(sink.batches).toEqual([3, 3]);
    expect(segments(dir)).toHaveLength(1); // the active segment with row 7
    const r = await w.flush();
    expect(r).toEqual({ ok: true, pendingSegments: 0 });
    expect(sink.batches).toEqual([3, 3, 1]);
    expect([...sink.rows.keys()]).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(segments(dir)).toEqual([]);
    await w.close();
  });

  it('ships on the timer when traffic is too light to fill a batch', async () => {
    const dir = tmpDir();
    const sink = new MemorySink();
    const w = new LedgerWriter({ dir, sink, batchSize: 1000, flushIntervalMs: 20 });
    w.record(makeRow('lonely'));
    await waitFor(() => sink.rows.has('lonely'));
    await w.close();
    expect(segments(dir)).toEqual([]);
  });

  it('keeps rows through sink failures and retries with backoff until they land', async () => {
    const dir = tmpDir();
    const sink = new MemorySink();
    sink.failNext = 3;
    const errors: string[] = [];
    const w = new LedgerWriter({ dir, sink, batchSize: 2, flushIntervalMs: 0, retry: { initialMs: 5, maxMs: 40 }, onError: (_e, where) => errors.push(where) });
    for (let i = 0; i < 5; i++) await w.record(makeRow(`f${i}`));
    await waitFor(() => errors.length >= 1);
    expect(segments(dir).length).toBeGreaterThanOrEqual(2); // nothing deleted while the sink is down
    await w.flush(); // seals the fifth row's segment; may itself hit a failure, which only re-arms the retry
    await waitFor(() => sink.rows.size === 5);
    expect((await w.flush()).ok).toBe(true);
    expect(errors.length).toBe(3);
    expect(segments(dir)).toEqual([]);
    await w.close();
  });

  it('a long outage leaves a backlog on disk that is shipped in order once the sink is back', async () => {
    const dir = tmpDir();
    const sink = new MemorySink();
    sink.failNext = Number.MAX_SAFE_INTEGER;
    const w = new LedgerWriter({ dir, sink, batchSize: 5, flushIntervalMs: 0, retry: { initialMs: 5, maxMs: 10 }, onError: () => {} });
    for (let i = 0; i < 50; i++) await w.record(makeRow(`o${String(i).padStart(2, '0')}`));
    await waitFor(() => sink.writes >= 3);
    expect(w.stats().pendingSegments).toBe(10);
    expect(segments(dir)).toHaveLength(10);
    sink.failNext = 0;
    await waitFor(() => sink.rows.size === 50);
    expect([...sink.rows.keys()]).toEqual([...sink.rows.keys()].sort());
    expect(sink.batches.every((n) => n === 5)).toBe(true);
    expect((await w.close()).ok).toBe(true);
    expect(segments(dir)).toEqual([]);
  });

  it('a writer that dies without flushing leaves rows a new writer replays exactly once', async () => {
    const dir = tmpDir();
    const dead = new LedgerWriter({ dir, sink: new MemorySink(), batchSize: 100, flushIntervalMs: 0 });
    for (let i = 0; i < 5; i++) await dead.record(makeRow(`c${i}`));
    // no flush, no close: the process "crashed"
    const sink = new MemorySink();
    const w = new LedgerWriter({ dir, sink, batchSize: 100, flushIntervalMs: 0 });
    w.record(makeRow('after-restart'));
    const r = await w.replay();
    expect(r).toMatchObject({ ok: true, segments: 1, rows: 5, corruptLines: 0 });
    expect([...sink.rows.keys()]).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'after-restart']);
    expect(sink.writes).toBe(2);
    expect(segments(dir)).toEqual([]);
    expect((await w.replay()).rows).toBe(5); // stats are cumulative; nothing new was shipped
    expect(sink.writes).toBe(2);
    await w.close();
  });

  it('a segment shipped just before a crash is not counted twice by an idempotent SQLite sink', async () => {
    const dir = tmpDir();
    const { db, sink } = createSqliteSink(path.join(tmpDir(), 'spend.db'));
    const w1 = new LedgerWriter({ dir, sink, batchSize: 100, flushIntervalMs: 0 });
    for (let i = 0; i < 4; i++) await w1.record(makeRow(`s${i}`, 250));
    const [seg] = segments(dir);
    const saved = fs.readFileSync(path.join(dir, seg!));
    await w1.close();
    // crash between the sink's commit and the segment's deletion: the segment is still there
    fs.writeFileSync(path.join(dir, seg!), saved);
    const w2 = new LedgerWriter({ dir, sink, batchSize: 100, flushIntervalMs: 0 });
    expect(await w2.replay()).toMatchObject({ ok: true, rows: 4 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM spend_logs').get()).toEqual({ n: 4 });
    expect(db.prepare('SELECT spend_nanos FROM key_spend WHERE key_id = ?').get('k1')).toEqual({ spend_nanos: 1000 });
    await w2.close();
    db.close();
  });

  it('keeps a torn or corrupt segment for inspection after shipping its readable rows', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'ledger-000000000007.jsonl'), `${JSON.stringify(makeRow('ok1'))}\n{"requestId":"torn`);
    const sink = new MemorySink();
    const errors: string[] = [];
    const w = new LedgerWriter({ dir, sink, flushIntervalMs: 0, onError: (_e, where) => errors.push(where) });
    expect(await w.replay()).toMatchObject({ rows: 1, corruptLines: 1 });
    expect([...sink.rows.keys()]).toEqual(['ok1']);
    expect(fs.readdirSync(dir)).toEqual(['ledger-000000000007.jsonl.corrupt']);
    expect(errors[0]).toMatch(/kept as/);
    // the next segment number continues after the leftover's
    await w.record(makeRow('new'));
    expect(fs.readdirSync(dir).sort()).toEqual(['ledger-000000000007.jsonl.corrupt', 'ledger-000000000008.jsonl']);
    await w.close();
  });

  it('fsync "always" mode writes and ships the same rows', async () => {
    const dir = tmpDir();
    const sink = new MemorySink();
    const w = new LedgerWriter({ dir, sink, fsync: 'always', batchSize: 2, flushIntervalMs: 0 });
    for (let i = 0; i < 3; i++) w.record(makeRow(`y${i}`));
    await w.close();
    expect(sink.rows.size).toBe(3);
  });
});

describe('LedgerJournal lines', () => {
  it('reads back every field of a row exactly as it was written', () => {
    const dir = tmpDir();
    const journal = new LedgerJournal(dir);
    // Every field a different value, so one written in another field's place cannot read back equal.
    const full: LedgerRow = {
      requestId: 'f1', keyId: 'k9', userId: 'u9', teamId: 't9', publicModel: 'pm', deployment: 'dep', provider: 'prov', upstreamModel: 'um', endpoint: 'embeddings',
      inputTokens: 11, outputTokens: 12, cacheReadTokens: 13, cacheWriteTokens: 14, reasoningTokens: 15, usageSource: 'counted', costNanos: 123_456_789,
      status: 'error', errorCode: 'upstream_timeout', latencyMs: 16, ttftMs: 17, stream: true, cacheHit: false, clientIp: '10.0.0.1', userAgent: 'ua "quoted"\n',
      warning: 'a; b', attempts: 18, fallbacks: 19, tags: ['x', 'y'], createdAt: 1_700_000_000_020,
    };
    journal.appendMany([full, makeRow('f2')]);
    const file = journal.seal()!;
    expect(LedgerJournal.read(file)).toEqual({ rows: [full, makeRow('f2')], corruptLines: 0 });
    // positional lines, not objects: field names are not repeated on every line
    expect(fs.readFileSync(file, 'utf8')).not.toContain('requestId');
  });

  it('still reads segments of object lines (written before the positional format), and refuses unknown versions', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'ledger-000000000001.jsonl');
    const journal = new LedgerJournal(path.join(dir, 'fresh'));
    journal.appendMany([makeRow('new1')]);
    const positional = fs.readFileSync(journal.seal()!, 'utf8');
    fs.writeFileSync(file, `${JSON.stringify(makeRow('old1'))}\n${positional}${positional.replace(/^\[1,/, '[99,')}`);
    expect(LedgerJournal.read(file)).toEqual({ rows: [makeRow('old1'), makeRow('new1')], corruptLines: 1 });
  });
});
