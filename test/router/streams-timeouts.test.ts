import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/router/index.js';
import type { TestGateway } from '../e2e/harness.js';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { chat, gatewayWith, hits, onFake, sseData, until } from './router-harness.js';

/**
 * Streams: retried only before their first byte reached the client (relay
 * and translated paths alike), time-to-first-token and idle-gap timeouts,
 * and a client abort reaching the upstream within 100 ms.
 */
const openai = new FakeOpenAI();
const anthropic = new FakeAnthropic();
let g: TestGateway;

function onAnthropic(publicModel: string, upstreamModel: string, order: number): Deployment {
  return {
    id: `${publicModel}@${upstreamModel}`,
    publicModel,
    provider: 'anthropic',
    protocol: 'anthropic',
    target: { provider: 'anthropic', baseUrl: `${anthropic.url}/v1`, model: upstreamModel, apiKey: 'sk-ant-upstream-test', auth: { kind: 'header', name: 'x-api-key' } },
    weight: 1,
    order,
    tags: [],
    modelInfo: {},
    source: 'config',
  };
}

beforeAll(async () => {
  await openai.start();
  await anthropic.start();
  g = await gatewayWith(
    [
      onFake(openai, 'relay', 'first', { order: 1 }),
      onFake(openai, 'relay', 'second', { order: 2 }),
      onAnthropic('translated', 'claude-first', 1),
      onAnthropic('translated', 'claude-second', 2),
      onFake(openai, 'quiet', 'quiet-up'),
      onFake(openai, 'slow', 'slow-up'),
    ],
    { numRetries: 1, allowedFails: 10, streamTimeoutMs: 150, streamIdleTimeoutMs: 150 },
  );
});
afterAll(async () => {
  await g?.close();
  await openai.stop();
  await anthropic.stop();
});
afterEach(() => {
  openai.reset();
  anthropic.reset();
});

const text = 'one two three four five six seven eight';

describe.each([
  // cutAfter: events before the reset, enough that text reached the client (Anthropic opens with three framing events).
  { path: 'relay (fast path)', model: 'relay', fake: () => openai, first: 'first', second: 'second', cutAfter: 3 },
  { path: 'translated (Anthropic upstream)', model: 'translated', fake: () => anthropic, first: 'claude-first', second: 'claude-second', cutAfter: 6 },
])('$path', ({ model, fake, first, second, cutAfter }) => {
  const calls = (m: string) => fake().requests.filter((r) => r.body?.model === m).length;

  it('a stream that breaks before its first byte is retried elsewhere; the client sees one clean stream', async () => {
    fake().script(first, { text, resetAfterChunks: 0 });
    fake().script(second, { text });
    const r = await chat(g, { model, stream: true });
    expect(r.status).toBe(200);
    const content = sseData(r.text).map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
    expect(content).toBe(text);
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
    expect(calls(first)).toBe(1);
    expect(calls(second)).toBe(1);
  });

  it('no retry once the stream began: the client gets what came and an in-band error', async () => {
    // Spaced chunks, so the first ones reach the client well before the reset.
    fake().script(first, { text, resetAfterChunks: cutAfter, chunkDelayMs: 30 });
    const r = await chat(g, { model, stream: true });
    expect(r.status).toBe(200);
    const events = sseData(r.text);
    expect(events.some((e) => e.choices?.[0]?.delta?.content)).toBe(true);
    expect(events[events.length - 1].error).toBeDefined();
    expect(calls(first)).toBe(1);
    expect(calls(second)).toBe(0);
  });

  it('no first token within stream_timeout: the attempt is cut and retried on the next deployment', async () => {
    fake().script(first, { text, firstTokenDelayMs: 1000 });
    fake().script(second, { text });
    const started = Date.now();
    const r = await chat(g, { model, stream: true });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-deployment')).toBe(`${model}@${second}`);
    expect(Date.now() - started).toBeLessThan(900);
    await until(() => fake().aborts.some((a) => a.model === first));
  });
});

describe('timeouts', () => {
  it('an idle gap mid-stream aborts the upstream and ends the client stream with an upstream_timeout error', async () => {
    openai.script('quiet-up', { text, chunkDelayMs: 400 });
    const r = await chat(g, { model: 'quiet', stream: true });
    const events = sseData(r.text);
    const last = events[events.length - 1];
    expect(last.error).toMatchObject({ type: 'timeout_error', code: 'upstream_timeout' });
    expect(r.text).not.toContain('[DONE]');
    await until(() => openai.aborts.some((a) => a.model === 'quiet-up'));
  });

  it('a whole-request timeout (body `timeout`) is a 504 in OpenAI error JSON after the retries', async () => {
    openai.script('slow-up', { latencyMs: 600 });
    const r = await chat(g, { model: 'slow', timeout: 0.1 });
    expect(r.status).toBe(504);
    expect(r.json.error).toMatchObject({ type: 'timeout_error', code: 'upstream_timeout' });
    expect(hits(openai, 'slow-up')).toBe(2);
  });
});

describe('client abort', () => {
  // Timing under a saturated 2-core CI box can miss once; a real regression misses every try.
  it('reaches the upstream within 100 ms while waiting for the answer', { retry: 2 }, async () => {
    openai.script('slow-up', { hang: true });
    const controller = new AbortController();
    const pending = chat(g, { model: 'slow' }, {}, controller.signal).catch(() => undefined);
    await until(() => hits(openai, 'slow-up') === 1);
    const abortedAt = Date.now();
    controller.abort();
    await pending;
    await until(() => openai.aborts.length === 1, 1000);
    expect((openai.aborts[0]?.at ?? Infinity) - abortedAt).toBeLessThan(100);
  });

  it('reaches the upstream within 100 ms in the middle of a stream', { retry: 2 }, async () => {
    openai.script('quiet-up', { text: 'a b c d e f g h i j k l', chunkDelayMs: 50 });
    const controller = new AbortController();
    const res = await fetch(`${g.baseURL}/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${g.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'quiet', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    const abortedAt = Date.now();
    controller.abort();
    await reader.read().catch(() => undefined);
    await until(() => openai.aborts.length === 1, 1000);
    expect((openai.aborts[0]?.at ?? Infinity) - abortedAt).toBeLessThan(100);
  });
});
