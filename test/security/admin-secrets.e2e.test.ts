import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePools } from '../../src/protocols/http/index.js';
import { PERMISSIONS } from '../../src/server/admin/permissions.js';
import { createLogger } from '../../src/server/log.js';
import { adminClient, type Api } from '../admin/admin-client.js';
import { TEST_MASTER_KEY, startTestGateway, type TestGateway } from '../e2e/harness.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { expectNoSecrets } from './leak-check.js';

const CHANNEL_KEYS = ['sk-proj-Ch4nn3lKeyOne9Xq2Lm7Rt5Vb8Nw1Zc', 'sk-proj-Ch4nn3lKeyTwo3Hs6Jd0Pf4Gk9Wy2Qe'];
const PASSWORD = 'Pa55w0rd-Vq8Zr2Lx6Tn';

/**
 * Everything an operator or the admin UI can read after the secrets were
 * created — every GET route in the permission table, the audit log, the
 * API description — and everything the gateway wrote (log, database file)
 * holds no virtual key, channel key, password, session token or master key.
 */
describe('admin API, audit log, log and database keep no secret', () => {
  const fake = new FakeOpenAI();
  const lines: string[] = [];
  let gw: TestGateway;
  let api: Api;
  const secrets: string[] = [...CHANNEL_KEYS, PASSWORD, TEST_MASTER_KEY];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({ deployments: [], gatewayOptions: { log: createLogger('debug', (l) => lines.push(l)), accessLog: true } });
    api = adminClient(gw.url);

    const channel = await api('POST', '/admin/channels', { body: { name: 'secret-channel', provider: 'openai', base_url: `${fake.url}/v1`, models: ['chan-model'], model_mapping: { 'chan-model': 'gpt-4o-mini' }, keys: CHANNEL_KEYS } });
    expect(channel.status).toBe(201);
    expectNoSecrets('channel creation answer', channel.text, CHANNEL_KEYS);
    ids.channel = channel.body.id;
    ids.channelKey = channel.body.keys[0].id;

    const team = await api('POST', '/admin/teams', { body: { team_alias: 'sec-team' } });
    ids.team = team.body.id ?? team.body.team_id;
    const user = await api('POST', '/admin/users', { body: { username: 'alice', role: 'member', password: PASSWORD } });
    expect(user.status).toBe(201);
    expectNoSecrets('user creation answer', user.text, [PASSWORD]);
    ids.user = user.body.id;
    const login = await api('POST', '/admin/auth/login', { token: null, body: { username: 'alice', password: PASSWORD } });
    expect(login.status).toBe(200);
    secrets.push(login.body.token);
    expect((await api('GET', '/admin/auth/me', { token: login.body.token })).status).toBe(200);

    const key = await api('POST', '/admin/keys', { body: { key_alias: 'sec-key', user_id: ids.user, models: ['chan-model'] } });
    expect(key.status).toBe(201);
    secrets.push(key.body.key);
    ids.key = key.body.id;
    const litellmKey = await api('POST', '/key/generate', { body: { key_alias: 'lite' } });
    expect(litellmKey.status).toBeLessThan(300);
    secrets.push(litellmKey.body.key);

    // Traffic with the key (ledger rows, last-used stamps), and a channel test that fails upstream.
    const client = new OpenAI({ apiKey: key.body.key, baseURL: gw.baseURL, maxRetries: 0 });
    await client.chat.completions.create({ model: 'chan-model', messages: [{ role: 'user', content: 'hi' }] });
    fake.script('gpt-4o-mini', { error: { status: 401, message: `Incorrect API key provided: ${CHANNEL_KEYS[0]}` } });
    await api('POST', `/admin/channels/${ids.channel}/test`);
    fake.reset();
    await gw.gateway.accounts.ledger.flush();
  });
  afterAll(async () => {
    await gw.close();
    await fake.stop();
    await closePools();
  });

  /** A concrete path for a route pattern, with the ids created above. */
  function concrete(route: string): string {
    const base = route.split('/')[2] ?? '';
    const idFor: Record<string, string | undefined> = { users: ids.user, teams: ids.team, keys: ids.key, channels: ids.channel };
    return route
      .replace(':provider/*', 'openai/gpt-4o-mini')
      .replace(':userId', ids.user ?? 'x')
      .replace(':keyId', ids.channelKey ?? 'x')
      .replace(':id', idFor[base] ?? 'x');
  }

  it('no GET route of the permission table shows one (as the master key)', async () => {
    const routes = Object.keys(PERMISSIONS).filter((r) => r.startsWith('GET '));
    expect(routes.length).toBeGreaterThan(30);
    let ok = 0;
    for (const r of routes) {
      const path = concrete(r.slice(4));
      const res = await api('GET', path);
      if (res.status < 300) ok++;
      expectNoSecrets(`GET ${path} (${res.status})`, res.text + JSON.stringify(Object.fromEntries(res.headers.entries())), secrets);
    }
    // Most routes answered with data (not just 4xx), so the check above read real views.
    expect(ok).toBeGreaterThan(routes.length * 0.8);
  });

  it('the audit log records the changes but none of the secrets', async () => {
    const audit = await api('GET', '/admin/audit?limit=500');
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('secret-channel');
    expectNoSecrets('audit log', audit.text, secrets);
  });

  it('the API description holds no secret', async () => {
    const doc = await api('GET', '/admin/openapi.json', { token: null });
    expect(doc.status).toBe(200);
    expectNoSecrets('openapi.json', doc.text, secrets);
  });

  it('the channel test reports the upstream\'s refusal without the channel key', async () => {
    const health = await api('GET', '/admin/router/health');
    expectNoSecrets('router health', health.text, secrets);
    const again = await api('POST', `/admin/channels/${ids.channel}/test`);
    expectNoSecrets('channel test', again.text, secrets);
  });

  it('the log holds none', () => {
    expect(lines.length).toBeGreaterThan(0);
    expectNoSecrets('gateway log', lines.join(''), secrets);
  });

  it('the database files hold no key, password or token in clear', () => {
    const files = readdirSync(gw.dataDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && /\.(db|db-wal|db-journal|sqlite)$/.test(f.name))
      .map((f) => join(f.parentPath, f.name));
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.map((f) => readFileSync(f).toString('latin1')).join('\n');
    // Non-vacuous: the database does hold the channel and key records.
    expect(bytes).toContain('secret-channel');
    expectNoSecrets('database files', bytes, secrets);
  });
});
