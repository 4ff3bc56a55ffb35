import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../../spec/index.js';
import type { SpendDimension, SpendFilter, SpendStatus, SpendTotals } from '../../../store/index.js';
import type { AdminContext } from '../admin-deps.js';
import { optInstant, queryInt, queryString } from '../input.js';
import { findKey, ownUserId } from '../key-service.js';
import { addRoute, type AdminCall, type Json } from '../route-helper.js';
import { int, obj, query, str } from '../schemas.js';
import { usd, usdText } from '../usd.js';
import { csvHeader, csvRows } from './spend-csv.js';
import { sweepRetention } from './settings-routes.js';

const TAGS = ['spend'];
const STATUSES: SpendStatus[] = ['success', 'error', 'cancelled'];
const DIMENSIONS: SpendDimension[] = ['key', 'user', 'team', 'model'];
const EXPORT_PAGE = 1000;
const FILTERS = {
  key_id: str(),
  user_id: str(),
  team_id: str(),
  model: str('Public model name'),
  status: { type: 'string', enum: STATUSES },
  start: str('Inclusive start: ISO time or epoch ms'),
  end: str('Exclusive end: ISO time or epoch ms'),
};

/** Query → ledger filter; members always see only their own rows, whatever they ask for. */
async function spendFilter(call: AdminCall): Promise<SpendFilter> {
  const q = call.query;
  const f: SpendFilter = {};
  const keyId = queryString(q['key_id']);
  if (keyId) f.keyId = (await findKey(call, keyId)).id;
  const userId = queryString(q['user_id']);
  if (userId) f.userId = userId;
  const teamId = queryString(q['team_id']);
  if (teamId) f.teamId = teamId;
  const model = queryString(q['model']);
  if (model) f.publicModel = model;
  const status = queryString(q['status']);
  if (status) {
    if (!STATUSES.includes(status as SpendStatus)) throw invalidRequest(`status must be one of ${STATUSES.join(', ')}.`, 'status');
    f.status = status as SpendStatus;
  }
  const from = optInstant(q['start'], 'start');
  if (typeof from === 'number') f.from = from;
  const to = optInstant(q['end'], 'end');
  if (typeof to === 'number') f.to = to;
  if (call.ownOnly) f.userId = ownUserId(call);
  return f;
}

export function totalsView(t: SpendTotals): Json {
  return {
    requests: t.requests,
    error_requests: t.errorRequests,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cache_read_tokens: t.cacheReadTokens,
    cache_write_tokens: t.cacheWriteTokens,
    reasoning_tokens: t.reasoningTokens,
    spend: usd(t.costNanos),
    spend_exact: usdText(t.costNanos),
  };
}

function wantsCsv(call: AdminCall): boolean {
  if (call.query['format'] === 'csv') return true;
  const accept = call.req.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept);
}

export function registerSpendRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/spend/logs',
    summary: 'The request ledger, newest first, keyset-paginated; ?format=csv (or Accept: text/csv) exports every matching row',
    tags: TAGS,
    querystring: query({ ...FILTERS, limit: int('Page size (default 100, max 1000)'), cursor: str('next_cursor of the previous page'), format: { type: 'string', enum: ['json', 'csv'] } }),
    async handler(call) {
      // Rows of requests just served may still sit in the batched writer.
      await call.ctx.accounts.ledger.flush();
      const filter = await spendFilter(call);
      const reports = call.ctx.accounts.store.reports;
      if (wantsCsv(call)) {
        let out = csvHeader();
        let cursor: string | undefined;
        do {
          const page = await reports.listSpendLogs({ ...filter, limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
          out += csvRows(page.rows);
          cursor = page.nextCursor;
        } while (cursor);
        return call.reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="spend-logs.csv"').send(out);
      }
      const cursor = queryString(call.query['cursor']);
      const page = await reports.listSpendLogs({ ...filter, limit: queryInt(call.query['limit'], 'limit', 100), ...(cursor ? { cursor } : {}) });
      return {
        data: page.rows.map((r) => ({
          request_id: r.requestId,
          created_at: new Date(r.createdAt).toISOString(),
          status: r.status,
          endpoint: r.endpoint,
          key_id: r.keyId,
          user_id: r.userId,
          team_id: r.teamId,
          model: r.publicModel,
          deployment: r.deployment,
          provider: r.provider,
          upstream_model: r.upstreamModel,
          input_tokens: r.inputTokens,
          output_tokens: r.outputTokens,
          cache_read_tokens: r.cacheReadTokens,
          cache_write_tokens: r.cacheWriteTokens,
          reasoning_tokens: r.reasoningTokens,
          spend: usd(r.costNanos),
          spend_exact: usdText(r.costNanos),
          error_code: r.errorCode,
          latency_ms: r.latencyMs,
          ttft_ms: r.ttftMs,
          stream: r.stream,
          attempts: r.attempts,
          fallbacks: r.fallbacks,
          warning: r.warning,
        })),
        next_cursor: page.nextCursor ?? null,
      };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/spend/totals',
    summary: 'Totals over the ledger for the same filters',
    tags: TAGS,
    querystring: query(FILTERS),
    response: { 200: obj({ requests: int(), spend: { type: 'number' } }) },
    async handler(call) {
      await call.ctx.accounts.ledger.flush();
      return totalsView(await call.ctx.accounts.store.reports.spendTotals(await spendFilter(call)));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/spend/daily',
    summary: 'Daily aggregates per key, user, team or model (kept after retention deletes raw rows)',
    tags: TAGS,
    querystring: query({ group_by: { type: 'string', enum: DIMENSIONS }, id: str(), from: str('First day, YYYY-MM-DD (UTC)'), to: str('Last day, inclusive') }, ['group_by']),
    async handler(call) {
      await call.ctx.accounts.ledger.flush();
      const kind = call.query['group_by'] as SpendDimension;
      let id = queryString(call.query['id']);
      if (call.ownOnly) {
        // Members: their own user row, or one of their own keys.
        if (kind === 'user') id = ownUserId(call);
        else if (kind === 'key' && id) id = (await findKey(call, id)).id;
        else throw invalidRequest('Members can read daily spend for group_by=user, or group_by=key with one of their keys as id.', 'group_by');
      }
      const day = (v: unknown, field: string) => {
        const s = queryString(v);
        if (s !== undefined && !/^\d{4}-\d\d-\d\d$/.test(s)) throw invalidRequest(`${field} must be a day as YYYY-MM-DD.`, field);
        return s;
      };
      const fromDay = day(call.query['from'], 'from');
      const toDay = day(call.query['to'], 'to');
      const rows = await call.ctx.accounts.store.reports.spendDaily({ kind, ...(id ? { id } : {}), ...(fromDay ? { fromDay } : {}), ...(toDay ? { toDay } : {}) });
      return { data: rows.map((r) => ({ day: r.day, group_by: r.kind, id: r.id, ...totalsView(r) })) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/spend/retention-sweep',
    summary: 'Run the spend-log retention sweep now (it also runs daily)',
    tags: TAGS,
    async handler(call) {
      return sweepRetention(call.ctx);
    },
  });
}
