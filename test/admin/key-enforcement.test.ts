import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startAdminGateway, type Api } from './admin-client.js';

/** What key settings made through the admin API do to real requests on the relay. */
const fake = new FakeOpenAI();
let g: Awaited<ReturnType<typeof startAdminGateway>>;
let api: Api;

beforeAll(async () => {
  await fake.start();
  fake.script('gpt-4o-mini', { usage: { input: 10, output: 10 } });
  const target = { provider: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini', apiKey: 'sk-upstream', auth: { kind: 'bearer' as const } };
  g = await startAdminGateway({ deployments: [{ publicModel: 'chat-a', protocol: 'openai', target }, { publicModel: 'chat-b', protocol: 'openai', target }] });
  api = g.api;
  // $100 per 1M tokens both ways: 10 in + 10 out = $0.002 a request.
  const price = await api('PUT', '/admin/prices', { body: { provider: 'openai', model: 'gpt-4o-mini', input_per_mtok: 100, output_per_mtok: '100' } });
  expect(price.status).toBe(200);
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});

const clientFor = (key: string) => new OpenAI({ apiKey: key, baseURL: g.baseURL, maxRetries: 0 });
const ask = (key: string, model = 'chat-a') => clientFor(key).chat.completions.create({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
const newKey = async (body: Record<string, unknown>) => {
  const r = await api('POST', '/admin/keys', { body });
  expect(r.status, r.text).toBe(201);
  return r.body as { key: string; id: string };
};

describe('key settings on the relay', () => {
  it('a key limited to one model gets 403 on another', async () => {
    const k = await newKey({ models: ['chat-a'] });
    expect((await ask(k.key, 'chat-a')).choices).toHaveLength(1);
    await expect(ask(k.key, 'chat-b')).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
  });

  it('a key whose duration has passed gets 401', async () => {
    const k = await newKey({ duration: '1s' });
    expect((await ask(k.key)).choices).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(ask(k.key)).rejects.toMatchObject({ status: 401, code: 'key_expired' });
  });

  it('an IP allowlist without the client gets 403; with it, 200', async () => {
    const outside = await newKey({ allowed_ips: ['203.0.113.0/24'] });
    await expect(ask(outside.key)).rejects.toMatchObject({ status: 403, code: 'ip_not_allowed' });
    const inside = await newKey({ allowed_ips: ['127.0.0.1/32', '::1'] });
    expect((await ask(inside.key)).choices).toHaveLength(1);
  });

  it('a key with max_budget gets budget_exceeded (429) once spent, and its spend is the ledger’s', async () => {
    const k = await newKey({ max_budget: 0.003 });
    expect((await ask(k.key)).choices).toHaveLength(1);
    await expect(ask(k.key)).rejects.toMatchObject({ status: 429, code: 'budget_exceeded' });
    const info = await api('GET', `/admin/keys/${k.id}`);
    expect(info.body.spend).toBe(0.002);
    const totals = await api('GET', `/admin/spend/totals?key_id=${k.id}`);
    expect(totals.body).toMatchObject({ requests: 1, spend: 0.002, spend_exact: '0.002', input_tokens: 10, output_tokens: 10 });
    // Raising the budget lets it through again at once.
    await api('PATCH', `/admin/keys/${k.id}`, { body: { max_budget: 1 } });
    expect((await ask(k.key)).choices).toHaveLength(1);
  });

  it('a team’s price multiplier is charged exactly', async () => {
    const team = await api('POST', '/admin/teams', { body: { name: 'pricey', price_multiplier: '1.5' } });
    const k = await newKey({ team_id: team.body.id });
    await ask(k.key);
    const totals = await api('GET', `/admin/spend/totals?key_id=${k.id}`);
    expect(totals.body.spend_exact).toBe('0.003');
  });

  it('the resolved price names its source', async () => {
    const r = await api('GET', '/admin/prices/openai/gpt-4o-mini');
    expect(r.body).toMatchObject({ input_per_mtok: '100', output_per_mtok: '100' });
    expect(r.body.sources[0]).toEqual({ layer: 'override', key: 'openai/gpt-4o-mini' });
    const list = await api('GET', '/admin/prices');
    expect(list.body.data[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', input_per_mtok: '100', output_per_mtok: '100' });
    expect((await api('PUT', '/admin/prices', { body: { model: 'x' } })).body.error.param).toBe('input_per_mtok');
    expect((await api('PUT', '/admin/prices', { body: { model: 'x', input_per_mtok: -1 } })).body.error.param).toBe('input_per_mtok');
  });
});
