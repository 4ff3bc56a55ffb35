import { describe, expect, it } from 'vitest';
import { MemoryLimiterStore, type Acquisition, type LimitSubject } from '../../src/limits/index.js';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

function ok(a: Acquisition) {
  if (!a.ok) throw new Error(`refused: ${JSON.stringify(a.breaches)}`);
  return a;
}

function refused(a: Acquisition) {
  if (a.ok) throw new Error('admitted');
  return a;
}

const key = (limits: Partial<LimitSubject>): LimitSubject => ({ id: 'key:k1', label: 'key', ...limits });
const team = (limits: Partial<LimitSubject>): LimitSubject => ({ id: 'team:t1', label: 'team', ...limits });

describe('MemoryLimiterStore: requests per minute (sliding log)', () => {
  it('admits exactly rpm requests in any 60 s, and the oldest frees its place at exactly +60 s', () => {
    const c = clock();
    const store = new MemoryLimiterStore({ now: c.now });
    const s = [key({ rpm: 3 })];
    ok(store.acquire(s, 0));
    c.t += 10_000;
    ok(store.acquire(s, 0));
    c.t += 10_000;
    const third = ok(store.acquire(s, 0));
    expect(third.states[0]!.requests).toEqual({ limit: 3, remaining: 0, resetMs: 60_000 });

    c.t += 10_000; // 30 s after the first
    const r = refused(store.acquire(s, 0));
    expect(r.breaches).toEqual([expect.objectContaining({ kind: 'rpm', limit: 3, used: 3, retryAfterMs: 30_000 })]);
    c.t += 29_999;
    expect(refused(store.acquire(s, 0)).breaches[0]!.retryAfterMs).toBe(1);
    c.t += 1; // exactly 60 s after the first
    ok(store.acquire(s, 0));
    // The second request (at +10 s) still holds its place until +70 s.
    expect(refused(store.acquire(s, 0)).breaches[0]!.retryAfterMs).toBe(10_000);
  });

  it('a limit of 0 refuses everything and offers no retry time', () => {
    const store = new MemoryLimiterStore({ now: clock().now });
    const r = refused(store.acquire([key({ rpm: 0 })], 0));
    expect(r.breaches[0]).toMatchObject({ kind: 'rpm', limit: 0 });
    expect(r.breaches[0]!.retryAfterMs).toBeUndefined();
  });

  it('checks every subject before counting anything: a team refusal leaves the key untouched', () => {
    const c = clock();
    const store = new MemoryLimiterStore({ now: c.now });
    const both = [key({ rpm: 10, tpm: 1000, maxParallel: 5 }), team({ rpm: 1 })];
    ok(store.acquire(both, 100));
    const r = refused(store.acquire(both, 100));
    expect(r.breaches.map((b) => `${b.subject.label} ${b.kind}`)).toEqual(['team rpm']);
    const keyOnly = ok(store.acquire([key({ rpm: 10, tpm: 1000, maxParallel: 5 })], 100));
    // 2 requests and 200 tokens counted on the key: the refused one took nothing.
    expect(keyOnly.states[0]).toMatchObject({ requests: { remaining: 8 }, tokens: { remaining: 800 } });
    expect(store.inFlight('key:k1')).toBe(2);
  });

  it('reports every limit that would be exceeded', () => {
    const store = new MemoryLimiterStore({ now: clock().now });
    const s = [key({ rpm: 1, maxParallel: 1 }), team({ tpm: 50 })];
    ok(store.acquire(s, 40));
    expect(refused(store.acquire(s, 40)).breaches.map((b) => `${b.subject.label} ${b.kind}`)).toEqual(['key rpm', 'key parallel', 'team tpm']);
  });
});

describe('MemoryLimiterStore: tokens per minute', () => {
  it('charges the estimate at admission and corrects it to the actual usage on release (refund and extra charge)', () => {
    const c = clock();
    const store = new MemoryLimiterStore({ now: c.now });
    const s = [key({ tpm: 1000 })];
    const first = ok(store.acquire(s, 600));
    expect(first.states[0]!.tokens).toMatchObject({ limit: 1000, remaining: 400 });
    const r = refused(store.acquire(s, 600));
    expect(r.breaches[0]).toMatchObject({ kind: 'tpm', limit: 1000, used: 600, requested: 600 });
    first.lease.release(100); // refund 500
    const second = ok(store.acquire(s, 600));
    expect(second.states[0]!.tokens!.remaining).toBe(300);
    second.lease.release(850); // 250 more than estimated
    expect(refused(store.acquire(s, 100)).breaches[0]).toMatchObject({ used: 950 });
    expect(ok(store.acquire(s, 50)).states[0]!.tokens!.remaining).toBe(0);
  });

  it('says when enough tokens leave the window, and frees them there', () => {
    const c = clock(0);
    const store = new MemoryLimiterStore({ now: c.now });
    const s = [key({ tpm: 1000 })];
    ok(store.acquire(s, 600)); // slot 0
    c.t = 30_000;
    ok(store.acquire(s, 300)); // slot 30
    c.t = 40_000;
    const r = refused(store.acquire(s, 500));
    expect(r.breaches[0]!.retryAfterMs).toBe(20_000); // the 600 leave at 60 s
    c.t = 59_999;
    refused(store.acquire(s, 500));
    c.t = 60_000;
    const later = ok(store.acquire(s, 500));
    expect(later.states[0]!.tokens).toEqual({ limit: 1000, remaining: 200, resetMs: 60_000 });
  });

  it('a request larger than the whole limit is refused as too large, with no retry time', () => {
    const store = new MemoryLimiterStore({ now: clock().now });
    const r = refused(store.acquire([key({ tpm: 1000 })], 1001));
    expect(r.breaches[0]).toMatchObject({ kind: 'tpm', tooLarge: true, requested: 1001 });
    expect(r.breaches[0]!.retryAfterMs).toBeUndefined();
  });

  it('a request that outlived the window pays its extra tokens now; a refund for it returns nothing', () => {
    const c = clock(0);
    const store = new MemoryLimiterStore({ now: c.now });
    const s = [key({ tpm: 10_000 })];
    const long = ok(store.acquire(s, 100));
    const longRefund = ok(store.acquire(s, 5000));
    c.t = 90_000;
    long.lease.release(700);
    longRefund.lease.release(0);
    expect(ok(store.acquire(s, 0)).states[0]!.tokens!.remaining).toBe(10_000 - 600);
  });
});

describe('MemoryLimiterStore: parallel requests and memory', () => {
  it('holds one slot per admitted request and releases it exactly once', () => {
    const store = new MemoryLimiterStore({ now: clock().now });
    const s = [key({ maxParallel: 2 })];
    const a = ok(store.acquire(s, 0));
    ok(store.acquire(s, 0));
    expect(refused(store.acquire(s, 0)).breaches[0]).toMatchObject({ kind: 'parallel', limit: 2, used: 2 });
    a.lease.release(0);
    a.lease.release(0); // a second release (error after abort) must not free another slot
    expect(store.inFlight('key:k1')).toBe(1);
    ok(store.acquire(s, 0));
    refused(store.acquire(s, 0));
  });

  it('counts requests in flight even before a parallel limit is set, so a limit added at run time sees them', () => {
    const store = new MemoryLimiterStore({ now: clock().now });
    ok(store.acquire([key({ rpm: 100 })], 0));
    ok(store.acquire([key({ rpm: 100 })], 0));
    expect(refused(store.acquire([key({ rpm: 100, maxParallel: 2 })], 0)).breaches[0]).toMatchObject({ kind: 'parallel', used: 2 });
  });

  it('forgets idle subjects after a window, but never one with a request in flight', () => {
    const c = clock();
    const store = new MemoryLimiterStore({ now: c.now });
    const done = ok(store.acquire([key({ rpm: 5, tpm: 100 })], 10));
    ok(store.acquire([team({ maxParallel: 1 })], 0)); // never released
    done.lease.release(10);
    expect(store.size).toBe(2);
    c.t += 60_000;
    store.acquire([{ id: 'key:other', label: 'key', rpm: 1 }], 0);
    expect(store.size).toBe(2); // key:k1 gone, team:t1 in flight, key:other new
    expect(store.inFlight('team:t1')).toBe(1);
    expect(store.inFlight('key:k1')).toBe(0);
  });

  it('a window can be shortened (tests, or other periods) and everything scales with it', () => {
    const c = clock(0);
    const store = new MemoryLimiterStore({ now: c.now, windowMs: 1000 });
    ok(store.acquire([key({ rpm: 1, tpm: 10 })], 10));
    expect(refused(store.acquire([key({ rpm: 1, tpm: 10 })], 10)).breaches.map((b) => b.retryAfterMs)).toEqual([1000, 1000]);
    c.t = 1000;
    ok(store.acquire([key({ rpm: 1, tpm: 10 })], 10));
  });
});
