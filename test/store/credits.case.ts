import { describe, expect, it } from 'vitest';
import { uniq, type StoreCaseContext } from './store-case-context.js';

export function creditCases(ctx: StoreCaseContext): void {
  describe('credits', () => {
    it('100 parallel debits on a balance that covers 10: exactly 10 succeed, balance ends at 0', async () => {
      const { users, credits } = ctx.store();
      const u = await users.create({ username: uniq('payer'), balanceNanos: 10 * 7_000 });
      const results = await Promise.all(Array.from({ length: 100 }, () => credits.debitBalance(u.id, 7_000)));
      expect(results.filter(Boolean)).toHaveLength(10);
      expect(await credits.balance(u.id)).toBe(0);
    });

    it('parallel debits that log a transaction stay exact, with a consistent balance_after trail', async () => {
      const { users, credits } = ctx.store();
      const u = await users.create({ username: uniq('logged'), balanceNanos: 5 * 1_000 });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => credits.debitBalance(u.id, 1_000, { reason: `req ${i}` })));
      expect(results.filter(Boolean)).toHaveLength(5);
      expect(await credits.balance(u.id)).toBe(0);
      const trail = await credits.transactions(u.id);
      expect(trail).toHaveLength(5);
      expect(trail.map((t) => t.balanceAfterNanos).sort((a, b) => a - b)).toEqual([0, 1000, 2000, 3000, 4000]);
      expect(trail.every((t) => t.kind === 'deduction' && t.amountNanos === -1000)).toBe(true);
    });

    it('refuses an insufficient, missing-user, zero or fractional debit without touching the balance', async () => {
      const { users, credits } = ctx.store();
      const u = await users.create({ username: uniq('poor'), balanceNanos: 100 });
      expect(await credits.debitBalance(u.id, 101)).toBe(false);
      expect(await credits.debitBalance('usr_missing', 1)).toBe(false);
      await expect(credits.debitBalance(u.id, 0)).rejects.toThrow(RangeError);
      await expect(credits.debitBalance(u.id, 1.5)).rejects.toThrow(RangeError);
      await expect(credits.debitBalance(u.id, -5)).rejects.toThrow(RangeError);
      expect(await credits.balance(u.id)).toBe(100);
      expect(await credits.debitBalance(u.id, 100)).toBe(true);
      expect(await credits.balance(u.id)).toBe(0);
    });

    it('credits concurrently without losing an update, and logs each top-up', async () => {
      const { users, credits } = ctx.store();
      const u = await users.create({ username: uniq('topup') });
      await Promise.all(Array.from({ length: 25 }, () => credits.creditBalance(u.id, 1_000_000_000, { actor: 'master', reason: 'gift' })));
      expect(await credits.balance(u.id)).toBe(25_000_000_000);
      const trail = await credits.transactions(u.id, { limit: 10 });
      expect(trail).toHaveLength(10);
      expect(trail[0]).toMatchObject({ kind: 'topup', amountNanos: 1_000_000_000, actor: 'master', reason: 'gift', balanceAfterNanos: 25_000_000_000 });
      const next = await credits.transactions(u.id, { limit: 100, beforeId: trail[9]!.id });
      expect(next).toHaveLength(15);
      expect(await credits.creditBalance('usr_missing', 1)).toBeUndefined();
    });

    it('a single-use code redeemed by 30 users at once pays out exactly once', async () => {
      const { users, credits } = ctx.store();
      const { code, secret } = await credits.createCode({ amountNanos: 5_000_000_000, label: 'promo', createdBy: 'master' });
      expect(code).toMatchObject({ maxUses: 1, usedCount: 0, amountNanos: 5_000_000_000 });
      const people = await Promise.all(Array.from({ length: 30 }, () => users.create({ username: uniq('redeemer') })));
      const results = await Promise.all(people.map((p) => credits.redeemCode(secret, p.id)));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'used_up')).toBe(true);
      const balances = await Promise.all(people.map((p) => credits.balance(p.id)));
      expect(balances.reduce((a, b) => a! + b!, 0)).toBe(5_000_000_000);
      expect((await credits.getCode(code.id))?.usedCount).toBe(1);
    });

    it('a multi-use code: each user once, never more than max uses, even when racing', async () => {
      const { users, credits } = ctx.store();
      const { secret, code } = await credits.createCode({ amountNanos: 1_000, maxUses: 3 });
      const a = await users.create({ username: uniq('ra') });
      const twice = await Promise.all([credits.redeemCode(secret, a.id), credits.redeemCode(secret, a.id), credits.redeemCode(` ${secret} `, a.id)]);
      expect(twice.filter((r) => r.ok)).toHaveLength(1);
      expect(twice.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['already_redeemed', 'already_redeemed']);
      expect(await credits.balance(a.id)).toBe(1_000);
      const others = await Promise.all(Array.from({ length: 10 }, () => users.create({ username: uniq('rb') })));
      const results = await Promise.all(others.map((o) => credits.redeemCode(secret, o.id)));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      expect((await credits.getCode(code.id))?.usedCount).toBe(3);
      const ok = twice.find((r) => r.ok);
      expect(ok).toMatchObject({ ok: true, codeId: code.id, amountNanos: 1_000, balanceAfterNanos: 1_000 });
      expect((await credits.transactions(a.id))[0]).toMatchObject({ kind: 'redemption', reference: code.id, amountNanos: 1_000 });
    });

    it('explains why a code cannot be redeemed, and leaves no trace when it fails', async () => {
      const { users, credits } = ctx.store();
      const u = await users.create({ username: uniq('why') });
      expect(await credits.redeemCode('syr-nope', u.id)).toEqual({ ok: false, reason: 'not_found' });
      const expired = await credits.createCode({ amountNanos: 10, expiresAt: Date.now() - 1000 });
      expect(await credits.redeemCode(expired.secret, u.id)).toEqual({ ok: false, reason: 'expired' });
      const off = await credits.createCode({ amountNanos: 10 });
      await credits.setCodeDisabled(off.code.id, true);
      expect(await credits.redeemCode(off.secret, u.id)).toEqual({ ok: false, reason: 'disabled' });
      const good = await credits.createCode({ amountNanos: 10, code: `SYR-${uniq('import')}` });
      expect(await credits.redeemCode(good.secret, 'usr_missing')).toEqual({ ok: false, reason: 'user_not_found' });
      // The failed attempt rolled back its claim on the code.
      expect((await credits.getCode(good.code.id))?.usedCount).toBe(0);
      expect(await credits.redeemCode(good.secret, u.id)).toMatchObject({ ok: true });
      expect(await credits.balance(u.id)).toBe(10);
      const raw = await ctx.suite.database().db.selectFrom('redemption_codes').select('code_hash').where('id', '=', good.code.id).executeTakeFirstOrThrow();
      expect(raw.code_hash).not.toContain('SYR');
    });
  });
}
