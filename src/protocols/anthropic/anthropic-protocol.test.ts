import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropic } from '../../../test/fakes/anthropic-fake.js';
import type { CallOptions, ChatRequest, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { closePools } from '../http/index.js';
import { anthropicProtocol } from './index.js';

describe('anthropicProtocol against FakeAnthropic', () => {
  const fake = new FakeAnthropic({ apiKey: 'sk-ant-fake', models: ['claude-a', 'claude-b'] });
  let target: UpstreamTarget;
  let warnings: string[];

  const opts = (signal = new AbortController().signal): CallOptions => ({ requestId: 'req-1', signal, warn: (w) => warnings.push(w) });
  const request = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
    model,
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Hello there' }] },
    ],
    ...extra,
  });
  async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
    const parts: StreamPart[] = [];
    for await (const p of stream) parts.push(p);
    return parts;
  }

  beforeAll(async () => {
    const url = await fake.start();
    target = { provider: 'anthropic', baseUrl: `${url}/v1`, model: 'claude-a', apiKey: 'sk-ant-fake', auth: { kind: 'header', name: 'x-api-key' } };
  });
  afterAll(async () => {
    await closePools();
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    warnings = [];
  });

  it('chat: sends a valid Messages request and decodes text, finish and cache usage', async () => {
    fake.script('claude-a', { text: 'Hi!', usage: { input: 50, output: 2, cacheRead: 40 } });
    const res = await anthropicProtocol.chat(request('claude-a'), target, opts());
    expect(res.choices[0]).toMatchObject({ content: [{ type: 'text', text: 'Hi!' }], finishReason: { unified: 'stop', raw: 'end_turn' } });
    expect(res.usage).toEqual({ inputTokens: 50, outputTokens: 2, totalTokens: 52, cacheReadTokens: 40, cacheWriteTokens: 0 });
    const sent = fake.lastRequest()!;
    expect(sent.url).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant-fake');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toMatchObject({ model: 'claude-a', max_tokens: 4096, system: 'Be brief.', messages: [{ role: 'user' }] });
    expect(sent.body.stream).toBeUndefined();
  });

  it('chat: works with a base URL without /v1', async () => {
    fake.script('claude-a', { text: 'ok' });
    await anthropicProtocol.chat(request('claude-a'), { ...target, baseUrl: fake.url }, opts());
    expect(fake.lastRequest()!.url).toBe('/v1/messages');
  });

  it('chat: decodes thinking and tool calls', async () => {
    fake.script('claude-a', { reasoning: 'Hmm.', toolCalls: [{ id: 'toolu_x', name: 'lookup', arguments: { q: 'paris' } }] });
    const res = await anthropicProtocol.chat(request('claude-a', { reasoningEffort: 'low' }), target, opts());
    expect(res.choices[0]!.content).toEqual([
      { type: 'reasoning', text: 'Hmm.', signature: expect.stringMatching(/^sig_/) },
      { type: 'tool-call', id: 'toolu_x', name: 'lookup', arguments: '{"q":"paris"}' },
    ]);
    expect(res.choices[0]!.finishReason.unified).toBe('tool-calls');
    expect(fake.lastRequest()!.body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
  });

  it('stream: yields start, deltas, tool calls, finish and one usage at the end', async () => {
    fake.script('claude-b', { reasoning: 'Think first.', text: 'Sure thing.', toolCalls: [{ name: 'f', arguments: { a: 'x"y', b: [1, 2] } }], usage: { input: 20, output: 9, cacheWrite: 5 } });
    const parts = await collect(await anthropicProtocol.stream(request('claude-b'), target, opts()));
    expect(parts[0]).toMatchObject({ type: 'start', model: 'claude-b' });
    const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('');
    const thinking = parts.flatMap((p) => (p.type === 'reasoning-delta' ? [p.text] : [])).join('');
    const args = parts.flatMap((p) => (p.type === 'tool-call-delta' ? [p.argumentsDelta] : [])).join('');
    expect(text).toBe('Sure thing.');
    expect(thinking).toBe('Think first.');
    expect(parts.some((p) => p.type === 'reasoning-signature' && p.signature?.startsWith('sig_'))).toBe(true);
    expect(parts.find((p) => p.type === 'tool-call-start')).toMatchObject({ toolIndex: 0, name: 'f' });
    expect(JSON.parse(args)).toEqual({ a: 'x"y', b: [1, 2] });
    expect(parts.slice(-2)).toEqual([
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_use' } },
      { type: 'usage', usage: { inputTokens: 20, outputTokens: 9, totalTokens: 29, cacheReadTokens: 0, cacheWriteTokens: 5 } },
    ]);
    expect(fake.lastRequest()!.body.stream).toBe(true);
  });

  it('chat: a 429 becomes a retryable upstream_rate_limited with retry-after', async () => {
    fake.script('claude-a', { error: { status: 429, retryAfterS: 3 } });
    await expect(anthropicProtocol.chat(request('claude-a'), target, opts())).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      retryable: true,
      retryAfterMs: 3000,
      clientCode: 'rate_limit_error',
    });
  });

  it('stream: a 529 rejects before any part so the router can retry', async () => {
    fake.script('claude-a', { error: { status: 529 } });
    await expect(anthropicProtocol.stream(request('claude-a'), target, opts())).rejects.toMatchObject({ code: 'upstream_overloaded', retryable: true, message: 'Overloaded' });
  });

  it('chat: a wrong key is upstream_auth, a bad request keeps the upstream message', async () => {
    await expect(anthropicProtocol.chat(request('claude-a'), { ...target, apiKey: 'nope' }, opts())).rejects.toMatchObject({ code: 'upstream_auth', status: 401 });
    const emptyTurn = request('claude-a', {
      messages: [{ role: 'user', content: [] }, { role: 'assistant', content: [{ type: 'text', text: 'a' }] }, { role: 'user', content: [{ type: 'text', text: 'b' }] }],
    });
    await expect(anthropicProtocol.chat(emptyTurn, target, opts())).rejects.toMatchObject({ code: 'upstream_bad_request', message: expect.stringMatching(/non-empty content/) });
  });

  it('stream: a reset mid-stream ends with a retryable error part', async () => {
    fake.script('claude-a', { text: 'one two three four five six', resetAfterChunks: 5 });
    const parts = await collect(await anthropicProtocol.stream(request('claude-a'), target, opts()));
    // message_start, ping, content_block_start and two words got through before the reset.
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'text-delta', 'error']);
    const last = parts[parts.length - 1]!;
    expect(last.type === 'error' && last.error).toMatchObject({ code: 'upstream_connection', retryable: true });
  });

  it('stream: a consumer that stops early closes the upstream connection', async () => {
    fake.script('claude-a', { text: 'one two three four five six seven eight', chunkDelayMs: 20 });
    for await (const p of await anthropicProtocol.stream(request('claude-a'), target, opts())) {
      if (p.type === 'text-delta') break;
    }
    await expect.poll(() => fake.aborts.length, { timeout: 2000 }).toBe(1);
  });

  it('stream: a client abort mid-stream ends with client_closed', async () => {
    fake.script('claude-a', { text: 'one two three four five six seven eight', chunkDelayMs: 20 });
    const ac = new AbortController();
    const parts: StreamPart[] = [];
    for await (const p of await anthropicProtocol.stream(request('claude-a'), target, opts(ac.signal))) {
      parts.push(p);
      if (p.type === 'text-delta') ac.abort();
    }
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'client_closed' } });
  });

  it('stream: a first-token timeout fails the call with upstream_timeout', async () => {
    fake.script('claude-a', { hang: true });
    await expect(anthropicProtocol.stream(request('claude-a'), { ...target, firstTokenTimeoutMs: 150 }, opts())).rejects.toMatchObject({ code: 'upstream_timeout' });
  });

  it('aborting the client signal cancels the upstream call', async () => {
    fake.script('claude-a', { latencyMs: 5_000 });
    const ac = new AbortController();
    const pending = anthropicProtocol.chat(request('claude-a'), target, opts(ac.signal));
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'client_closed' });
  });

  it('400s before calling upstream for n > 1 and reports unsupported options as warnings', async () => {
    await expect(anthropicProtocol.chat(request('claude-a', { n: 3 }), target, opts())).rejects.toMatchObject({ status: 400, param: 'n' });
    expect(fake.requests).toHaveLength(0);
    fake.script('claude-a', { text: 'ok' });
    await anthropicProtocol.chat(request('claude-a', { seed: 1, frequencyPenalty: 0.4 }), target, opts());
    expect(warnings).toEqual(['seed: Anthropic has no seed; not sent', 'frequency_penalty: not supported by Anthropic; not sent']);
  });

  it('lists models', async () => {
    expect(await anthropicProtocol.listModels!(target, opts())).toEqual(['claude-a', 'claude-b']);
  });

  it('has no embeddings', () => {
    expect(anthropicProtocol.embed).toBeUndefined();
  });
});
