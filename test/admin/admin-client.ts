import { TEST_MASTER_KEY, startTestGateway, type DeploymentSpec, type TestGateway } from '../e2e/harness.js';
import type { GatewayConfig } from '../../src/config/types.js';
import type { AdminRouteList } from '../../src/server/admin/index.js';

export interface ApiResult {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** A plain-fetch client for the admin API, as a script or the admin UI would call it. */
export function adminClient(url: string) {
  return async function api(method: string, path: string, opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? TEST_MASTER_KEY : opts.token;
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  };
}

export type Api = ReturnType<typeof adminClient>;

export async function startAdminGateway(opts: { deployments?: DeploymentSpec[]; config?: Partial<GatewayConfig>; adminRoutes?: AdminRouteList } = {}): Promise<TestGateway & { api: Api }> {
  const tg = await startTestGateway({ deployments: opts.deployments ?? [], ...(opts.config ? { config: opts.config } : {}), ...(opts.adminRoutes ? { gatewayOptions: { adminRoutes: opts.adminRoutes } } : {}) });
  return Object.assign(tg, { api: adminClient(tg.url) });
}

/** Creates a user with a password through the API and signs them in; returns the user id and session token. */
export async function userSession(api: Api, username: string, role: 'admin' | 'member' | 'viewer'): Promise<{ id: string; token: string }> {
  const password = `pw-${username}-0123456789`;
  const created = await api('POST', '/admin/users', { body: { username, role, password } });
  if (created.status !== 201) throw new Error(`create user ${username}: ${created.status} ${created.text}`);
  const login = await api('POST', '/admin/auth/login', { token: null, body: { username, password } });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${login.text}`);
  return { id: created.body.id, token: login.body.token };
}
