import type { FastifyInstance } from 'fastify';
import type { CheckResult, Deployment, DeploymentStats, Router } from '../../router/index.js';
import { GatewayError } from '../../spec/index.js';
import { channelKeyOf } from '../router-wiring.js';
import type { AdminContext } from './admin-deps.js';
import { notFound } from './admin-errors.js';
import { audit } from './audit.js';
import { optString } from './input.js';
import { addRoute, type Json } from './route-helper.js';
import { body, bool, freeObject, idParams, int, listOf, nullableStr, obj, str } from './schemas.js';

const TAGS = ['router'];

/** The rules for the permission table (admin/permissions.ts lists them). */
export const ROUTER_HEALTH_PERMISSIONS = {
  'GET /admin/router/health': 'READ',
  'POST /admin/channels/:id/test': 'ADMIN',
} as const;

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function checkView(c: CheckResult | undefined): Json | null {
  if (!c) return null;
  return { at: iso(c.at), ok: c.ok, latency_ms: c.latencyMs, status: c.status ?? null, error_code: c.errorCode ?? null, message: c.message ?? null };
}

/** One deployment's live routing state, as the admin API shows it (no credentials). */
export function deploymentHealthView(d: Deployment, s: DeploymentStats): Json {
  return {
    id: d.id,
    public_model: d.publicModel,
    provider: d.provider,
    upstream_model: d.target.model,
    source: d.source,
    order: d.order,
    weight: d.weight,
    state: s.state,
    in_flight: s.inFlight,
    ewma_latency_ms: s.ewmaLatencyMs ?? null,
    ewma_ttft_ms: s.ewmaTtftMs ?? null,
    successes: s.successes,
    failures: s.failures,
    failures_last_minute: s.failuresLastMinute,
    requests_last_minute: s.requestsLastMinute,
    tokens_last_minute: s.tokensLastMinute,
    cooldown_until: iso(s.cooldownUntil),
    last_error_code: s.lastErrorCode ?? null,
    last_error_at: iso(s.lastErrorAt),
    disabled_reason: s.disabledReason ?? null,
    last_check: checkView(s.lastCheck),
  };
}

/** Every deployment the router knows: the registry's, plus auto-disabled ones a rebuild took out. */
export function routerHealthView(router: Router): Json {
  const now = Date.now();
  const seen = new Map<string, Deployment>();
  for (const d of router.registry.deployments()) seen.set(d.id, d);
  for (const { deployment } of router.health.disabled()) if (!seen.has(deployment.id)) seen.set(deployment.id, deployment);
  const s = router.settings;
  return {
    strategy: s.strategy,
    num_retries: s.numRetries,
    allowed_fails: s.allowedFails,
    cooldown_time_ms: s.cooldownTimeMs,
    health_check_interval_ms: s.healthCheckIntervalMs ?? null,
    data: [...seen.values()].map((d) => deploymentHealthView(d, router.health.stats(d.id, now))),
  };
}

/** The deployments of one channel the router can test: one per key (the asked model, else the first served). */
function channelDeployments(router: Router, channelId: string, model: string | undefined): Deployment[] {
  const all = [...router.registry.deployments(), ...router.health.disabled().map((x) => x.deployment)];
  const byKey = new Map<string, Deployment>();
  for (const d of all) {
    const ref = channelKeyOf(d);
    if (ref?.channelId !== channelId) continue;
    if (model !== undefined && d.publicModel !== model) continue;
    if (!byKey.has(ref.keyId)) byKey.set(ref.keyId, d);
  }
  return [...byKey.values()];
}

const checkSchema = obj({ key_id: str(), deployment: str(), model: str(), ok: bool(), latency_ms: int(), status: { type: ['integer', 'null'] }, error_code: nullableStr(), message: nullableStr() });

export function registerRouterHealthRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/router/health',
    summary: 'Live routing state of every deployment: state, in-flight, latency, failures, cooldown, last error and check',
    tags: TAGS,
    response: { 200: listOf(freeObject()) },
    async handler(call) {
      return routerHealthView(call.ctx.rt.router);
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/channels/:id/test',
    summary: 'Send a tiny chat request through each key of a channel; records latency and status, and re-enables an auto-disabled key that answers',
    tags: ['channels', ...TAGS],
    params: idParams,
    body: body({ model: str('Public model to test (default: the first the channel serves)') }),
    response: { 200: listOf(checkSchema) },
    async handler(call) {
      const id = call.params['id'] as string;
      const channel = await call.ctx.accounts.store.channels.get(id);
      if (!channel) throw notFound('Channel', id);
      const model = optString(call.body['model'], 'model') ?? undefined;
      if (model !== undefined && !channel.models.includes(model)) throw new GatewayError('invalid_request', { message: `Channel '${channel.name}' does not serve '${model}'.`, param: 'model' });
      const router = call.ctx.rt.router;
      const targets = channelDeployments(router, id, model ?? channel.models[0]);
      if (targets.length === 0) {
        throw new GatewayError('invalid_request', { message: `Channel '${channel.name}' has nothing to test: it serves no model, or has no key the router knows (a disabled key is testable only after the router disabled it itself).`, param: 'id' });
      }
      const data: Json[] = [];
      for (const d of targets) {
        const r = await router.checker.check(d);
        data.push({ key_id: channelKeyOf(d)?.keyId, deployment: d.id, model: d.publicModel, ok: r.ok, latency_ms: r.latencyMs, status: r.status ?? null, error_code: r.errorCode ?? null, message: r.message ?? null });
      }
      await audit(call, 'channel.test', 'channel', id, undefined, { ok: data.filter((x) => x['ok'] === true).length, failed: data.filter((x) => x['ok'] !== true).length });
      return { data };
    },
  });
}
