import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';
import { fromBool, num, numOrNull } from '../row-codec.js';
import type { Schema, SpendLogsTable } from '../schema.js';
import { pageOf, type RepositoryContext } from './repository-context.js';
import type { SpendDailyRow, SpendDimension, SpendFilter, SpendLog, SpendStatus, SpendTotals } from './spend-log-types.js';

export interface SpendLogPage {
  rows: SpendLog[];
  /** Pass back as `cursor` for the next (older) page; undefined on the last page. */
  nextCursor: string | undefined;
}

function toLog(r: Selectable<SpendLogsTable>): SpendLog {
  return {
    id: num(r.id),
    requestId: r.request_id,
    keyId: r.key_id,
    userId: r.user_id,
    teamId: r.team_id,
    publicModel: r.public_model,
    deployment: r.deployment,
    provider: r.provider,
    upstreamModel: r.upstream_model,
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cacheReadTokens: num(r.cache_read_tokens),
    cacheWriteTokens: num(r.cache_write_tokens),
    reasoningTokens: num(r.reasoning_tokens),
    costNanos: num(r.cost_nanos),
    status: r.status as SpendStatus,
    httpStatus: numOrNull(r.http_status),
    errorCode: r.error_code,
    latencyMs: numOrNull(r.latency_ms),
    ttftMs: numOrNull(r.ttft_ms),
    stream: fromBool(r.stream),
    cacheHit: fromBool(r.cache_hit),
    clientIp: r.client_ip,
    userAgent: r.user_agent,
    endpoint: r.endpoint,
    warning: r.warning,
    attempts: num(r.attempts),
    fallbacks: num(r.fallbacks),
    createdAt: num(r.created_at),
  };
}

type LogQuery<O> = SelectQueryBuilder<Schema, 'spend_logs', O>;

/**
 * Each filter lines up with an index of spend_logs: (x_id, created_at)
 * partial on x_id not null, (public_model, created_at), (status) partial on
 * status <> 'success', (created_at). A partial index serves a query only when
 * its WHERE terms imply the index's, and SQLite cannot infer
 * `status <> 'success'` from `status = 'error'`: the term is added for it
 * (PostgreSQL infers it from the bound value, but a generic plan could not).
 * A 'success' filter matches most rows and goes without it.
 */
function applyFilter<O>(q: LogQuery<O>, f: SpendFilter): LogQuery<O> {
  if (f.keyId !== undefined) q = q.where('key_id', '=', f.keyId);
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.teamId !== undefined) q = q.where('team_id', '=', f.teamId);
  if (f.publicModel !== undefined) q = q.where('public_model', '=', f.publicModel);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  // A literal, not a bound parameter: a statement planned before its values are known proves the index's predicate from the text alone.
  if (f.status !== undefined && f.status !== 'success') q = q.where('status', '<>', sql.lit('success'));
  if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('created_at', '<', f.to);
  return q;
}

/** Cursor = "<created_at>.<id>" of the last row seen; opaque to callers. */
function parseCursor(cursor: string): { at: number; id: number } {
  const m = /^(\d+)\.(\d+)$/.exec(cursor);
  if (!m) throw new RangeError(`Invalid spend log cursor "${cursor}"`);
  return { at: Number(m[1]), id: Number(m[2]) };
}

/** The ledger's read side: filtered pages, totals and daily aggregates for the admin API and UI. */
export class SpendReportsRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  private get db() {
    return this.ctx.database.db;
  }

  /** Newest first, keyset-paginated so deep pages stay as cheap as the first. */
  async listSpendLogs(filter: SpendFilter & { limit?: number; cursor?: string } = {}): Promise<SpendLogPage> {
    const { limit } = pageOf(filter);
    let q = applyFilter(this.db.selectFrom('spend_logs').selectAll(), filter);
    if (filter.cursor) {
      const c = parseCursor(filter.cursor);
      q = q.where((eb) => eb.or([eb('created_at', '<', c.at), eb.and([eb('created_at', '=', c.at), eb('id', '<', c.id)])]));
    }
    const rows = (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()).map(toLog);
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return { rows, nextCursor: more && last ? `${last.createdAt}.${last.id}` : undefined };
  }

  async getByRequestId(requestId: string): Promise<SpendLog | undefined> {
    const r = await this.db.selectFrom('spend_logs').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    return r && toLog(r);
  }

  async spendTotals(filter: SpendFilter = {}): Promise<SpendTotals> {
    const r = await applyFilter(
      this.db.selectFrom('spend_logs').select((eb) => [
        eb.fn.countAll().as('requests'),
        eb.fn.count(eb.case().when('status', '!=', 'success').then(1).end()).as('error_requests'),
        eb.fn.sum('input_tokens').as('input_tokens'),
        eb.fn.sum('output_tokens').as('output_tokens'),
        eb.fn.sum('cache_read_tokens').as('cache_read_tokens'),
        eb.fn.sum('cache_write_tokens').as('cache_write_tokens'),
        eb.fn.sum('reasoning_tokens').as('reasoning_tokens'),
        eb.fn.sum('cost_nanos').as('cost_nanos'),
      ]),
      filter,
    ).executeTakeFirstOrThrow();
    return {
      requests: num(r.requests),
      errorRequests: num(r.error_requests),
      inputTokens: num(r.input_tokens),
      outputTokens: num(r.output_tokens),
      cacheReadTokens: num(r.cache_read_tokens),
      cacheWriteTokens: num(r.cache_write_tokens),
      reasoningTokens: num(r.reasoning_tokens),
      costNanos: num(r.cost_nanos),
    };
  }

  /** Daily aggregates (kept after ledger retention deletes the raw rows); days are UTC `YYYY-MM-DD`, inclusive. */
  async spendDaily(q: { kind: SpendDimension; id?: string; fromDay?: string; toDay?: string }): Promise<SpendDailyRow[]> {
    let s = this.db.selectFrom('spend_daily').selectAll().where('kind', '=', q.kind);
    if (q.id !== undefined) s = s.where('dim_id', '=', q.id);
    if (q.fromDay !== undefined) s = s.where('day', '>=', q.fromDay);
    if (q.toDay !== undefined) s = s.where('day', '<=', q.toDay);
    const rows = await s.orderBy('day', 'asc').orderBy('dim_id', 'asc').execute();
    return rows.map((r) => ({
      day: r.day,
      kind: r.kind as SpendDimension,
      id: r.dim_id,
      requests: num(r.requests),
      errorRequests: num(r.error_requests),
      inputTokens: num(r.input_tokens),
      outputTokens: num(r.output_tokens),
      cacheReadTokens: num(r.cache_read_tokens),
      cacheWriteTokens: num(r.cache_write_tokens),
      reasoningTokens: num(r.reasoning_tokens),
      costNanos: num(r.cost_nanos),
    }));
  }
}
