import type { Identity } from '../../spec/index.js';

export type Role = Identity['role'];

/**
 * Who may call one admin route. `admin` (the master key or an admin user)
 * may do everything; `viewer` reads everything and writes nothing; `member`
 * reaches only the routes that list it, and on `own` routes only its own
 * user, keys, spend and credits (anything else answers 404, as if absent).
 */
export interface RouteRule {
  allow: readonly Role[];
  own?: boolean;
  /** No credentials needed (sign-in, the API description). */
  public?: boolean;
}

const PUBLIC: RouteRule = { allow: [], public: true };
const ADMIN: RouteRule = { allow: ['admin'] };
const READ: RouteRule = { allow: ['admin', 'viewer'] };
const ANYONE: RouteRule = { allow: ['admin', 'viewer', 'member'] };
const READ_OWN: RouteRule = { allow: ['admin', 'viewer', 'member'], own: true };
const WRITE_OWN: RouteRule = { allow: ['admin', 'member'], own: true };

/**
 * THE table: every route the admin plugin registers must be here (the
 * permission test fails on a route missing from it, and the access hook
 * refuses such a route with a 500 rather than guess).
 */
export const PERMISSIONS: Readonly<Record<string, RouteRule>> = {
  // sign-in and the API description
  'POST /admin/auth/login': PUBLIC,
  'GET /admin/openapi.json': PUBLIC,
  'POST /admin/auth/logout': ANYONE,
  'GET /admin/auth/me': ANYONE,

  // users
  'GET /admin/users': READ,
  'POST /admin/users': ADMIN,
  'GET /admin/users/:id': READ_OWN,
  'PATCH /admin/users/:id': ADMIN,
  'DELETE /admin/users/:id': ADMIN,
  'POST /admin/users/:id/disable': ADMIN,
  'POST /admin/users/:id/enable': ADMIN,
  'PUT /admin/users/:id/password': WRITE_OWN,
  'GET /admin/users/:id/credits': READ_OWN,
  'POST /admin/users/:id/credits': ADMIN,

  // teams
  'GET /admin/teams': READ,
  'POST /admin/teams': ADMIN,
  'GET /admin/teams/:id': READ,
  'PATCH /admin/teams/:id': ADMIN,
  'DELETE /admin/teams/:id': ADMIN,
  'GET /admin/teams/:id/members': READ,
  'PUT /admin/teams/:id/members/:userId': ADMIN,
  'DELETE /admin/teams/:id/members/:userId': ADMIN,

  // virtual keys
  'GET /admin/keys': READ_OWN,
  'POST /admin/keys': WRITE_OWN,
  'GET /admin/keys/:id': READ_OWN,
  'PATCH /admin/keys/:id': ADMIN,
  'DELETE /admin/keys/:id': WRITE_OWN,
  'POST /admin/keys/:id/block': ADMIN,
  'POST /admin/keys/:id/unblock': ADMIN,
  'POST /admin/keys/:id/regenerate': WRITE_OWN,

  // channels (provider accounts added at run time)
  'GET /admin/channels': READ,
  'POST /admin/channels': ADMIN,
  'GET /admin/channels/:id': READ,
  'PATCH /admin/channels/:id': ADMIN,
  'DELETE /admin/channels/:id': ADMIN,
  'POST /admin/channels/:id/enable': ADMIN,
  'POST /admin/channels/:id/disable': ADMIN,
  'POST /admin/channels/:id/keys': ADMIN,
  'PATCH /admin/channels/:id/keys/:keyId': ADMIN,
  'DELETE /admin/channels/:id/keys/:keyId': ADMIN,
  // router health and channel tests (see router-health.ts)
  'POST /admin/channels/:id/test': ADMIN,
  'GET /admin/router/health': READ,

  // credits and redemption codes
  'GET /admin/redemption-codes': READ,
  'POST /admin/redemption-codes': ADMIN,
  'POST /admin/redemption-codes/:id/disable': ADMIN,
  'POST /admin/redemption-codes/:id/enable': ADMIN,
  'POST /admin/credits/redeem': WRITE_OWN,

  // spend ledger
  'GET /admin/spend/logs': READ_OWN,
  'GET /admin/spend/totals': READ_OWN,
  'GET /admin/spend/daily': READ_OWN,
  'POST /admin/spend/retention-sweep': ADMIN,

  // settings, prices, audit, models
  'GET /admin/settings': READ,
  'PATCH /admin/settings': ADMIN,
  'GET /admin/prices': READ,
  'PUT /admin/prices': ADMIN,
  'DELETE /admin/prices/:id': ADMIN,
  'GET /admin/prices/:provider/*': READ,
  'GET /admin/audit': READ,
  'GET /admin/models': READ,

  // LiteLLM-compatible management routes
  'POST /key/generate': WRITE_OWN,
  'GET /key/info': READ_OWN,
  'POST /key/update': ADMIN,
  'POST /key/delete': WRITE_OWN,
  'POST /key/regenerate': WRITE_OWN,
  'POST /key/:key/regenerate': WRITE_OWN,
  'GET /key/list': READ_OWN,
  'POST /user/new': ADMIN,
  'GET /user/info': READ_OWN,
  'POST /user/update': ADMIN,
  'POST /user/delete': ADMIN,
  'POST /team/new': ADMIN,
  'GET /team/info': READ,
  'POST /team/update': ADMIN,
  'POST /team/member_add': ADMIN,
  'GET /spend/logs': READ_OWN,
  'GET /global/spend': READ,

  // One-API / OpenAI legacy billing, read by chat front ends with the key itself
  'GET /dashboard/billing/subscription': ANYONE,
  'GET /dashboard/billing/usage': ANYONE,
  'GET /v1/dashboard/billing/subscription': ANYONE,
  'GET /v1/dashboard/billing/usage': ANYONE,
};

/** The swagger UI's own pages and assets: public, served by the plugin under this prefix. */
export const DOCS_PREFIX = '/admin/docs';

export function ruleFor(method: string, url: string): RouteRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return PERMISSIONS[`${m} ${url}`];
}

export function isAllowed(rule: RouteRule, role: Role): boolean {
  return rule.public === true || rule.allow.includes(role);
}
