import { describe, expect, it } from 'vitest';
import type { SpendLogInput } from '../../src/store/index.js';
import { CHUNK_ROWS } from '../../src/store/repositories/sqlite-spend-writer.js';
import { uniq, type StoreCaseContext } from './store-case-context.js';

const DAY = 86_400_000;

export function ledgerCases(ctx: StoreCaseContext): void {
  async function owners() {
    const { users, teams, keys } = ctx.store();
    const user = await users.create({ username: uniq('spender') });
    const team = await teams.create({ name: uniq('spenders') });
    const { key } = await keys.create({ userId: user.id, teamId: team.id });
    return { user, team, key };
  }

  function log(o: { keyId: string; userId: string; teamId: string }, over: Partial<SpendLogInput> = {}): SpendLogInput {
    return {
      requestId: uniq('req'), keyId: o.keyId, userId: o.userId, teamId: o.teamId, publicModel: 'gpt-4o', provider: 'openai',
      deployment: 'openai-1', upstreamModel: 'gpt-4o-2024-08-06', inputTokens: 100, outputTokens: 20, cacheReadTokens: 5,
      cacheWriteTokens: 1, reasoningTokens: 3, costNanos: 1_500, status: 'success', httpStatus: 200, latencyMs: 120, ttftMs: 40,
      stream: true, cacheHit: false, clientIp: '127.0.0.1', userAgent: 'openai-node', endpoint: 'chat', attempts: 1, fallbacks: 0, ...over,
    };
  }

  describe('spend ledger', () => {
    it('is idempotent on request_id: a re-sent batch neither duplicates rows nor double counts spend', async () => {
      const { ledger, reports, keys, users, teams } = ctx.store();
      const { user, team, key } = await owners();
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      const batch = [log(ids, { costNanos: 1_000 }), log(ids, { costNanos: 2_000 })];
      const first = await ledger.insertSpendLogs([...batch, batch[0]!]);
      expect(first).toEqual({ inserted: 2, duplicates: [batch[0]!.requestId] });
      const again = await ledger.insertSpendLogs([...batch, log(ids, { costNanos: 4_000 })]);
      expect(again.inserted).toBe(1);
      expect(again.duplicates.sort()).toEqual(batch.map((b) => b.requestId).sort());
      expect((await keys.get(key.id))?.spendNanos).toBe(7_000);
      expect((await users.get(user.id))?.spendNanos).toBe(7_000);
      expect((await teams.get(team.id))?.spendNanos).toBe(7_000);
      expect((await reports.spendTotals({ keyId: key.id })).requests).toBe(3);
      const daily = await reports.spendDaily({ kind: 'key', id: key.id });
      expect(daily).toHaveLength(1);
      expect(daily[0]).toMatchObject({ requests: 3, costNanos: 7_000, inputTokens: 300 });
      const back = await reports.getByRequestId(batch[1]!.requestId);
      expect(back).toMatchObject({ ...batch[1], createdAt: expect.any(Number), id: expect.any(Number), warning: null, errorCode: null });
      expect(back?.endpoint).toBe('chat');
      const { endpoint: _omitted, ...withoutEndpoint } = log(ids, { costNanos: 1 });
      await ledger.insertSpendLogs([withoutEndpoint]);
      expect((await reports.getByRequestId(withoutEndpoint.requestId))?.endpoint).toBeNull();
    });

    it('counts spend exactly under concurrent batches, including the same request sent by two writers', async () => {
      const { ledger, keys, users, teams, reports } = ctx.store();
      const { user, team, key } = await owners();
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      const shared = Array.from({ length: 5 }, () => log(ids, { costNanos: 1_000_000 }));
      const batches = Array.from({ length: 20 }, () => [...Array.from({ length: 5 }, () => log(ids, { costNanos: 1_000 })), ...shared]);
      const results = await Promise.all(batches.map((b) => ledger.insertSpendLogs(b)));
      expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(105);
      const expected = 100 * 1_000 + 5 * 1_000_000;
      expect((await keys.get(key.id))?.spendNanos).toBe(expected);
      expect((await users.get(user.id))?.spendNanos).toBe(expected);
      expect((await teams.get(team.id))?.spendNanos).toBe(expected);
      expect((await reports.spendTotals({ keyId: key.id })).costNanos).toBe(expected);
      expect((await reports.spendDaily({ kind: 'team', id: team.id }))[0]).toMatchObject({ requests: 105, costNanos: expected });
    });

    it('aggregates per UTC day for key, user, team and model, counting errors', async () => {
      const { ledger, reports } = ctx.store();
      const { user, team, key } = await owners();
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      const model = uniq('model');
      const d1 = Date.UTC(2024, 2, 10, 23, 59, 59);
      const d2 = d1 + 2_000;
      await ledger.insertSpendLogs([
        log(ids, { publicModel: model, createdAt: d1, costNanos: 10 }),
        log(ids, { publicModel: model, createdAt: d1 - 1000, costNanos: 20, status: 'error', errorCode: 'upstream_error', httpStatus: 502 }),
      ]);
      await ledger.insertSpendLogs([log(ids, { publicModel: model, createdAt: d2, costNanos: 40, outputTokens: 7 })]);
      for (const [kind, id] of [['key', key.id], ['user', user.id], ['team', team.id], ['model', model]] as const) {
        const rows = await reports.spendDaily({ kind, id });
        expect(rows.map((r) => [r.day, r.requests, r.errorRequests, r.costNanos])).toEqual([
          ['2024-03-10', 2, 1, 30],
          ['2024-03-11', 1, 0, 40],
        ]);
      }
      expect(await reports.spendDaily({ kind: 'model', id: model, fromDay: '2024-03-11', toDay: '2024-03-11' })).toEqual([
        expect.objectContaining({ outputTokens: 7, reasoningTokens: 3, cacheReadTokens: 5, cacheWriteTokens: 1, inputTokens: 100 }),
      ]);
    });

    it('filters by key, user, team, model, status and time range; keyset pages cover every row once', async () => {
      const { ledger, reports } = ctx.store();
      const { user, team, key } = await owners();
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      const t0 = Date.UTC(2024, 5, 1);
      const rows = Array.from({ length: 25 }, (_, i) =>
        log(ids, {
          createdAt: t0 + Math.floor(i / 2) * 1000, // pairs share a timestamp: the cursor must break ties
          publicModel: i % 3 === 0 ? 'claude' : 'gpt-4o',
          status: i % 5 === 0 ? 'error' : 'success',
          costNanos: i,
        }),
      );
      await ledger.insertSpendLogs(rows);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await reports.listSpendLogs({ keyId: key.id, limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.rows.map((r) => r.requestId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(25);
      const all = (await reports.listSpendLogs({ userId: user.id, limit: 100 })).rows;
      expect(all.map((r) => r.createdAt)).toEqual([...all.map((r) => r.createdAt)].sort((a, b) => b - a));
      expect((await reports.listSpendLogs({ teamId: team.id, publicModel: 'claude', limit: 100 })).rows).toHaveLength(9);
      expect((await reports.listSpendLogs({ keyId: key.id, status: 'error', limit: 100 })).rows).toHaveLength(5);
      const window = await reports.listSpendLogs({ keyId: key.id, from: t0 + 2000, to: t0 + 5000, limit: 100 });
      expect(window.rows.map((r) => r.costNanos).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9]);
      const totals = await reports.spendTotals({ keyId: key.id, publicModel: 'gpt-4o' });
      expect(totals).toMatchObject({ requests: 16, costNanos: rows.filter((_, i) => i % 3 !== 0).reduce((s, r) => s + r.costNanos, 0), inputTokens: 1600 });
      expect(await reports.spendTotals({ keyId: 'key_none' })).toEqual({ requests: 0, errorRequests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costNanos: 0 });
      await expect(reports.listSpendLogs({ cursor: 'nonsense' })).rejects.toThrow(RangeError);
    });

    it('retention deletes old rows in batches and keeps the daily aggregates', async () => {
      const { ledger, reports } = ctx.store();
      const { user, team, key } = await owners();
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      const old = Date.UTC(2001, 0, 1);
      await ledger.insertSpendLogs(Array.from({ length: 7 }, (_, i) => log(ids, { createdAt: old + i * DAY })));
      const recent = log(ids);
      await ledger.insertSpendLogs([recent]);
      expect(await ledger.deleteSpendLogsBefore(Date.UTC(2002, 0, 1), 3)).toBe(7);
      expect((await reports.listSpendLogs({ keyId: key.id })).rows.map((r) => r.requestId)).toEqual([recent.requestId]);
      expect((await reports.spendDaily({ kind: 'key', id: key.id })).length).toBe(8);
    });

    it('debits prepaid balances by the inserted rows only, clamped at zero, and only when asked', async () => {
      const { ledger, users, keys } = ctx.store();
      const rich = await owners();
      const broke = await owners();
      const funded = await users.create({ username: uniq('funded'), balanceNanos: 10_000_000_000 });
      const { key: fundedKey } = await keys.create({ userId: funded.id, teamId: rich.team.id });
      const richIds = { keyId: rich.key.id, userId: funded.id, teamId: rich.team.id };
      const brokeIds = { keyId: broke.key.id, userId: broke.user.id, teamId: broke.team.id };
      // Costs past 2^31, summed per user before the debit.
      const batch = [log(richIds, { costNanos: 3_000_000_000 }), log({ ...richIds, keyId: fundedKey.id }, { costNanos: 3_000_000_000 }), log(brokeIds, { costNanos: 1_000 })];
      expect(await ledger.insertSpendLogs(batch, { debitUserBalances: true })).toEqual({ inserted: 3, duplicates: [] });
      expect(await users.get(funded.id)).toMatchObject({ balanceNanos: 4_000_000_000, spendNanos: 6_000_000_000 });
      expect(await users.get(broke.user.id)).toMatchObject({ balanceNanos: 0, spendNanos: 1_000 });
      // Replayed rows are not debited again; the new one overdraws and clamps at zero.
      const again = await ledger.insertSpendLogs([...batch, log(richIds, { costNanos: 5_000_000_000 })], { debitUserBalances: true });
      expect(again.inserted).toBe(1);
      expect(await users.get(funded.id)).toMatchObject({ balanceNanos: 0, spendNanos: 11_000_000_000 });
      const topped = await users.create({ username: uniq('topped'), balanceNanos: 7_000 });
      await ledger.insertSpendLogs([log({ ...brokeIds, userId: topped.id }, { costNanos: 2_000 })]);
      expect(await users.get(topped.id)).toMatchObject({ balanceNanos: 7_000, spendNanos: 2_000 });
    });

    it('rolls the whole batch back when the database refuses one row, and a resend then counts it once', async () => {
      const { ledger, users, keys, teams, reports } = ctx.store();
      const { team, key } = await owners();
      const user = await users.create({ username: uniq('rollback'), balanceNanos: 1_000_000 });
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      const stored = log(ids, { costNanos: 100 });
      await ledger.insertSpendLogs([stored], { debitUserBalances: true });
      const fresh = [log(ids, { costNanos: 1_000 }), log(ids, { costNanos: 2_000 })];
      // NaN is refused by all three (NULL into a NOT NULL column, bad bigint text, unknown column NaN), after the rows before it were written.
      const refused = log(ids, { costNanos: 4_000, inputTokens: Number.NaN });
      await expect(ledger.insertSpendLogs([...fresh, stored, refused], { debitUserBalances: true })).rejects.toThrow();
      for (const r of [...fresh, refused]) expect(await reports.getByRequestId(r.requestId)).toBeUndefined();
      expect(await keys.get(key.id)).toMatchObject({ spendNanos: 100 });
      expect(await teams.get(team.id)).toMatchObject({ spendNanos: 100 });
      expect(await users.get(user.id)).toMatchObject({ spendNanos: 100, balanceNanos: 999_900 });
      expect((await reports.spendDaily({ kind: 'key', id: key.id }))[0]).toMatchObject({ requests: 1, costNanos: 100 });
      const resent = await ledger.insertSpendLogs([...fresh, stored], { debitUserBalances: true });
      expect(resent).toEqual({ inserted: 2, duplicates: [stored.requestId] });
      expect(await users.get(user.id)).toMatchObject({ spendNanos: 3_100, balanceNanos: 996_900 });
      expect((await reports.spendDaily({ kind: 'user', id: user.id }))[0]).toMatchObject({ requests: 3, costNanos: 3_100, inputTokens: 300 });
    });

    it('commits a batch on its own, not inside an unrelated transaction that is open and then rolls back', async () => {
      const store = ctx.store();
      const { user, team, key } = await owners();
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      const row = log(ids, { costNanos: 5_000 });
      let pending: Promise<unknown> | undefined;
      await expect(
        store.database.db.transaction().execute(async (tx) => {
          await tx.updateTable('teams').set({ spend_nanos: 123 }).where('id', '=', team.id).execute();
          // Not awaited: the batch must wait for, or run beside, this transaction, never join it.
          pending = store.ledger.insertSpendLogs([row]);
          await new Promise((r) => setTimeout(r, 20));
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await pending).toEqual({ inserted: 1, duplicates: [] });
      expect(await store.reports.getByRequestId(row.requestId)).toMatchObject({ costNanos: 5_000 });
      expect(await store.teams.get(team.id)).toMatchObject({ spendNanos: 5_000 });
      expect(await store.keys.get(key.id)).toMatchObject({ spendNanos: 5_000 });
    });

    describe('batches longer than one multi-row chunk (SQLite inserts CHUNK_ROWS rows per statement)', () => {
      // Three full chunks and a tail shorter than one.
      const LENGTH = 3 * CHUNK_ROWS + 7;

      async function batchOwners() {
        const o = await owners();
        return { ...o, ids: { keyId: o.key.id, userId: o.user.id, teamId: o.team.id }, model: uniq('chunked') };
      }

      /** Spend counters, and the key's, user's, team's and model's daily aggregates, all of which must agree. */
      async function counted(o: Awaited<ReturnType<typeof batchOwners>>) {
        const { keys, users, teams, reports } = ctx.store();
        const daily = [];
        for (const [kind, id] of [['key', o.key.id], ['user', o.user.id], ['team', o.team.id], ['model', o.model]] as const) {
          const rows = await reports.spendDaily({ kind, id });
          daily.push(rows.map((r) => [r.requests, r.costNanos]));
        }
        return {
          spend: [(await keys.get(o.key.id))?.spendNanos, (await users.get(o.user.id))?.spendNanos, (await teams.get(o.team.id))?.spendNanos],
          daily,
        };
      }

      function expectCounted(c: Awaited<ReturnType<typeof counted>>, requests: number, cost: number) {
        expect(c.spend).toEqual([cost, cost, cost]);
        expect(c.daily).toEqual([0, 1, 2, 3].map(() => [[requests, cost]]));
      }

      /** request_id → cost_nanos of every stored row of the key. */
      async function stored(keyId: string) {
        const { rows } = await ctx.store().reports.listSpendLogs({ keyId, limit: 1000 });
        return new Map(rows.map((r) => [r.requestId, r.costNanos]));
      }

      it('inserts every row of a batch without duplicates and counts each once', async () => {
        const o = await batchOwners();
        const batch = Array.from({ length: LENGTH }, (_, i) => log(o.ids, { publicModel: o.model, costNanos: 1_000 + i }));
        expect(await ctx.store().ledger.insertSpendLogs(batch)).toEqual({ inserted: LENGTH, duplicates: [] });
        expect(await stored(o.key.id)).toEqual(new Map(batch.map((b) => [b.requestId, b.costNanos])));
        expectCounted(await counted(o), LENGTH, batch.reduce((n, b) => n + b.costNanos, 0));
      });

      it('skips rows already stored, in the middle of a chunk and in the tail, and counts only the new ones', async () => {
        const { ledger } = ctx.store();
        const o = await batchOwners();
        const batch = Array.from({ length: LENGTH }, (_, i) => log(o.ids, { publicModel: o.model, costNanos: 1_000 + i }));
        // Chunk 0 clean, two in chunk 1, chunk 2 clean, two in the tail (one its last row).
        const storedAt = [CHUNK_ROWS + 3, CHUNK_ROWS + 20, 3 * CHUNK_ROWS + 2, LENGTH - 1];
        const earlier = storedAt.map((i) => ({ ...batch[i]!, costNanos: 7 }));
        expect(await ledger.insertSpendLogs(earlier)).toEqual({ inserted: 4, duplicates: [] });
        // Also a new row sent twice in the batch, the repeat landing in chunk 2.
        const repeated = batch[5]!;
        const sent = [...batch.slice(0, 2 * CHUNK_ROWS + 10), repeated, ...batch.slice(2 * CHUNK_ROWS + 10)];
        const result = await ledger.insertSpendLogs(sent);
        expect(result).toEqual({ inserted: LENGTH - 4, duplicates: [repeated.requestId, ...storedAt.map((i) => batch[i]!.requestId)] });
        // The stored rows keep their first cost; the replayed ones neither replace nor add to it.
        const expected = new Map(batch.map((b, i) => [b.requestId, storedAt.includes(i) ? 7 : b.costNanos]));
        expect(await stored(o.key.id)).toEqual(expected);
        const cost = [...expected.values()].reduce((n, c) => n + c, 0);
        expectCounted(await counted(o), LENGTH, cost);
      });

      it('skips a batch that is all duplicates without counting anything again', async () => {
        const { ledger } = ctx.store();
        const o = await batchOwners();
        const batch = Array.from({ length: LENGTH }, (_, i) => log(o.ids, { publicModel: o.model, costNanos: 1_000 + i }));
        await ledger.insertSpendLogs(batch);
        const before = await counted(o);
        const replay = await ledger.insertSpendLogs(batch.map((b) => ({ ...b, costNanos: 1 })));
        expect(replay).toEqual({ inserted: 0, duplicates: batch.map((b) => b.requestId) });
        expect(await counted(o)).toEqual(before);
        expect(await stored(o.key.id)).toEqual(new Map(batch.map((b) => [b.requestId, b.costNanos])));
        expectCounted(before, LENGTH, batch.reduce((n, b) => n + b.costNanos, 0));
      });

      it('rolls the whole batch back when the database refuses a row inside a chunk, also after a chunk with duplicates', async () => {
        const { ledger } = ctx.store();
        const o = await batchOwners();
        const first = log(o.ids, { publicModel: o.model, costNanos: 100 });
        await ledger.insertSpendLogs([first]);
        const batch = Array.from({ length: LENGTH }, (_, i) => log(o.ids, { publicModel: o.model, costNanos: 1_000 + i }));
        batch[4] = first;
        batch[CHUNK_ROWS + 6] = log(o.ids, { publicModel: o.model, inputTokens: Number.NaN });
        await expect(ledger.insertSpendLogs(batch)).rejects.toThrow();
        // Refused too when it replays a stored request_id: the row is checked before its conflict.
        batch[CHUNK_ROWS + 6] = { ...first, inputTokens: Number.NaN };
        batch[4] = log(o.ids, { publicModel: o.model });
        await expect(ledger.insertSpendLogs(batch)).rejects.toThrow();
        expect(await stored(o.key.id)).toEqual(new Map([[first.requestId, 100]]));
        expectCounted(await counted(o), 1, 100);
      });
    });

    it('rejects fractional or negative cost before writing anything', async () => {
      const { ledger, reports } = ctx.store();
      const { user, team, key } = await owners();
      const ids = { keyId: key.id, userId: user.id, teamId: team.id };
      await expect(ledger.insertSpendLogs([log(ids), log(ids, { costNanos: 0.5 })])).rejects.toThrow(RangeError);
      await expect(ledger.insertSpendLogs([log(ids, { costNanos: -1 })])).rejects.toThrow(RangeError);
      expect((await reports.spendTotals({ keyId: key.id })).requests).toBe(0);
    });
  });

  describe('budget resets', () => {
    it('lists due budgets and resets each once (compare-and-set)', async () => {
      const { budgets, keys, ledger } = ctx.store();
      const { user, team, key } = await owners();
      await keys.update(key.id, { budgetDuration: '30d', budgetResetAt: 1_000 });
      await ledger.insertSpendLogs([log({ keyId: key.id, userId: user.id, teamId: team.id }, { costNanos: 500 })]);
      const due = (await budgets.dueForReset(2_000)).filter((d) => d.id === key.id);
      expect(due).toEqual([{ kind: 'key', id: key.id, budgetDuration: '30d', budgetResetAt: 1_000, spendNanos: 500 }]);
      const both = await Promise.all([budgets.resetSpend('key', key.id, 1_000, 5_000), budgets.resetSpend('key', key.id, 1_000, 5_000)]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await keys.get(key.id)).toMatchObject({ spendNanos: 0, budgetResetAt: 5_000 });
      expect((await budgets.dueForReset(2_000)).some((d) => d.id === key.id)).toBe(false);
    });
  });
}
