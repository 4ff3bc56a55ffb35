import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowed, PERMISSIONS, ruleFor, type Role } from '../../src/server/admin/permissions.js';
import type { AdminRouteList } from '../../src/server/admin/index.js';
import { TEST_MASTER_KEY } from '../e2e/harness.js';
import { startAdminGateway, userSession } from './admin-client.js';

/**
 * The role × route matrix, generated from the permission table AND the routes
 * the admin plugin actually registered: a route missing from the table (or a
 * table entry with no route) fails here. Each route is called by six callers;
 * refusals must be exactly 401 or 403, and an allowed caller must get through
 * (2xx, or 400/404 for the placeholder ids and empty bodies used here).
 */
const routes: AdminRouteList = { routes: [] };
let g: Awaited<ReturnType<typeof startAdminGateway>>;
const callers: Array<{ name: string; token: string | null; role: Role | 'none' | 'bad' }> = [];

beforeAll(async () => {
  g = await startAdminGateway({ adminRoutes: routes });
  const admin = await userSession(g.api, 'matrix-admin', 'admin');
  const viewer = await userSession(g.api, 'matrix-viewer', 'viewer');
  const member = await g.api('POST', '/admin/users', { body: { username: 'matrix-member', role: 'member' } });
  const key = await g.api('POST', '/admin/keys', { body: { user_id: member.body.id, key_alias: 'matrix-member-key' } });
  expect(key.status).toBe(201);
  callers.push(
    { name: 'no key', token: null, role: 'none' },
    { name: 'bad key', token: 'sk-sy-not-a-real-key-0000000000', role: 'bad' },
    { name: 'member key', token: key.body.key, role: 'member' },
    { name: 'viewer session', token: viewer.token, role: 'viewer' },
    { name: 'admin session', token: admin.token, role: 'admin' },
    { name: 'master key', token: TEST_MASTER_KEY, role: 'admin' },
  );
});
afterAll(async () => {
  await g?.close();
});

function concretePath(url: string): string {
  return url.replace(/:(\w+)/g, 'missing-$1').replace('*', 'missing-model');
}

describe('admin permission table', () => {
  it('covers exactly the registered routes', () => {
    const registered = routes.routes.map((r) => `${r.method} ${r.url}`);
    expect(registered.length).toBeGreaterThan(60);
    const missing = registered.filter((r) => !(r in PERMISSIONS));
    expect(missing, 'routes without a permission entry').toEqual([]);
    const unrouted = Object.keys(PERMISSIONS).filter((p) => !registered.includes(p));
    expect(unrouted, 'permission entries without a route').toEqual([]);
  });

  it('answers every route × caller as the table says', async () => {
    // Sign-out last: it ends the sessions the other rows use.
    const ordered = [...routes.routes].sort((a, b) => Number(a.url === '/admin/auth/logout') - Number(b.url === '/admin/auth/logout'));
    const wrong: string[] = [];
    let checked = 0;
    for (const r of ordered) {
      const rule = ruleFor(r.method, r.url)!;
      for (const c of callers) {
        const res = await g.api(r.method, concretePath(r.url), { token: c.token, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }) });
        checked++;
        let ok: boolean;
        let expected: string;
        if (rule.public) {
          expected = 'not 401/403';
          ok = res.status !== 401 && res.status !== 403 && res.status < 500;
        } else if (c.role === 'none' || c.role === 'bad') {
          expected = '401';
          ok = res.status === 401;
        } else if (isAllowed(rule, c.role)) {
          expected = '2xx/400/404';
          ok = [200, 201, 400, 404].includes(res.status);
        } else {
          expected = '403';
          ok = res.status === 403 && res.body?.error?.type === 'permission_error';
        }
        if (!ok) wrong.push(`${r.method} ${r.url} as ${c.name}: got ${res.status} (${res.text.slice(0, 120)}), expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(routes.routes.length * callers.length);
  });

  it('keeps viewers read-only and members out of everything but their own', () => {
    for (const [route, rule] of Object.entries(PERMISSIONS)) {
      if (rule.public) continue;
      const method = route.split(' ')[0];
      if (rule.allow.includes('viewer')) expect(method === 'GET' || route === 'POST /admin/auth/logout', route).toBe(true);
      if (rule.allow.includes('member') && route !== 'GET /admin/auth/me' && route !== 'POST /admin/auth/logout' && !route.includes('/dashboard/billing/')) {
        expect(rule.own, `${route} lets members in without limiting them to their own`).toBe(true);
      }
    }
  });
});
