import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBanner } from '../../src/cli/banner.js';
import type { GatewayConfig } from '../../src/config/types.js';
import { defaultRouterSettings } from '../../src/router/index.js';
import { createGateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/server/log.js';
import { adminClient, startAdminGateway, userSession } from './admin-client.js';

describe('first start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bootstrap-'));
  const config: GatewayConfig = {
    source: { format: 'native' },
    server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1024 * 1024 },
    dataDir,
    deployments: [],
    router: defaultRouterSettings(),
    accounting: { unknownPrice: 'zero' },
    accessGroups: {},
    warnings: [],
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates an admin with a generated password shown once; a second start shows none and the first still works', async () => {
    const first = await createGateway(config, { log: createLogger('error') });
    const creds = first.bootstrapAdmin!;
    expect(creds.username).toBe('admin');
    expect(creds.password.length).toBeGreaterThanOrEqual(20);
    const banner1 = startBanner({ url: 'http://x', version: '0', config, masterKey: first.masterKey, databaseLabel: 'sqlite', bootstrapAdmin: creds });
    expect(banner1).toContain(creds.password);
    // Only the scrypt hash is stored.
    const row = await first.accounts.store.database.db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain(creds.password);
    await first.close();

    const second = await createGateway(config, { log: createLogger('error') });
    try {
      expect(second.bootstrapAdmin).toBeUndefined();
      const banner2 = startBanner({ url: 'http://x', version: '0', config, masterKey: second.masterKey, databaseLabel: 'sqlite' });
      expect(banner2).not.toContain(creds.password);
      expect(banner2).not.toContain('password:');
      const api = adminClient(await second.listen());
      const login = await api('POST', '/admin/auth/login', { token: null, body: { username: 'admin', password: creds.password } });
      expect(login.status).toBe(200);
      expect((await api('GET', '/admin/auth/me', { token: login.body.token })).body).toMatchObject({ role: 'admin', kind: 'user-session' });
      expect((await api('POST', '/admin/auth/login', { token: null, body: { username: 'admin', password: 'admin' } })).status).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe('sign-in sessions', () => {
  let g: Awaited<ReturnType<typeof startAdminGateway>>;
  beforeAll(async () => {
    g = await startAdminGateway();
  });
  afterAll(async () => {
    await g?.close();
  });

  it('a session token works on admin routes only, until logout', async () => {
    const s = await userSession(g.api, 'sally', 'admin');
    expect((await g.api('GET', '/admin/users', { token: s.token })).status).toBe(200);
    // Sessions are for the admin API, not the relay.
    expect((await fetch(`${g.baseURL}/models`, { headers: { authorization: `Bearer ${s.token}` } })).status).toBe(401);
    expect((await g.api('POST', '/admin/auth/logout', { token: s.token })).body).toEqual({ ok: true, revoked: true });
    expect((await g.api('GET', '/admin/users', { token: s.token })).status).toBe(401);
  });

  it('a role change applies to open sessions at once', async () => {
    const s = await userSession(g.api, 'rolf', 'admin');
    expect((await g.api('POST', '/admin/teams', { token: s.token, body: { name: 'by-rolf' } })).status).toBe(201);
    await g.api('PATCH', `/admin/users/${s.id}`, { body: { role: 'viewer' } });
    // The role change signed rolf out; signed in again he is a viewer.
    expect((await g.api('GET', '/admin/teams', { token: s.token })).status).toBe(401);
    const again = await g.api('POST', '/admin/auth/login', { token: null, body: { username: 'rolf', password: 'pw-rolf-0123456789' } });
    expect((await g.api('POST', '/admin/teams', { token: again.body.token, body: { name: 'by-rolf-2' } })).status).toBe(403);
    expect((await g.api('GET', '/admin/teams', { token: again.body.token })).status).toBe(200);
  });

  it('locks out a user+address pair after five failures, with Retry-After', async () => {
    await userSession(g.api, 'lockme', 'member');
    for (let i = 0; i < 5; i++) {
      expect((await g.api('POST', '/admin/auth/login', { token: null, body: { username: 'lockme', password: `wrong-${i}` } })).status).toBe(401);
    }
    const locked = await g.api('POST', '/admin/auth/login', { token: null, body: { username: 'lockme', password: 'pw-lockme-0123456789' } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user from the same address is not affected.
    await userSession(g.api, 'unlocked', 'member');
  });

  it('serves the OpenAPI description and the docs UI without credentials', async () => {
    const spec = await g.api('GET', '/admin/openapi.json', { token: null });
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    for (const p of ['/admin/keys', '/admin/channels', '/key/generate', '/dashboard/billing/subscription']) expect(Object.keys(spec.body.paths)).toContain(p);
    expect(spec.body.paths['/admin/keys'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('max_budget');
    const ui = await g.api('GET', '/admin/docs', { token: null });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('<html');
  });
});
