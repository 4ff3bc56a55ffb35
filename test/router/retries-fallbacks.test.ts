import { createServer, type AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { Deployment } from '../../src/router/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../e2e/harness.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { chat, gatewayWith, hits, onFake } from './router-harness.js';

/** Retries per error class, Retry-After, cooldowns and every kind of fallback, through the real server and the OpenAI SDK. */
const fake = new FakeOpenAI();
let g: TestGateway;
let client: OpenAI;

/** A loopback port nothing listens on (opened, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  await fake.start();
  const dead = await closedPort();
  g = await gatewayWith(
    [
      // Two tiers: 'flaky' is tried first, 'steady' only when it is out.
      onFake(fake, 'pair', 'flaky', { order: 1 }),
      onFake(fake, 'pair', 'steady', { order: 2 }),
      onFake(fake, 'solo', 'solo-up'),
      onFake(fake, 'broken', 'broken-up'),
      onFake(fake, 'backup', 'backup-up'),
      onFake(fake, 'small', 'small-up', { modelInfo: { contextWindow: 40 } }),
      onFake(fake, 'big', 'big-up', { modelInfo: { contextWindow: 100_000 } }),
      onFake(fake, 'strict', 'strict-up'),
      onFake(fake, 'lenient', 'lenient-up'),
      onFake(fake, 'limited', 'limited-up'),
      onFake(fake, 'reach', 'dead', { order: 1, target: { baseUrl: `http://127.0.0.1:${dead}/v1` } as Deployment['target'] }),
      onFake(fake, 'reach', 'alive', { order: 2 }),
    ],
    {
      numRetries: 2,
      allowedFails: 0,
      cooldownTimeMs: 400,
      fallbacks: { broken: ['backup'] },
      contextWindowFallbacks: { small: ['big'] },
      contentPolicyFallbacks: { strict: ['lenient'] },
      retryPolicy: { RateLimitErrorRetries: 0 },
    },
  );
  client = new OpenAI({ apiKey: g.key, baseURL: g.baseURL, maxRetries: 0 });
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});
afterEach(() => fake.reset());

describe('retries', () => {
  it('a 5xx is retried on the next deployment; the answer names it and counts the attempts', async () => {
    fake.script('flaky', { error: { status: 500 } });
    const { data, response } = await client.chat.completions.create({ model: 'pair', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]?.message.content).toContain('steady');
    expect(response.headers.get('x-switchyard-deployment')).toBe('pair@steady');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(response.headers.get('x-switchyard-fallbacks')).toBe('0');
  });

  it('the failed deployment cools down (no call while cooling), then a probe brings it back', async () => {
    // Cooling from the previous test: the next request goes straight to 'steady'.
    fake.script('flaky', {});
    const during = await chat(g, { model: 'pair' });
    expect(during.headers.get('x-switchyard-deployment')).toBe('pair@steady');
    expect(hits(fake, 'flaky')).toBe(0);
    const health = await fetch(`${g.url}/admin/router/health`, { headers: { authorization: `Bearer ${g.key}` } }).then((r) => r.json() as Promise<any>);
    const flaky = health.data.find((d: { id: string }) => d.id === 'pair@flaky');
    expect(flaky).toMatchObject({ state: 'cooldown', last_error_code: 'upstream_error', failures: 1 });
    expect(Date.parse(flaky.cooldown_until)).toBeGreaterThan(Date.now());
    await new Promise((r) => setTimeout(r, 450));
    const after = await chat(g, { model: 'pair' });
    expect(after.headers.get('x-switchyard-deployment')).toBe('pair@flaky');
    const healed = await fetch(`${g.url}/admin/router/health`, { headers: { authorization: `Bearer ${g.key}` } }).then((r) => r.json() as Promise<any>);
    expect(healed.data.find((d: { id: string }) => d.id === 'pair@flaky')).toMatchObject({ state: 'healthy', successes: 1 });
  });

  it('honours Retry-After when retrying the same (sole) deployment', async () => {
    fake.script('solo-up', { error: { status: 503, retryAfterS: 1 }, failTimes: 1 });
    const started = Date.now();
    const r = await chat(g, { model: 'solo' });
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(hits(fake, 'solo-up')).toBe(2);
  });

  it('retry_policy per class: RateLimitErrorRetries 0 answers the 429 at once', async () => {
    fake.script('limited-up', { error: { status: 429, retryAfterS: 2 } });
    const r = await chat(g, { model: 'limited' });
    expect(r.status).toBe(429);
    expect(r.json.error.type).toBe('rate_limit_error');
    expect(r.headers.get('retry-after')).toBe('2');
    expect(hits(fake, 'limited-up')).toBe(1);
  });

  it('an upstream that refuses the connection is retried on the next deployment', async () => {
    const r = await chat(g, { model: 'reach' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-deployment')).toBe('reach@alive');
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('a client mistake (400) is never retried', async () => {
    fake.script('solo-up', { error: { status: 400, message: 'bad field' } });
    const r = await chat(g, { model: 'solo' });
    expect(r.status).toBe(400);
    expect(hits(fake, 'solo-up')).toBe(1);
  });
});

describe('fallbacks', () => {
  it('a failing model falls back to its configured list; headers name the model that answered', async () => {
    fake.script('broken-up', { error: { status: 500 } });
    const r = await chat(g, { model: 'broken' });
    expect(r.status).toBe(200);
    expect(r.json.choices[0].message.content).toContain('backup-up');
    expect(r.headers.get('x-switchyard-model')).toBe('backup');
    expect(r.headers.get('x-switchyard-fallbacks')).toBe('1');
    expect(r.headers.get('x-switchyard-attempts')).toBe('4');
  });

  it('disable_fallbacks in the body turns fallbacks off', async () => {
    fake.script('broken-up', { error: { status: 500 } });
    const r = await chat(g, { model: 'broken', disable_fallbacks: true });
    expect(r.status).toBe(500);
    expect(hits(fake, 'backup-up')).toBe(0);
  });

  it('a prompt larger than the context window goes straight to the larger model, with no call to the small one', async () => {
    const long = 'word '.repeat(200);
    const r = await chat(g, { model: 'small', messages: [{ role: 'user', content: long }] });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-model')).toBe('big');
    expect(hits(fake, 'small-up')).toBe(0);
    expect(hits(fake, 'big-up')).toBe(1);
    const short = await chat(g, { model: 'small' });
    expect(short.headers.get('x-switchyard-deployment')).toBe('small@small-up');
  });

  it('an upstream context_length_exceeded also moves to the context-window fallback', async () => {
    fake.script('small-up', { error: { status: 400, type: 'context_length_exceeded', message: "This model's maximum context length is 40 tokens." } });
    const r = await chat(g, { model: 'small' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-model')).toBe('big');
    expect(hits(fake, 'small-up')).toBe(1);
  });

  it('a content-policy refusal moves to the content-policy fallback', async () => {
    fake.script('strict-up', { error: { status: 400, type: 'content_filter', message: 'flagged by the content filter' } });
    const r = await chat(g, { model: 'strict' });
    expect(r.status).toBe(200);
    expect(r.json.choices[0].message.content).toContain('lenient-up');
    expect(r.headers.get('x-switchyard-model')).toBe('lenient');
  });
});

describe('per-request routing overrides', () => {
  it('the master key may name the deployment order; the answer comes from the one named first', async () => {
    const r = await chat(g, { model: 'pair' }, { 'x-switchyard-deployment-order': 'pair@steady,pair@flaky' });
    expect(r.headers.get('x-switchyard-deployment')).toBe('pair@steady');
  });

  it('an unknown strategy name is a 400 naming the header', async () => {
    const r = await chat(g, { model: 'pair' }, { 'x-switchyard-routing-strategy': 'fastest-please' });
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('x-switchyard-routing-strategy');
  });
});
