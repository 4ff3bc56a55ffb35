import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin-deps.js';
import { queryInt, queryString } from '../input.js';
import { addRoute } from '../route-helper.js';
import { int, listOf, obj, query, str } from '../schemas.js';

/** Read-only views: the audit log and the router's models. */
export function registerAuditAndModelRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/audit',
    summary: 'Audit log of every admin write, newest first (secrets redacted)',
    tags: ['audit'],
    querystring: query({ entity_type: str(), entity_id: str(), actor: str(), before_id: int('Pass the last id seen for the next page'), limit: int() }),
    response: { 200: listOf(obj({ id: int(), actor: str(), action: str(), entity_type: str() })) },
    async handler(call) {
      const q = call.query;
      const entityType = queryString(q['entity_type']);
      const entityId = queryString(q['entity_id']);
      const actor = queryString(q['actor']);
      const entries = await call.ctx.accounts.store.audit.list({
        limit: queryInt(q['limit'], 'limit', 100),
        ...(entityType ? { entityType } : {}),
        ...(entityId ? { entityId } : {}),
        ...(actor ? { actor } : {}),
        ...(q['before_id'] !== undefined ? { beforeId: queryInt(q['before_id'], 'before_id', 0, Number.MAX_SAFE_INTEGER) } : {}),
      });
      return {
        data: entries.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, entity_type: e.entityType, entity_id: e.entityId, before: e.before ?? null, after: e.after ?? null })),
      };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/models',
    summary: 'Public models and the deployments behind them (never their credentials)',
    tags: ['models'],
    async handler(call) {
      const registry = call.ctx.rt.registry;
      const groups = call.ctx.rt.config.accessGroups;
      return {
        data: registry.publicModels().sort().map((model) => ({
          model,
          access_groups: groups[model] ?? [],
          deployments: registry.resolve(model).map((d) => ({
            id: d.id,
            provider: d.provider,
            protocol: d.protocol,
            upstream_model: d.target.model,
            base_url: withoutUserinfo(d.target.baseUrl),
            weight: d.weight,
            order: d.order,
            source: d.source,
            tags: d.tags,
            model_info: d.modelInfo,
          })),
        })),
      };
    },
  });
}

/** A base URL may carry `user:password@`; that is a credential too. */
function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url;
  }
}
