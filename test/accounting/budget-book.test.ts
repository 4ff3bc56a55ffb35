import { describe, it, expect } from 'vitest';
import { BudgetBook, type BudgetEvent, type AccountRef } from '../../src/accounting/budget-book.js';
import { addDuration, nextResetAfter, parseDuration } from '../../src/accounting/budget-period.js';

const USD = 1_000_000_000;
const refs: AccountRef[] = [
  { kind: 'key', id: 'k1' },
  { kind: 'user', id: 'u1' },
  { kind: 'team', id: 't1' },
  { kind: 'balance', id: 'u1' },
];

function randomDelay(): Promise<void> {
  const r = Math.random();
  if (r < 0.3) return Promise.resolve();
  if (r < 0.6) return new Promise((res) => setImmediate(res));
  return new Promise((res) => setTimeout(res, Math.floor(Math.random() * 4)));
}

describe('BudgetBook reservations', () => {
  it('holds, settles and releases exactly once', () => {
    const book = new BudgetBook();
    book.load([{ kind: 'key', id: 'k1', limitNanos: 10 * USD }]);
    const r = book.reserve(refs, 2 * USD);
    if (!r.ok) throw new Error('refused');
    expect(r.reservation.accounts).toEqual([{ kind: 'key', id: 'k1' }]);
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 0, reservedNanos: 2 * USD });
    expect(r.reservation.settle(1 * USD)).toEqual({ actualNanos: USD, overrunNanos: 0 });
    expect(r.reservation.settle(5 * USD)).toEqual({ actualNanos: USD, overrunNanos: 0 });
    r.reservation.release();
    expect(r.reservation.state).toBe('settled');
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: USD, reservedNanos: 0 });
    expect(book.remainingNanos('key', 'k1')).toBe(9 * USD);

    const r2 = book.reserve(refs, 3 * USD);
    if (!r2.ok) throw new Error('refused');
    r2.reservation.release();
    r2.reservation.release();
    r2.reservation.settle(3 * USD);
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: USD, reservedNanos: 0 });
  });

  it('is all-or-nothing across key, user, team and balance, and names the budget that refused', () => {
    const book = new BudgetBook();
    book.load([
      { kind: 'key', id: 'k1', limitNanos: 100 * USD },
      { kind: 'user', id: 'u1', limitNanos: null },
      { kind: 'team', id: 't1', limitNanos: 5 * USD, spentNanos: 4 * USD, duration: '30d', resetAt: Date.UTC(2030, 0, 1) },
      { kind: 'balance', id: 'u1', balanceNanos: 50 * USD },
    ]);
    const r = book.reserve(refs, 2 * USD);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe('budget_exceeded');
    expect(r.refusal.message).toBe(
      "Budget exceeded for team 't1': limit $5 per 30d, spent $4, $0 held by requests in flight; this request may cost up to $2; resets at 2030-01-01T00:00:00.000Z.",
    );
    // nothing was held on the accounts checked before the team
    expect(book.get('key', 'k1')).toMatchObject({ reservedNanos: 0 });
    expect(book.get('balance', 'u1')).toMatchObject({ reservedNanos: 0 });
    expect(book.reserve(refs, 1 * USD).ok).toBe(true);
  });

  it('refuses from a credit balance with insufficient_quota, and an exhausted budget even at zero cost', () => {
    const book = new BudgetBook();
    book.load([{ kind: 'balance', id: 'u1', balanceNanos: USD }, { kind: 'key', id: 'k0', limitNanos: 0 }]);
    const r = book.reserve([{ kind: 'balance', id: 'u1' }], 2 * USD);
    expect(r.ok || r.refusal.code).toBe('insufficient_quota');
    expect(r.ok || r.refusal.message).toMatch(/credit balance of user 'u1' has \$1 available/);
    expect(book.reserve([{ kind: 'key', id: 'k0' }], 0).ok).toBe(false);
  });

  it('records an over-run in full, and floors a balance at zero recording the unpaid part', () => {
    const events: BudgetEvent[] = [];
    const book = new BudgetBook({ onEvent: (e) => events.push(e) });
    book.load([{ kind: 'key', id: 'k1', limitNanos: 10 * USD }, { kind: 'balance', id: 'u1', balanceNanos: 3 * USD }]);
    const r = book.reserve(refs, 2 * USD);
    if (!r.ok) throw new Error('refused');
    expect(r.reservation.settle(4 * USD).overrunNanos).toBe(2 * USD);
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 4 * USD });
    expect(book.get('balance', 'u1')).toMatchObject({ balanceNanos: 0, unpaidNanos: USD, reservedNanos: 0 });
    expect(events.map((e) => e.type)).toEqual(['balance_overdraft']);
  });

  it('emits soft-limit and limit events once per crossing', () => {
    const events: BudgetEvent[] = [];
    const book = new BudgetBook({ onEvent: (e) => events.push(e) });
    book.load([{ kind: 'team', id: 't1', limitNanos: 10 * USD, softLimitNanos: 8 * USD }]);
    const spend = (n: number) => {
      const r = book.reserve([{ kind: 'team', id: 't1' }], n);
      if (!r.ok) throw new Error(r.refusal.message);
      r.reservation.settle(n);
    };
    spend(5 * USD);
    expect(events).toEqual([]);
    spend(3 * USD);
    expect(events.map((e) => e.type)).toEqual(['soft_limit_crossed']);
    spend(USD);
    expect(events).toHaveLength(1);
    spend(USD);
    expect(events.map((e) => e.type)).toEqual(['soft_limit_crossed', 'limit_reached']);
    expect(book.reserve([{ kind: 'team', id: 't1' }], 0).ok).toBe(false);
  });

  it('keeps in-flight holds across load() and applies upsert spend policies', () => {
    const book = new BudgetBook();
    book.load([{ kind: 'key', id: 'k1', limitNanos: 10 * USD, spentNanos: 5 * USD }]);
    const r = book.reserve(refs, 2 * USD);
    if (!r.ok) throw new Error('refused');
    book.load([{ kind: 'key', id: 'k1', limitNanos: 20 * USD, spentNanos: 5 * USD }]);
    expect(book.get('key', 'k1')).toMatchObject({ limitNanos: 20 * USD, reservedNanos: 2 * USD });
    r.reservation.settle(2 * USD);
    // the database lags memory: 'max' keeps the higher figure
    book.upsert({ kind: 'key', id: 'k1', limitNanos: 20 * USD, spentNanos: 5 * USD });
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 7 * USD, reservedNanos: 0 });
    // an admin reset replaces it
    book.upsert({ kind: 'key', id: 'k1', limitNanos: 20 * USD, spentNanos: 0 }, 'replace');
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 0 });
    expect(() => book.upsert({ kind: 'key', id: 'k2', limitNanos: 1.5 })).toThrow(/integer/);
    expect(() => book.upsert({ kind: 'key', id: 'k2', limitNanos: 1, duration: '1 month' })).toThrow(/budget_duration/);
  });
});

describe('BudgetBook under concurrency', () => {
  it('200 interleaved requests never spend past the limit when actual ≤ reservation', async () => {
    const book = new BudgetBook();
    const limit = 50 * USD;
    book.load([
      { kind: 'key', id: 'k1', limitNanos: limit },
      { kind: 'team', id: 't1', limitNanos: 40 * USD },
      { kind: 'balance', id: 'u1', balanceNanos: 45 * USD },
    ]);
    let admitted = 0;
    let refused = 0;
    const check = () => {
      const k = book.get('key', 'k1')!;
      const t = book.get('team', 't1')!;
      const b = book.get('balance', 'u1')!;
      if (k.kind !== 'key' || t.kind !== 'team' || b.kind !== 'balance') throw new Error('kind');
      expect(k.spentNanos + k.reservedNanos).toBeLessThanOrEqual(limit);
      expect(t.spentNanos + t.reservedNanos).toBeLessThanOrEqual(40 * USD);
      expect(b.balanceNanos).toBeGreaterThanOrEqual(0);
      expect(b.reservedNanos).toBeLessThanOrEqual(b.balanceNanos);
    };
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        await randomDelay();
        const est = Math.floor(Math.random() * USD) + 1;
        const r = book.reserve(refs, est);
        check();
        if (!r.ok) {
          refused++;
          return;
        }
        admitted++;
        await randomDelay();
        if (Math.random() < 0.2) r.reservation.release();
        else r.reservation.settle(Math.floor(Math.random() * est));
        check();
      }),
    );
    expect(admitted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(0);
    expect(book.get('team', 't1')).toMatchObject({ reservedNanos: 0 });
    expect(book.get('balance', 'u1')).toMatchObject({ reservedNanos: 0, unpaidNanos: 0 });
  });

  it('with over-runs, spend exceeds the limit by no more than the over-runs of requests admitted in flight', async () => {
    const book = new BudgetBook();
    const limit = 20 * USD;
    book.load([{ kind: 'key', id: 'k1', limitNanos: limit }, { kind: 'balance', id: 'u1', balanceNanos: 15 * USD }]);
    let totalOverrun = 0;
    let balanceCharged = 0;
    let settledTotal = 0;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        await randomDelay();
        const est = Math.floor(Math.random() * USD) + 1;
        const r = book.reserve(refs, est);
        if (!r.ok) return;
        await randomDelay();
        const actual = Math.floor(Math.random() * est * 1.5);
        const before = book.get('balance', 'u1');
        const res = r.reservation.settle(actual);
        const after = book.get('balance', 'u1');
        if (before?.kind === 'balance' && after?.kind === 'balance') balanceCharged += before.balanceNanos - after.balanceNanos;
        totalOverrun += res.overrunNanos;
        settledTotal += actual;
        const k = book.get('key', 'k1')!;
        expect(k.kind === 'key' && k.spentNanos).toBeLessThanOrEqual(limit + totalOverrun);
        expect(after?.kind === 'balance' && after.balanceNanos).toBeGreaterThanOrEqual(0);
      }),
    );
    const k = book.get('key', 'k1');
    const b = book.get('balance', 'u1');
    if (k?.kind !== 'key' || b?.kind !== 'balance') throw new Error('kind');
    expect(k.spentNanos).toBe(settledTotal);
    expect(k.spentNanos).toBeLessThanOrEqual(limit + totalOverrun);
    expect(b.balanceNanos).toBeGreaterThanOrEqual(0);
    // every nano settled is either drawn from the balance or recorded as unpaid
    expect(balanceCharged + b.unpaidNanos).toBe(settledTotal);
    expect(b.balanceNanos).toBe(15 * USD - balanceCharged);
  });
});

describe('budget periods', () => {
  it('parses LiteLLM durations', () => {
    expect(parseDuration('30s')).toEqual({ amount: 30, unit: 's' });
    expect(parseDuration('1h')).toEqual({ amount: 1, unit: 'h' });
    expect(parseDuration('7d')).toEqual({ amount: 7, unit: 'd' });
    expect(parseDuration('1mo')).toEqual({ amount: 1, unit: 'mo' });
    expect(() => parseDuration('0d')).toThrow();
    expect(() => parseDuration('monthly')).toThrow(/budget_duration/);
  });

  it('steps resets whole periods and clamps month ends', () => {
    const t0 = Date.UTC(2025, 0, 1);
    expect(nextResetAfter(t0, parseDuration('1d'), t0 + 3.5 * 86_400_000)).toBe(t0 + 4 * 86_400_000);
    expect(nextResetAfter(t0, parseDuration('1d'), t0 - 1)).toBe(t0);
    expect(addDuration(Date.UTC(2024, 0, 31), parseDuration('1mo'))).toBe(Date.UTC(2024, 1, 29));
    expect(nextResetAfter(Date.UTC(2025, 0, 15), parseDuration('1mo'), Date.UTC(2025, 2, 20))).toBe(Date.UTC(2025, 3, 15));
  });

  it('resets spend at resetAt, keeps holds, and starts a period on first use when no resetAt is given', () => {
    let now = Date.UTC(2025, 5, 1, 12);
    const events: BudgetEvent[] = [];
    const book = new BudgetBook({ now: () => now, onEvent: (e) => events.push(e) });
    book.load([
      { kind: 'key', id: 'k1', limitNanos: 10 * USD, spentNanos: 9 * USD, duration: '1h', resetAt: now + 30 * 60_000 },
      { kind: 'user', id: 'u1', limitNanos: 10 * USD, duration: '30s' },
    ]);
    expect(book.reserve([{ kind: 'key', id: 'k1' }], 2 * USD).ok).toBe(false);
    const held = book.reserve([{ kind: 'key', id: 'k1' }], USD / 2);
    if (!held.ok) throw new Error('refused');
    expect(book.get('user', 'u1')).toMatchObject({ resetAt: now + 30_000 });

    now += 31 * 60_000;
    const r = book.reserve([{ kind: 'key', id: 'k1' }], 2 * USD);
    expect(r.ok).toBe(true);
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 0, reservedNanos: USD / 2 + 2 * USD, resetAt: Date.UTC(2025, 5, 1, 13, 30) });
    expect(events.filter((e) => e.type === 'budget_reset').map((e) => e.type === 'budget_reset' && e.previousSpentNanos)).toContain(9 * USD);

    // the held request settles into the new period
    held.reservation.settle(USD / 2);
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: USD / 2 });

    now += 2 * 3_600_000; // two more periods pass unseen: one reset, next one in the future
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 0, resetAt: Date.UTC(2025, 5, 1, 15, 30) });
  });
});
