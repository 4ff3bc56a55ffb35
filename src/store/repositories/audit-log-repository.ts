import { num } from '../row-codec.js';
import { pageOf, type Page, type RepositoryContext } from './repository-context.js';

export interface AuditEntry {
  id: number;
  /** A user id, or 'master' for the master key. */
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  at: number;
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  at?: number;
}

/**
 * Field names whose values never reach the audit log, at any depth. Bare
 * "token" only as a whole name: `maxTokens` or `input_tokens` are counters.
 */
const SECRET_FIELD = /secret|password|passwd|api_?key|key_?hash|encrypted|authorization|credential|private_?key|(^|_)(access|refresh|auth|bearer)?_?token$|^key$/i;
export const REDACTED = '[redacted]';

/** A deep copy with secret-looking fields replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const snake = k.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
    out[k] = SECRET_FIELD.test(snake) && v !== null && v !== undefined ? REDACTED : redactSecrets(v);
  }
  return out;
}

export class AuditLogRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  async record(e: NewAuditEntry): Promise<void> {
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(redactSecrets(v)));
    await this.ctx.database.db
      .insertInto('audit_log')
      .values({
        actor: e.actor,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId ?? null,
        before_json: json(e.before),
        after_json: json(e.after),
        at: e.at ?? this.ctx.now(),
      })
      .execute();
  }

  /** Newest first; pass the last id seen as `beforeId` for the next page. */
  async list(filter: Page & { entityType?: string; entityId?: string; actor?: string; beforeId?: number } = {}): Promise<AuditEntry[]> {
    const { limit } = pageOf(filter);
    let q = this.ctx.database.db.selectFrom('audit_log').selectAll();
    if (filter.entityType !== undefined) q = q.where('entity_type', '=', filter.entityType);
    if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: num(r.id),
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before_json === null ? undefined : (JSON.parse(r.before_json) as unknown),
      after: r.after_json === null ? undefined : (JSON.parse(r.after_json) as unknown),
      at: num(r.at),
    }));
  }
}
