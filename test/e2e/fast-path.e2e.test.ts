import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startTestGateway, type TestGateway } from './harness.js';

describe('fast path, warnings and client abort', () => {
  const openai = new FakeOpenAI();
  const anthropic = new FakeAnthropic();
  let gw: TestGateway;

  beforeAll(async () => {
    await openai.start();
    await anthropic.start();
    gw = await startTestGateway({
      router: { numRetries: 0 },
      deployments: [
        { publicModel: 'fast', protocol: 'openai', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' },
        { publicModel: 'picky', protocol: 'openai', provider: 'picky-compatible', baseUrl: `${openai.url}/v1`, model: 'picky-1', quirks: { unsupportedParams: ['seed'] } },
        { publicModel: 'claude', protocol: 'anthropic', baseUrl: `${anthropic.url}/v1`, model: 'claude-sonnet-4-5' },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await openai.stop();
    await anthropic.stop();
  });
  beforeEach(() => {
    openai.reset();
    anthropic.reset();
  });

  const post = (body: unknown) =>
    fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('relays unknown fields verbatim, rewrites only the model, strips gateway directives', async () => {
    const res = await post({ model: 'fast', messages: [{ role: 'user', content: 'hi' }], custom_vendor_flag: { a: 1 }, top_k: 5, fallbacks: ['other'], tags: ['team-a'], api_key: 'sk-client-secret', metadata: { tags: ['x'], run: 'r1' } });
    expect(res.status).toBe(200);
    const sent = openai.lastRequest()!.body;
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.custom_vendor_flag).toEqual({ a: 1 });
    expect(sent.top_k).toBe(5);
    expect(sent).not.toHaveProperty('fallbacks');
    expect(sent).not.toHaveProperty('tags');
    // A client's own credential in the body never reaches a provider; it is reported instead.
    expect(sent).not.toHaveProperty('api_key');
    expect(openai.lastRequest()!.rawBody).not.toContain('sk-client-secret');
    expect(res.headers.get('x-switchyard-warning')).toMatch(/api_key/);
    expect(sent.metadata).toEqual({ run: 'r1' });
    expect(res.headers.get('x-switchyard-deployment')).toBe('fast#0');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('asks the upstream for stream usage even when the client did not', async () => {
    const res = await post({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    await res.text();
    expect(openai.lastRequest()!.body.stream_options).toEqual({ include_usage: true });
  });

  it('reports a parameter the provider cannot take in a warning header instead of dropping it silently', async () => {
    const res = await post({ model: 'picky', seed: 42, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(openai.lastRequest()!.body).not.toHaveProperty('seed');
    expect(res.headers.get('x-switchyard-warning')).toMatch(/seed/);
  });

  it('reports fields a translated upstream cannot honour in a warning header', async () => {
    const res = await post({ model: 'claude', logit_bias: { '50256': -100 }, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-warning')).toMatch(/logit_bias/);
  });

  for (const model of ['fast', 'claude'] as const) {
    // Timing under a saturated 2-core CI box can miss once; a real regression misses every try.
    it(`aborts the upstream within 100 ms when the client disconnects (${model})`, { retry: 2 }, async () => {
      const fake = model === 'fast' ? openai : anthropic;
      const upstreamModel = model === 'fast' ? 'gpt-4o-mini' : 'claude-sonnet-4-5';
      fake.script(upstreamModel, { text: Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '), chunkDelayMs: 20 });
      const client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
      const controller = new AbortController();
      const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'talk' }] }, { signal: controller.signal });
      let abortedAt = 0;
      try {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta.content) {
            abortedAt = Date.now();
            controller.abort();
          }
        }
      } catch {
        // the client's own abort error
      }
      expect(abortedAt).toBeGreaterThan(0);
      for (let i = 0; i < 50 && fake.aborts.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(fake.aborts.length).toBe(1);
      expect(fake.aborts[0]!.at - abortedAt).toBeLessThan(100);
    });
  }
});
