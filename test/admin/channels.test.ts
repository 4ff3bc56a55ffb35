import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startAdminGateway, type Api } from './admin-client.js';

/** Channels added at run time become router deployments: served at once, gone when disabled, keys rotated, secrets never shown. */
const fake = new FakeOpenAI();
let g: Awaited<ReturnType<typeof startAdminGateway>>;
let api: Api;
let client: OpenAI;
const KEYS = ['sk-upstream-channel-key-0001', 'sk-upstream-channel-key-0002'];

beforeAll(async () => {
  await fake.start();
  g = await startAdminGateway();
  api = g.api;
  client = new OpenAI({ apiKey: g.key, baseURL: g.baseURL, maxRetries: 0 });
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});

const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('channels', () => {
  let channelId = '';

  it('a channel created at run time answers through /v1/chat/completions with its mapped upstream model', async () => {
    await expect(ask('chan-model')).rejects.toMatchObject({ status: 404 });
    const created = await api('POST', '/admin/channels', {
      body: { name: 'fake-openai', provider: 'openai', base_url: `${fake.url}/v1`, models: ['chan-model'], model_mapping: { 'chan-model': 'gpt-4o-mini' }, priority: 5, weight: 2, keys: KEYS },
    });
    expect(created.status).toBe(201);
    channelId = created.body.id;
    expect(created.body.keys.map((k: { hint: string }) => k.hint)).toEqual(['…0001', '…0002']);
    for (const k of KEYS) expect(created.text).not.toContain(k);

    const answer = await ask('chan-model');
    expect(answer.choices[0]?.message.content).toContain('gpt-4o-mini');
    expect(fake.lastRequest()?.body.model).toBe('gpt-4o-mini');

    const models = await api('GET', '/admin/models');
    const entry = models.body.data.find((m: { model: string }) => m.model === 'chan-model');
    expect(entry.deployments).toHaveLength(2);
    for (const d of entry.deployments) expect(d).toMatchObject({ source: 'db', provider: 'openai', upstream_model: 'gpt-4o-mini', weight: 1, order: -4 });
    for (const k of KEYS) expect(models.text).not.toContain(k);
    const listed = await api('GET', '/admin/channels');
    for (const k of KEYS) expect(listed.text).not.toContain(k);
  });

  it('spreads requests over the channel’s keys', async () => {
    fake.reset();
    for (let i = 0; i < 24; i++) await ask('chan-model');
    const used = new Set(fake.requests.map((r) => r.headers['authorization']));
    expect(used).toEqual(new Set(KEYS.map((k) => `Bearer ${k}`)));
  });

  it('a disabled channel’s models are gone at once, and come back when enabled', async () => {
    const off = await api('POST', `/admin/channels/${channelId}/disable`, { body: { reason: 'provider outage' } });
    expect(off.body).toMatchObject({ enabled: false, disabled_reason: 'provider outage' });
    await expect(ask('chan-model')).rejects.toMatchObject({ status: 404 });
    expect((await api('POST', `/admin/channels/${channelId}/enable`)).body.enabled).toBe(true);
    expect((await ask('chan-model')).choices[0]?.message.content).toBeTruthy();
  });

  it('keys can be added, disabled and removed; a channel with no usable key serves nothing', async () => {
    const channel = await api('GET', `/admin/channels/${channelId}`);
    const [k1, k2] = channel.body.keys as Array<{ id: string }>;
    await api('PATCH', `/admin/channels/${channelId}/keys/${k1!.id}`, { body: { enabled: false, reason: 'revoked upstream' } });
    fake.reset();
    for (let i = 0; i < 6; i++) await ask('chan-model');
    expect(new Set(fake.requests.map((r) => r.headers['authorization']))).toEqual(new Set([`Bearer ${KEYS[1]}`]));
    expect((await api('DELETE', `/admin/channels/${channelId}/keys/${k2!.id}`)).status).toBe(200);
    await expect(ask('chan-model')).rejects.toMatchObject({ status: 404 });
    const added = await api('POST', `/admin/channels/${channelId}/keys`, { body: { key: 'sk-upstream-channel-key-0003' } });
    expect(added.body.hint).toBe('…0003');
    expect((await ask('chan-model')).choices[0]?.message.content).toBeTruthy();
  });

  it('refuses an unknown provider or an unusable base URL, naming the field', async () => {
    const unknown = await api('POST', '/admin/channels', { body: { name: 'x', provider: 'no-such-provider' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('provider');
    const noBase = await api('POST', '/admin/channels', { body: { name: 'y', provider: 'custom', models: ['m'] } });
    expect(noBase.status).toBe(400);
    expect(noBase.body.error.param).toBe('base_url');
    const dup = await api('POST', '/admin/channels', { body: { name: 'fake-openai', provider: 'openai' } });
    expect(dup.status).toBe(409);
  });

  it('allowed_teams: only keys of those teams are routed to the channel; other deployments of the model still serve the rest', async () => {
    const red = await api('POST', '/admin/teams', { body: { name: 'red' } });
    const blue = await api('POST', '/admin/teams', { body: { name: 'blue' } });
    const redKey = (await api('POST', '/admin/keys', { body: { team_id: red.body.id } })).body.key as string;
    const blueKey = (await api('POST', '/admin/keys', { body: { team_id: blue.body.id } })).body.key as string;
    const noTeamKey = (await api('POST', '/admin/keys', { body: {} })).body.key as string;
    const as = (key: string) => new OpenAI({ apiKey: key, baseURL: g.baseURL, maxRetries: 0 }).chat.completions.create({ model: 'chan-model', messages: [{ role: 'user', content: 'hi' }] });

    const restricted = await api('PATCH', `/admin/channels/${channelId}`, { body: { allowed_teams: [red.body.id] } });
    expect(restricted.status).toBe(200);
    expect(restricted.body.warnings).toBeUndefined();
    expect(restricted.body.allowed_teams).toEqual([red.body.id]);
    expect((await as(redKey)).choices[0]?.message.content).toBeTruthy();
    await expect(as(blueKey)).rejects.toMatchObject({ status: 403, error: { message: expect.stringContaining("No deployment of 'chan-model' is open to this key's team") } });
    await expect(as(noTeamKey)).rejects.toMatchObject({ status: 403 });
    expect((await ask('chan-model')).choices[0]?.message.content).toBeTruthy(); // the master key reaches every channel

    // A second, unrestricted channel for the same model serves the keys the first one refuses, and only those.
    const open = await api('POST', '/admin/channels', { body: { name: 'open-one', provider: 'openai', base_url: `${fake.url}/v1`, models: ['chan-model'], model_mapping: { 'chan-model': 'gpt-4o' }, keys: ['sk-upstream-open-0001'] } });
    expect(open.status).toBe(201);
    fake.reset();
    for (let i = 0; i < 6; i++) await as(blueKey);
    expect(new Set(fake.requests.map((r) => r.headers['authorization']))).toEqual(new Set(['Bearer sk-upstream-open-0001']));

    expect((await api('PATCH', `/admin/channels/${channelId}`, { body: { allowed_teams: [] } })).status).toBe(200);
    expect((await as(blueKey)).choices[0]?.message.content).toBeTruthy();
    expect((await api('DELETE', `/admin/channels/${open.body.id}`)).status).toBe(200);
  });

  it('a deleted channel leaves the router, and the audit log shows every change without a key', async () => {
    expect((await api('DELETE', `/admin/channels/${channelId}`)).status).toBe(200);
    await expect(ask('chan-model')).rejects.toMatchObject({ status: 404 });
    const audit = await api('GET', `/admin/audit?entity_type=channel&entity_id=${channelId}`);
    const actions = audit.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['channel.create', 'channel.disable', 'channel.enable', 'channel.key_disable', 'channel.key_delete', 'channel.key_add', 'channel.update', 'channel.delete']));
    for (const k of [...KEYS, 'sk-upstream-channel-key-0003']) expect(audit.text).not.toContain(k);
  });

  it('channels in the database are served again after a restart', async () => {
    const c = await api('POST', '/admin/channels', { body: { name: 'persisted', provider: 'openai', base_url: `${fake.url}/v1`, models: ['persisted-model'], model_mapping: { 'persisted-model': 'gpt-4o-mini' }, keys: ['sk-upstream-persisted-0009'] } });
    expect(c.status).toBe(201);
    // A second gateway on the same data directory builds its registry from the stored channel.
    const { createGateway } = await import('../../src/server/gateway.js');
    const { createLogger } = await import('../../src/server/log.js');
    const again = await createGateway(g.gateway.runtime.config, { log: createLogger('error') });
    try {
      expect(again.runtime.registry.resolve('persisted-model')[0]?.target.apiKey).toBe('sk-upstream-persisted-0009');
    } finally {
      await again.close();
    }
  });
});
