import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRouterSettings } from '../../src/router/index.js';
import { startAdminGateway, type Api } from '../admin/admin-client.js';
import { FakeOpenAI, type FakeOpenAIOptions } from '../fakes/openai-fake.js';
import { chat, until } from './router-harness.js';

/**
 * A channel key the upstream refuses (401) is taken out at once — the
 * request still succeeds on the channel's other key — disabled in the store
 * with its reason, visible in the admin API, and enabled again by a
 * scheduled check once the upstream accepts it.
 */
const REVOKED = 'sk-revoked-key-0002';
const GOOD = 'sk-working-key-0001';
const upstream: FakeOpenAIOptions = { apiKey: GOOD };
const fake = new FakeOpenAI(upstream);
let g: Awaited<ReturnType<typeof startAdminGateway>>;
let api: Api;
let channelId = '';
let revokedKeyId = '';
let goodKeyId = '';
const deploymentOf = (keyId: string) => `channel:${channelId}:pool-model:${keyId}`;

beforeAll(async () => {
  await fake.start();
  g = await startAdminGateway({ config: { router: { ...defaultRouterSettings(), healthCheckIntervalMs: 100 } } });
  api = g.api;
  const created = await api('POST', '/admin/channels', {
    body: { name: 'pool', provider: 'openai', base_url: `${fake.url}/v1`, models: ['pool-model'], model_mapping: { 'pool-model': 'gpt-4o-mini' }, keys: [REVOKED, GOOD] },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
  // Keys list by creation time, then id: find each by its hint, not its position.
  const idOf = (secret: string) => created.body.keys.find((k: { hint: string }) => k.hint === `…${secret.slice(-4)}`).id;
  revokedKeyId = idOf(REVOKED);
  goodKeyId = idOf(GOOD);
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});

const keyState = async (id: string) => (await api('GET', `/admin/channels/${channelId}`)).body.keys.find((k: { id: string }) => k.id === id);
const healthOf = async (id: string) => (await api('GET', '/admin/router/health')).body.data.find((d: { id: string }) => d.id === id);

describe('channel key health', () => {
  it('a 401 on one key is retried on the other key, and the refused key is disabled with its reason', async () => {
    const r = await chat(g, { model: 'pool-model' }, { 'x-switchyard-deployment-order': `${deploymentOf(revokedKeyId)},${deploymentOf(goodKeyId)}` });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
    expect(r.headers.get('x-switchyard-deployment')).toBe(deploymentOf(goodKeyId));
    await until(async () => (await keyState(revokedKeyId)).enabled === false);
    const key = await keyState(revokedKeyId);
    expect(key.disabled_reason).toMatch(/^auto-disabled: upstream_auth \(HTTP 401\)/);
    expect(key.last_error).toContain('Incorrect API key');
    expect((await keyState(goodKeyId)).enabled).toBe(true);
    expect(await healthOf(deploymentOf(revokedKeyId))).toMatchObject({ state: 'disabled', last_error_code: 'upstream_auth' });
  });

  it('traffic keeps to the working key while the other is disabled', async () => {
    fake.reset();
    for (let i = 0; i < 6; i++) expect((await chat(g, { model: 'pool-model' })).status).toBe(200);
    // Client traffic only: the scheduled checker keeps pinging the disabled key meanwhile.
    const client = fake.requests.filter((q) => q.body?.messages?.[0]?.content === 'hello there');
    expect(client).toHaveLength(6);
    expect(new Set(client.map((q) => q.headers['authorization']))).toEqual(new Set([`Bearer ${GOOD}`]));
  });

  it('POST /admin/channels/:id/test reports each key’s status and latency', async () => {
    const r = await api('POST', `/admin/channels/${channelId}/test`, { body: {} });
    expect(r.status).toBe(200);
    const byKey = Object.fromEntries(r.body.data.map((x: { key_id: string }) => [x.key_id, x]));
    expect(byKey[goodKeyId]).toMatchObject({ ok: true, status: 200, model: 'pool-model' });
    expect(byKey[revokedKeyId]).toMatchObject({ ok: false, status: 401, error_code: 'upstream_auth' });
    expect(typeof byKey[goodKeyId].latency_ms).toBe('number');
    expect((await keyState(revokedKeyId)).enabled).toBe(false);
    expect((await api('POST', '/admin/channels/nope/test', { body: {} })).status).toBe(404);
  });

  it('a scheduled check that succeeds re-enables the key, and it serves again', async () => {
    // The provider accepts the key again (say, the account was topped up).
    upstream.apiKey = REVOKED;
    await until(async () => (await keyState(revokedKeyId)).enabled === true, 5000);
    expect((await keyState(revokedKeyId)).disabled_reason).toBeNull();
    expect((await healthOf(deploymentOf(revokedKeyId))).state).toBe('healthy');
    const r = await chat(g, { model: 'pool-model' }, { 'x-switchyard-deployment-order': deploymentOf(revokedKeyId) });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-deployment')).toBe(deploymentOf(revokedKeyId));
  });

  it('a key an admin disabled by hand is never re-enabled by the checker', async () => {
    await api('PATCH', `/admin/channels/${channelId}/keys/${goodKeyId}`, { body: { enabled: false, reason: 'rotated out by ops' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await keyState(goodKeyId)).toMatchObject({ enabled: false, disabled_reason: 'rotated out by ops' });
  });
});
