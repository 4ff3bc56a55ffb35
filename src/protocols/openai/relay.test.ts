import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../../../test/fakes/openai-fake.js';
import type { CallOptions, RelayRequest, UpstreamTarget } from '../../spec/index.js';
import { closePools } from '../http/index.js';
import { relay } from './relay.js';

const fixture = readFileSync(new URL('./__fixtures__/chat-text.chunks.txt', import.meta.url));
const crlfFixture = Buffer.from(fixture.toString().replace(/\n/g, '\r\n'));
const usageEvent = fixture.toString().split('\n\n').find((e) => e.includes('"choices":[]'));

async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function options(warnings: string[] = [], signal = new AbortController().signal): CallOptions {
  return { requestId: 'r1', signal, warn: (m) => warnings.push(m) };
}

function chatRequest(body: Record<string, unknown>, extra: Partial<RelayRequest> = {}): RelayRequest {
  return { path: '/chat/completions', method: 'POST', body: { model: 'public-name', messages: [{ role: 'user', content: 'hi' }], ...body }, stream: body.stream === true, ...extra };
}

describe('relay against the fake OpenAI', () => {
  const fake = new FakeOpenAI({ apiKey: 'sk-up' });
  let target: UpstreamTarget;
  beforeAll(async () => {
    await fake.start();
    target = { provider: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini', apiKey: 'sk-up', auth: { kind: 'bearer' } };
  });
  afterAll(async () => {
    await fake.stop();
    await closePools();
  });

  it('forwards the body with only the model changed and reads usage from the JSON answer', async () => {
    fake.script('gpt-4o-mini', { text: 'Hello there', usage: { input: 5, output: 2, cacheRead: 1 } });
    const res = await relay(chatRequest({ temperature: 0.3, custom_field: { a: 1 } }, { headers: { 'x-trace': 't1', authorization: 'Bearer client-key' } }), target, options());
    expect(fake.lastRequest()?.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], temperature: 0.3, custom_field: { a: 1 } });
    expect(fake.lastRequest()?.headers).toMatchObject({ 'x-trace': 't1', authorization: 'Bearer sk-up' });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    const done = await res.done;
    expect(done.usage).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadTokens: 1, reasoningTokens: 0 });
    expect(done.model).toBe('gpt-4o-mini');
    const text = await readAll(res.body);
    expect(JSON.parse(text).choices[0].message.content).toBe('Hello there');
    expect(Buffer.byteLength(text)).toBe(Number(res.headers['content-length']));
  });

  it('adds include_usage for accounting and removes the usage chunk the client did not ask for', async () => {
    fake.script('gpt-4o-mini', { text: 'one two three', usage: { input: 4, output: 3 } });
    const res = await relay(chatRequest({ stream: true }), target, options());
    expect(fake.lastRequest()?.body.stream_options).toEqual({ include_usage: true });
    const text = await readAll(res.body);
    expect(text).not.toContain('"choices":[]');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text.match(/"content":"[^"]+"/g)).toEqual(['"content":"one "', '"content":"two "', '"content":"three"']);
    const done = await res.done;
    expect(done).toMatchObject({ usage: { inputTokens: 4, outputTokens: 3, totalTokens: 7 }, model: 'gpt-4o-mini' });
    expect(done.completionText).toBeUndefined();
    expect(done.firstByteAt).toBeGreaterThan(0);
    expect(done.error).toBeUndefined();
  });

  it('keeps the usage chunk when the client asked for it', async () => {
    fake.script('gpt-4o-mini', { text: 'one two', usage: { input: 4, output: 2 } });
    const res = await relay(chatRequest({ stream: true, stream_options: { include_usage: true } }), target, options());
    const text = await readAll(res.body);
    expect(text).toContain('"choices":[],"usage":{"prompt_tokens":4');
    expect((await res.done).usage?.totalTokens).toBe(6);
  });

  it('keeps the completion text when no usage arrives, for local counting', async () => {
    fake.script('gpt-4o-mini', { text: 'counted locally', omitUsage: true });
    const warnings: string[] = [];
    const res = await relay(chatRequest({ stream: true, stream_options: { include_usage: true } }), { ...target, quirks: { noStreamOptions: true } }, options(warnings));
    expect(fake.lastRequest()?.body).not.toHaveProperty('stream_options');
    expect(warnings).toEqual(['stream_options is not supported by openai and was not sent']);
    await readAll(res.body);
    const done = await res.done;
    expect(done.usage).toBeUndefined();
    expect(done.completionText).toBe('counted locally');
  });

  it('removes unsupported params with a warning, renames others, and enforces maxN', async () => {
    fake.script('gpt-4o-mini', {});
    const warnings: string[] = [];
    const t = { ...target, quirks: { unsupportedParams: ['logit_bias'], renameParams: { max_completion_tokens: 'max_tokens' }, maxN: 1 } };
    const res = await relay(chatRequest({ logit_bias: { 1: 2 }, max_completion_tokens: 9 }), t, options(warnings));
    await readAll(res.body);
    expect(fake.lastRequest()?.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 9 });
    expect(warnings).toEqual(['logit_bias is not supported by openai and was not sent']);
    await expect(relay(chatRequest({ n: 2 }), t, options())).rejects.toMatchObject({ code: 'unsupported_parameter', param: 'n', status: 400 });
  });

  it('throws the mapped error for a non-2xx answer', async () => {
    fake.script('gpt-4o-mini', { error: { status: 429, message: 'Too many', retryAfterS: 2 } });
    await expect(relay(chatRequest({ stream: true }), target, options())).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      retryable: true,
      retryAfterMs: 2000,
      message: 'Too many',
      clientCode: 'rate_limit_exceeded',
    });
    await expect(relay(chatRequest({}), { ...target, apiKey: 'wrong' }, options())).rejects.toMatchObject({ code: 'upstream_auth', clientCode: 'invalid_api_key' });
  });

  it('relays embeddings, legacy completions and the model list', async () => {
    fake.script('emb', { usage: { input: 3 } });
    const emb = await relay({ path: '/embeddings', method: 'POST', body: { model: 'x', input: ['a b c'] }, stream: false }, { ...target, model: 'emb' }, options());
    expect(JSON.parse(await readAll(emb.body)).data[0].embedding).toHaveLength(8);
    expect((await emb.done).usage).toEqual({ inputTokens: 3, outputTokens: 0, totalTokens: 3 });

    fake.script('gpt-4o-mini', { text: 'old style', usage: { input: 2, output: 2 } });
    const cmp = await relay({ path: '/completions', method: 'POST', body: { model: 'x', prompt: 'p', stream: true }, stream: true }, target, options());
    const text = await readAll(cmp.body);
    expect(text).not.toContain('"choices":[]');
    expect((await cmp.done).usage?.totalTokens).toBe(4);

    const models = await relay({ path: '/models', method: 'GET', body: null, stream: false }, target, options());
    expect(JSON.parse(await readAll(models.body)).data.map((m: { id: string }) => m.id)).toContain('gpt-4o-mini');
  });

  it.each([
    ['without deadlines', {}],
    ['with deadlines set', { timeoutMs: 60_000, firstTokenTimeoutMs: 30_000 }],
  ])('aborts the upstream within 100 ms of the client going away (%s)', { retry: 2 }, async (_label, deadlines) => {
    fake.script('slow', { text: 'word '.repeat(200), chunkDelayMs: 20 });
    const ac = new AbortController();
    const res = await relay(chatRequest({ stream: true }), { ...target, ...deadlines, model: 'slow' }, options([], ac.signal));
    const it = res.body[Symbol.asyncIterator]();
    await it.next();
    const before = fake.aborts.length;
    const abortedAt = Date.now();
    ac.abort();
    await waitFor(() => fake.aborts.length > before, 2000);
    expect(fake.aborts[fake.aborts.length - 1]!.at - abortedAt).toBeLessThan(100);
    const done = await res.done;
    expect(done.error).toMatchObject({ code: 'client_closed' });
  });

  it('aborts the upstream when the consumer destroys the body', async () => {
    fake.script('slow2', { text: 'word '.repeat(200), chunkDelayMs: 20 });
    const res = await relay(chatRequest({ stream: true }), { ...target, model: 'slow2' }, options());
    const before = fake.aborts.length;
    res.body.destroy();
    await waitFor(() => fake.aborts.length > before, 2000);
    expect((await res.done).error).toBeDefined();
  });

  it('reports a mid-stream reset as a retryable connection error', async () => {
    fake.script('reset', { text: 'a b c d e f', resetAfterChunks: 3 });
    const res = await relay(chatRequest({ stream: true }), { ...target, model: 'reset' }, options());
    await expect(readAll(res.body)).rejects.toThrow();
    expect((await res.done).error).toMatchObject({ code: 'upstream_connection', retryable: true });
  });

  it('times out a hung upstream before and after headers', async () => {
    fake.script('hung', { hang: true });
    await expect(relay(chatRequest({}), { ...target, model: 'hung', timeoutMs: 100 }, options())).rejects.toMatchObject({ code: 'upstream_timeout', retryable: true });
    await expect(relay(chatRequest({ stream: true }), { ...target, model: 'hung', firstTokenTimeoutMs: 100 }, options())).rejects.toMatchObject({ code: 'upstream_timeout' });
    fake.script('dribble', { text: 'word '.repeat(50), chunkDelayMs: 20 });
    const res = await relay(chatRequest({ stream: true }), { ...target, model: 'dribble', timeoutMs: 150 }, options());
    await expect(readAll(res.body)).rejects.toMatchObject({ code: 'upstream_timeout' });
    expect((await res.done).error).toMatchObject({ code: 'upstream_timeout' });
  });

  it('fails a stream whose first token is late', async () => {
    fake.script('late', { firstTokenDelayMs: 2000 });
    const res = await relay(chatRequest({ stream: true }), { ...target, model: 'late', firstTokenTimeoutMs: 100 }, options());
    await expect(readAll(res.body)).rejects.toMatchObject({ code: 'upstream_timeout' });
    expect((await res.done).error).toMatchObject({ code: 'upstream_timeout', retryable: true });
  });
});

describe('relay byte fidelity', () => {
  // A raw upstream writing a recorded stream in awkward slices (mid-event, mid-character).
  let server: http.Server;
  let target: UpstreamTarget;
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      for await (const _ of req);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const bytes = req.headers['x-crlf'] ? crlfFixture : fixture;
      for (let i = 0; i < bytes.length; i += 37) {
        res.write(bytes.subarray(i, i + 37));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    target = { provider: 'custom', baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', auth: { kind: 'none' } };
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await closePools();
  });

  it('passes every byte through when the client wants usage', async () => {
    const res = await relay(chatRequest({ stream: true, stream_options: { include_usage: true } }), target, options());
    expect(await readAll(res.body)).toBe(fixture.toString('utf8'));
    expect((await res.done).usage).toMatchObject({ inputTokens: 9, outputTokens: 6 });
  });

  it('removes exactly the usage event otherwise', async () => {
    const res = await relay(chatRequest({ stream: true }), target, options());
    expect(usageEvent).toBeDefined();
    expect(await readAll(res.body)).toBe(fixture.toString('utf8').replace(`${usageEvent}\n\n`, ''));
    expect(await res.done).toMatchObject({ usage: { totalTokens: 15 }, model: 'gpt-4o-mini-2024-07-18' });
  });

  it('does the same for a stream framed with CRLF line endings', async () => {
    const res = await relay(chatRequest({ stream: true }, { headers: { 'x-crlf': '1' } }), target, options());
    const text = await readAll(res.body);
    expect(text).not.toContain('"choices":[]');
    expect(text).toBe(crlfFixture.toString('utf8').replace(`${usageEvent?.replace(/\n/g, '\r\n')}\r\n\r\n`, ''));
    expect((await res.done).usage).toMatchObject({ totalTokens: 15 });
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
