import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startTestGateway, type TestGateway } from './harness.js';

/** Every bad-input case gets OpenAI error JSON, the right status, and the server stays up. */
describe('bad input on the OpenAI routes', () => {
  const fake = new FakeOpenAI();
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({ deployments: [{ publicModel: 'gpt-test', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini' }], bodyLimitBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });

  async function post(path: string, body: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json', ...headers }, body });
    const json = (await res.json()) as { error: { message: string; type: string; param: string | null; code: string } };
    return { status: res.status, json };
  }

  function expectErrorShape(json: unknown) {
    expect(json).toEqual({ error: { message: expect.any(String), type: expect.any(String), param: expect.toSatisfy((p: unknown) => p === null || typeof p === 'string'), code: expect.any(String) } });
  }

  it('invalid JSON → 400 invalid_request_error', async () => {
    const { status, json } = await post('/v1/chat/completions', '{"model": "gpt-test", "messages": [');
    expect(status).toBe(400);
    expectErrorShape(json);
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.message).toMatch(/JSON/);
  });

  it('missing messages → 400 naming the field', async () => {
    const { status, json } = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test' }));
    expect(status).toBe(400);
    expectErrorShape(json);
    expect(json.error.param).toBe('messages');
  });

  it('wrong type deep inside → 400 naming the path', async () => {
    const { status, json } = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' }));
    expect(status).toBe(400);
    expect(json.error.param).toBe('temperature');
    const bad = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'wizard', content: 'hi' }] }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toMatch(/messages\[0\]\.role/);
  });

  it('unknown model → 404 naming it', async () => {
    const { status, json } = await post('/v1/chat/completions', JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }));
    expect(status).toBe(404);
    expectErrorShape(json);
    expect(json.error.message).toContain('no-such-model');
  });

  it('missing key → 401, bad key → 401, through the official client too', async () => {
    const missing = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-test', messages: [] }) });
    expect(missing.status).toBe(401);
    expectErrorShape(await missing.json());
    const bad = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }), { authorization: 'Bearer sk-wrong' });
    expect(bad.status).toBe(401);
    expect(bad.json.error.type).toBe('authentication_error');
    const client = new OpenAI({ apiKey: 'sk-wrong', baseURL: gw.baseURL, maxRetries: 0 });
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('body over the limit → 413', async () => {
    const big = JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] });
    const { status, json } = await post('/v1/chat/completions', big);
    expect(status).toBe(413);
    expectErrorShape(json);
  });

  it('unknown route → 404 in OpenAI error JSON', async () => {
    const res = await fetch(`${gw.url}/v1/nope`, { headers: { authorization: `Bearer ${gw.key}` } });
    expect(res.status).toBe(404);
    expectErrorShape(await res.json());
  });

  it('every route also answers without the /v1 prefix', async () => {
    fake.script('gpt-4o-mini', { text: 'prefixless' });
    const res = await post('/chat/completions', JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }));
    expect(res.status).toBe(200);
    const models = await fetch(`${gw.url}/models`, { headers: { authorization: `Bearer ${gw.key}` } });
    expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(['gpt-test']);
  });

  it('model lookup: list, get, and 404 for an unknown id', async () => {
    const client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    const got = await client.models.retrieve('gpt-test');
    expect(got.id).toBe('gpt-test');
    await expect(client.models.retrieve('missing-model')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('stays up after all of the above', async () => {
    const live = await fetch(`${gw.url}/health/liveliness`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${gw.url}/health/readiness`);
    expect(ready.status).toBe(200);
  });
});
