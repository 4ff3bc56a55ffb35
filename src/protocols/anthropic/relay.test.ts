import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropic } from '../../../test/fakes/anthropic-fake.js';
import type { CallOptions, RelayRequest, UpstreamTarget } from '../../spec/index.js';
import { closePools } from '../http/index.js';
import { relay } from './relay.js';

const thinkingTool = readFileSync(new URL('./__fixtures__/anthropic-thinking-tool.chunks.txt', import.meta.url));
const overloaded = readFileSync(new URL('./__fixtures__/anthropic-overloaded.chunks.txt', import.meta.url));

async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const options = (signal = new AbortController().signal): CallOptions => ({ requestId: 'r1', signal, warn: () => {} });

function messages(body: Record<string, unknown>, extra: Partial<RelayRequest> = {}): RelayRequest {
  return { path: '/messages', method: 'POST', body: { model: 'public-name', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], ...body }, stream: body.stream === true, ...extra };
}

describe('Anthropic relay against the fake', () => {
  const fake = new FakeAnthropic({ apiKey: 'sk-ant-up' });
  let target: UpstreamTarget;
  beforeAll(async () => {
    await fake.start();
    target = { provider: 'anthropic', baseUrl: `${fake.url}/v1`, model: 'claude-sonnet-4-5', apiKey: 'sk-ant-up', auth: { kind: 'header', name: 'x-api-key' }, headers: { 'anthropic-beta': 'from-config' } };
  });
  afterAll(async () => {
    await fake.stop();
    await closePools();
  });
  beforeEach(() => fake.reset());

  it('forwards the body with only the model changed, the client version and merged betas', async () => {
    fake.script('claude-sonnet-4-5', { text: 'Hello there', usage: { input: 50, output: 2, cacheRead: 40 } });
    const body = { system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }], context_management: { edits: [] }, thinking: { type: 'adaptive' } };
    const res = await relay(messages(body, { headers: { 'anthropic-version': '2023-01-01', 'anthropic-beta': 'client-beta,from-config' } }), target, options());
    const sent = fake.lastRequest()!;
    expect(sent.url).toBe('/v1/messages');
    expect(sent.body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], ...body });
    expect(sent.headers).toMatchObject({ 'x-api-key': 'sk-ant-up', 'anthropic-version': '2023-01-01', 'anthropic-beta': 'client-beta,from-config' });
    expect(sent.headers.authorization).toBeUndefined();
    expect(JSON.parse(await readAll(res.body)).content).toEqual([{ type: 'text', text: 'Hello there' }]);
    expect(await res.done).toMatchObject({ usage: { inputTokens: 50, outputTokens: 2, totalTokens: 52, cacheReadTokens: 40, cacheWriteTokens: 0 }, model: 'claude-sonnet-4-5' });
  });

  it('reads usage from message_start and message_delta of a stream', async () => {
    fake.script('claude-sonnet-4-5', { text: 'one two three', usage: { input: 12, output: 3, cacheWrite: 2 } });
    const res = await relay(messages({ stream: true }), target, options());
    expect(fake.lastRequest()?.headers['anthropic-version']).toBe('2023-06-01');
    const text = await readAll(res.body);
    expect(text.startsWith('event: message_start\n')).toBe(true);
    expect(text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
    const done = await res.done;
    expect(done).toMatchObject({ usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15, cacheWriteTokens: 2 }, model: 'claude-sonnet-4-5' });
    expect(done.error).toBeUndefined();
    expect(done.firstByteAt).toBeGreaterThan(0);
  });

  it('relays count_tokens', async () => {
    const res = await relay({ path: '/messages/count_tokens', method: 'POST', body: { model: 'x', messages: [{ role: 'user', content: 'a b c' }] }, stream: false }, target, options());
    expect(JSON.parse(await readAll(res.body))).toEqual({ input_tokens: 6 });
    expect(fake.lastRequest()?.url).toBe('/v1/messages/count_tokens');
  });

  it('throws the mapped error for a non-2xx answer', async () => {
    fake.script('claude-sonnet-4-5', { error: { status: 429, message: 'Too many', retryAfterS: 3 } });
    await expect(relay(messages({ stream: true }), target, options())).rejects.toMatchObject({ code: 'upstream_rate_limited', retryable: true, retryAfterMs: 3000, message: 'Too many', clientCode: 'rate_limit_error' });
    await expect(relay(messages({}), { ...target, apiKey: 'wrong' }, options())).rejects.toMatchObject({ code: 'upstream_auth', clientCode: 'authentication_error' });
  });

  it('aborts the upstream when the client goes away', async () => {
    fake.script('claude-sonnet-4-5', { text: 'word '.repeat(200), chunkDelayMs: 20 });
    const ac = new AbortController();
    const res = await relay(messages({ stream: true }), target, options(ac.signal));
    await res.body[Symbol.asyncIterator]().next();
    ac.abort();
    await waitFor(() => fake.aborts.length > 0, 2000);
    expect((await res.done).error).toMatchObject({ code: 'client_closed' });
  });

  it('reports a mid-stream reset as a retryable connection error', async () => {
    fake.script('claude-sonnet-4-5', { text: 'a b c d e f', resetAfterChunks: 4 });
    const res = await relay(messages({ stream: true }), target, options());
    await expect(readAll(res.body)).rejects.toThrow();
    expect((await res.done).error).toMatchObject({ code: 'upstream_connection', retryable: true });
  });
});

describe('Anthropic relay byte fidelity', () => {
  // A raw upstream writing recorded streams in awkward slices (mid-event, mid-character).
  let server: http.Server;
  let target: UpstreamTarget;
  let payload = thinkingTool;
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      for await (const _ of req);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < payload.length; i += 37) {
        res.write(payload.subarray(i, i + 37));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    target = { provider: 'anthropic', baseUrl: `http://127.0.0.1:${port}`, model: 'm', auth: { kind: 'none' } };
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await closePools();
  });

  it('passes every byte through and sums cache reads and writes into the input', async () => {
    payload = thinkingTool;
    const res = await relay(messages({ stream: true }), target, options());
    expect(await readAll(res.body)).toBe(thinkingTool.toString('utf8'));
    expect(await res.done).toEqual({
      firstByteAt: expect.any(Number),
      model: 'claude-sonnet-4-5-20250929',
      usage: { inputTokens: 2572, outputTokens: 89, totalTokens: 2661, cacheReadTokens: 2000, cacheWriteTokens: 100 },
    });
  });

  it('surfaces an in-band error event; a stream cut before message_stop is an error too', async () => {
    payload = overloaded;
    const res = await relay(messages({ stream: true }), target, options());
    expect(await readAll(res.body)).toBe(overloaded.toString('utf8'));
    expect((await res.done).error).toMatchObject({ code: 'upstream_overloaded', clientCode: 'overloaded_error' });

    payload = thinkingTool.subarray(0, thinkingTool.indexOf('event: message_delta'));
    const cut = await relay(messages({ stream: true }), target, options());
    await readAll(cut.body);
    expect((await cut.done).error).toMatchObject({ code: 'upstream_bad_response', message: expect.stringContaining('before message_stop') });
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
