import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { GatewayRuntime } from '../runtime.js';
import './route-config-types.js';
import type { AdminContext, AdminDeps } from './admin-deps.js';
import { toAdminError } from './admin-errors.js';
import { installAccessHook } from './access-hook.js';
import { registerLiteLLMKeyRoutes } from './litellm/key-routes.js';
import { registerLiteLLMSpendAndBillingRoutes } from './litellm/spend-billing-routes.js';
import { registerLiteLLMUserTeamRoutes } from './litellm/user-team-routes.js';
import { DOCS_PREFIX } from './permissions.js';
import { registerAuditAndModelRoutes } from './routes/audit-models-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerChannelRoutes } from './routes/channels-routes.js';
import { registerCreditRoutes } from './routes/credits-routes.js';
import { registerKeyRoutes } from './routes/keys-routes.js';
import { registerPriceRoutes } from './routes/prices-routes.js';
import { registerSettingsRoutes, startRetentionSweep } from './routes/settings-routes.js';
import { registerSpendRoutes } from './routes/spend-routes.js';
import { registerTeamRoutes } from './routes/teams-routes.js';
import { registerUserRoutes } from './routes/users-routes.js';
import { registerRouterHealthRoutes } from './router-health.js';

export type { AdminDeps } from './admin-deps.js';
export { PERMISSIONS, DOCS_PREFIX, ruleFor, type RouteRule } from './permissions.js';

/** Every (method, url) the admin plugin registered, for the permission test. */
export interface AdminRouteList {
  routes: Array<{ method: string; url: string }>;
}

/**
 * The admin API as one encapsulated Fastify plugin: native REST under
 * /admin (described at /admin/openapi.json, browsable at /admin/docs), the
 * LiteLLM management routes and One-API's billing routes. Every route is
 * checked against the permission table before its body is read; errors are
 * OpenAI-style error JSON.
 */
export function registerAdmin(app: FastifyInstance, rt: GatewayRuntime, deps: AdminDeps, list?: AdminRouteList): void {
  const ctx: AdminContext = { ...deps, rt, now: deps.now ?? Date.now };
  void app.register(async (admin) => {
    admin.addHook('onRoute', (r) => {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      for (const m of methods) if (m !== 'HEAD' && !r.url.startsWith(DOCS_PREFIX)) list?.routes.push({ method: m, url: r.url });
    });
    admin.setErrorHandler((err, _req, reply) => {
      const e = toAdminError(err);
      if (e.status >= 500) rt.log.error('admin request failed', { code: e.code, message: e.message });
      if (e.retryAfterMs !== undefined && e.status === 429) void reply.header('retry-after', String(Math.ceil(e.retryAfterMs / 1000)));
      void reply.code(e.status).send(e.toOpenAI());
    });
    await admin.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'Switchyard admin API', version: '1', description: 'Users, teams, virtual keys, channels, credits, spend and prices. Authenticate with `Authorization: Bearer` and the master key, a virtual key, or a session token from POST /admin/auth/login. Money is USD.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
    });
    await admin.register(swaggerUi, { routePrefix: DOCS_PREFIX });
    installAccessHook(admin, ctx);
    admin.get('/admin/openapi.json', { schema: { hide: true } }, async () => admin.swagger());
    registerAuthRoutes(admin, ctx);
    registerUserRoutes(admin, ctx);
    registerCreditRoutes(admin, ctx);
    registerTeamRoutes(admin, ctx);
    registerKeyRoutes(admin, ctx);
    registerChannelRoutes(admin, ctx);
    registerRouterHealthRoutes(admin, ctx);
    registerSpendRoutes(admin, ctx);
    registerSettingsRoutes(admin, ctx);
    registerPriceRoutes(admin, ctx);
    registerAuditAndModelRoutes(admin, ctx);
    registerLiteLLMKeyRoutes(admin, ctx);
    registerLiteLLMUserTeamRoutes(admin, ctx);
    registerLiteLLMSpendAndBillingRoutes(admin, ctx);
    startRetentionSweep(admin, ctx);
  });
}
