import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError, type Identity } from '../../spec/index.js';
import { extractKey } from '../auth/extract-key.js';
import type { AdminContext } from './admin-deps.js';
import { forbidden } from './admin-errors.js';
import { DOCS_PREFIX, isAllowed, ruleFor, type RouteRule } from './permissions.js';

const identities = new WeakMap<FastifyRequest, { identity: Identity; rule: RouteRule }>();

/** The caller of an admin request (set by the access hook before any handler runs). */
export function callerOf(req: FastifyRequest): { identity: Identity; rule: RouteRule } | undefined {
  return identities.get(req);
}

/**
 * Authenticates and authorises every admin route from the permission table
 * before the body is even validated, so a caller without the right role
 * learns nothing from validation messages.
 */
export function installAccessHook(app: FastifyInstance, ctx: AdminContext): void {
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (url === undefined || url.startsWith(DOCS_PREFIX)) return;
    const rule = ruleFor(req.method, url);
    if (!rule) throw new GatewayError('internal_error', { message: `Route ${req.method} ${url} has no entry in the admin permission table.` });
    if (rule.public) return;
    const identity = ctx.auth.authenticate(extractKey(req.headers), { ip: req.ip });
    if (!isAllowed(rule, identity.role)) {
      throw forbidden(`Your role (${identity.role}) may not call ${req.method} ${url}.`);
    }
    identities.set(req, { identity, rule });
  });
}
