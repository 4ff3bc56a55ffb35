import type { FastifyInstance } from 'fastify';
import type { SpendFilter, SpendLog, VirtualKey } from '../../../store/index.js';
import type { AdminContext } from '../admin-deps.js';
import { optInstant, queryString } from '../input.js';
import { findKeyBySecretOrHash, ownUserId } from '../key-service.js';
import { addRoute, type AdminCall } from '../route-helper.js';
import { obj, query, str } from '../schemas.js';
import { usd } from '../usd.js';
import { litellmSpendLog } from './litellm-views.js';

/** One-API's "unlimited" quota as the billing routes show it. */
const UNLIMITED_USD = 100_000_000;
const DAY_MS = 86_400_000;
const MAX_LITELLM_ROWS = 10_000;

async function allLogs(call: AdminCall, filter: SpendFilter): Promise<SpendLog[]> {
  const out: SpendLog[] = [];
  let cursor: string | undefined;
  do {
    const page = await call.ctx.accounts.store.reports.listSpendLogs({ ...filter, limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_LITELLM_ROWS);
  return out;
}

/** LiteLLM dates are "YYYY-MM-DD" (or with a time); an end date without a time includes that whole day. */
function endOf(v: unknown, field: string): number | undefined {
  const t = optInstant(v, field);
  if (typeof t !== 'number') return undefined;
  return typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v) ? t + DAY_MS : t;
}

async function keyHashes(call: AdminCall, rows: SpendLog[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.keyId).filter((x): x is string => !!x))];
  const out = new Map<string, string>();
  for (const id of ids) {
    const k = await call.ctx.accounts.store.keys.get(id);
    if (k) out.set(id, k.keyHash);
  }
  return out;
}

/**
 * What a key may spend, for chat front ends that read OpenAI's old billing
 * routes: the key's own max_budget; else its owner's prepaid balance (One-API
 * quota: remaining + used); else the owner's budget; else "unlimited".
 */
async function keyLimit(call: AdminCall, key: VirtualKey | undefined): Promise<{ limitUsd: number; usedNanos: number; accessUntil: number }> {
  const accessUntil = key?.expiresAt ? Math.floor(key.expiresAt / 1000) : 0;
  if (!key) return { limitUsd: UNLIMITED_USD, usedNanos: 0, accessUntil };
  if (key.maxBudgetNanos !== null) return { limitUsd: usd(key.maxBudgetNanos), usedNanos: key.spendNanos, accessUntil };
  const user = key.userId ? await call.ctx.accounts.store.users.get(key.userId) : undefined;
  if (user && (user.balanceNanos > 0 || user.metadata['prepaid'] === true)) return { limitUsd: usd(user.balanceNanos + user.spendNanos), usedNanos: user.spendNanos, accessUntil };
  if (user && user.maxBudgetNanos !== null) return { limitUsd: usd(user.maxBudgetNanos), usedNanos: user.spendNanos, accessUntil };
  return { limitUsd: UNLIMITED_USD, usedNanos: key.spendNanos, accessUntil };
}

export function registerLiteLLMSpendAndBillingRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/spend/logs',
    summary: 'LiteLLM: spend logs by api_key (secret or token), user_id or request_id; with start_date and end_date, per-day totals',
    tags: ['litellm'],
    querystring: query({ api_key: str(), user_id: str(), request_id: str(), start_date: str('YYYY-MM-DD'), end_date: str('YYYY-MM-DD (inclusive)'), summarize: str('false = rows even with dates') }),
    async handler(call) {
      await call.ctx.accounts.ledger.flush();
      const q = call.query;
      const requestId = queryString(q['request_id']);
      if (requestId) {
        const row = await call.ctx.accounts.store.reports.getByRequestId(requestId);
        const mine = row && (!call.ownOnly || row.userId === ownUserId(call) || row.keyId === call.identity.keyId);
        return mine ? [litellmSpendLog(row, (await keyHashes(call, [row])).get(row.keyId ?? '') ?? null)] : [];
      }
      const filter: SpendFilter = {};
      const apiKey = queryString(q['api_key']);
      if (apiKey) filter.keyId = (await findKeyBySecretOrHash(call, apiKey)).id;
      const userId = queryString(q['user_id']);
      if (userId) filter.userId = userId;
      if (call.ownOnly && !filter.keyId) filter.userId = ownUserId(call);
      const from = optInstant(q['start_date'], 'start_date');
      if (typeof from === 'number') filter.from = from;
      const to = endOf(q['end_date'], 'end_date');
      if (to !== undefined) filter.to = to;
      const rows = await allLogs(call, filter);
      if (filter.from !== undefined && filter.to !== undefined && q['summarize'] !== 'false') {
        // LiteLLM's legacy summary: one entry per day with spend by model and by user.
        const days = new Map<string, { spend: number; models: Map<string, number>; users: Map<string, number> }>();
        for (const r of rows) {
          const day = new Date(r.createdAt).toISOString().slice(0, 10);
          let d = days.get(day);
          if (!d) days.set(day, (d = { spend: 0, models: new Map(), users: new Map() }));
          d.spend += r.costNanos;
          d.models.set(r.publicModel, (d.models.get(r.publicModel) ?? 0) + r.costNanos);
          if (r.userId) d.users.set(r.userId, (d.users.get(r.userId) ?? 0) + r.costNanos);
        }
        const toUsd = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [k, usd(v)]));
        return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, d]) => ({ startTime: day, spend: usd(d.spend), models: toUsd(d.models), users: toUsd(d.users) }));
      }
      const hashes = await keyHashes(call, rows);
      return rows.map((r) => litellmSpendLog(r, hashes.get(r.keyId ?? '') ?? null));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/global/spend',
    summary: 'LiteLLM: total spend across the gateway',
    tags: ['litellm'],
    response: { 200: obj({ spend: { type: 'number' }, max_budget: { type: 'number' } }) },
    async handler(call) {
      await call.ctx.accounts.ledger.flush();
      const t = await call.ctx.accounts.store.reports.spendTotals({});
      // LiteLLM's proxy-wide max_budget; Switchyard has none (0 = no limit, as LiteLLM's default).
      return { spend: usd(t.costNanos), max_budget: 0 };
    },
  });

  for (const prefix of ['', '/v1']) {
    addRoute(app, ctx, {
      method: 'GET',
      url: `${prefix}/dashboard/billing/subscription`,
      summary: 'One-API / OpenAI legacy: the calling key’s spending limit',
      tags: ['one-api'],
      response: { 200: obj({ object: str(), has_payment_method: { type: 'boolean' }, soft_limit_usd: { type: 'number' }, hard_limit_usd: { type: 'number' }, system_hard_limit_usd: { type: 'number' }, access_until: { type: 'integer' } }) },
      async handler(call) {
        const key = call.identity.keyId ? await call.ctx.accounts.store.keys.get(call.identity.keyId) : undefined;
        const { limitUsd, accessUntil } = await keyLimit(call, key);
        return { object: 'billing_subscription', has_payment_method: true, soft_limit_usd: limitUsd, hard_limit_usd: limitUsd, system_hard_limit_usd: limitUsd, access_until: accessUntil };
      },
    });

    addRoute(app, ctx, {
      method: 'GET',
      url: `${prefix}/dashboard/billing/usage`,
      summary: 'One-API / OpenAI legacy: what the calling key has used, in cents (start_date/end_date narrow it to the ledger’s days)',
      tags: ['one-api'],
      querystring: query({ start_date: str('YYYY-MM-DD'), end_date: str('YYYY-MM-DD (exclusive, as OpenAI)') }),
      async handler(call) {
        await call.ctx.accounts.ledger.flush();
        const key = call.identity.keyId ? await call.ctx.accounts.store.keys.get(call.identity.keyId) : undefined;
        const from = optInstant(call.query['start_date'], 'start_date');
        const to = optInstant(call.query['end_date'], 'end_date');
        let usedNanos: number;
        if (typeof from === 'number' || typeof to === 'number') {
          const f: SpendFilter = { ...(typeof from === 'number' ? { from } : {}), ...(typeof to === 'number' ? { to } : {}) };
          if (key) f.keyId = key.id;
          else if (call.identity.userId) f.userId = call.identity.userId;
          usedNanos = (await call.ctx.accounts.store.reports.spendTotals(f)).costNanos;
        } else if (key) usedNanos = (await keyLimit(call, key)).usedNanos;
        else usedNanos = call.identity.userId ? ((await call.ctx.accounts.store.users.get(call.identity.userId))?.spendNanos ?? 0) : (await call.ctx.accounts.store.reports.spendTotals({})).costNanos;
        return { object: 'list', total_usage: usedNanos / 10_000_000 };
      },
    });
  }
}
