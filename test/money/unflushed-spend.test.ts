import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../src/accounting/index.js';
import { UnflushedSpend } from '../../src/server/accounts/unflushed-spend.js';

function row(requestId: string, costNanos: number, owners: { keyId?: string; userId?: string; teamId?: string } = {}): LedgerRow {
  return { requestId, keyId: owners.keyId ?? null, userId: owners.userId ?? null, teamId: owners.teamId ?? null, costNanos, status: 'ok', createdAt: 0 } as LedgerRow;
}

describe('UnflushedSpend', () => {
  it('counts recorded rows per owner until their batch is committed, and only rows this process recorded', async () => {
    const u = new UnflushedSpend();
    const recorded: LedgerRow[] = [];
    const recorder = u.recorder({ record: (r) => void recorded.push(r) });
    let release!: () => void;
    const sink = u.sink({ write: () => new Promise<void>((r) => (release = r)) });

    recorder.record(row('a', 100, { keyId: 'k', userId: 'u', teamId: 't' }));
    recorder.record(row('b', 50, { keyId: 'k' }));
    recorder.record(row('free', 0, { keyId: 'k' }));
    expect(recorded.map((r) => r.requestId)).toEqual(['a', 'b', 'free']);
    expect([u.of('key', 'k'), u.of('user', 'u'), u.of('team', 't')]).toEqual([150, 100, 100]);

    const before = u.snapshot();
    const g0 = u.generation;
    // A replayed row from an earlier process shares the batch: it must not be subtracted.
    const writing = sink.write([row('a', 100, { keyId: 'k', userId: 'u', teamId: 't' }), row('old', 999, { keyId: 'k' })]);
    expect(u.generation % 2).toBe(1); // a batch is being written: a read now may race its commit
    expect(u.of('key', 'k')).toBe(150);
    release();
    await writing;
    expect(u.generation).toBe(g0 + 2);
    expect([u.of('key', 'k'), u.of('user', 'u'), u.of('team', 't')]).toEqual([50, 0, 0]);
    // The snapshot taken before the write keeps its figures (over-counting a race, never missing one).
    expect(before('key', 'k')).toBe(150);
  });

  it('keeps the rows of a failed batch counted (they are retried from the journal)', async () => {
    const u = new UnflushedSpend();
    u.recorder({ record: () => {} }).record(row('a', 70, { userId: 'u' }));
    const sink = u.sink({ write: () => Promise.reject(new Error('database down')) });
    await expect(sink.write([row('a', 70, { userId: 'u' })])).rejects.toThrow('database down');
    expect(u.of('user', 'u')).toBe(70);
    expect(u.generation % 2).toBe(0);
  });
});
