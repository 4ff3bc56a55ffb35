import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../../../test/fakes/openai-fake.js';
import type { CallOptions, ChatRequest, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { closePools } from '../http/index.js';
import { openaiProtocol } from './index.js';

const opts = (signal = new AbortController().signal): CallOptions => ({ requestId: 'r', signal, warn: () => {} });
const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra });

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

describe('openaiProtocol against the fake OpenAI', () => {
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

  it('chats', async () => {
    fake.script('gpt-4o-mini', { text: 'Hi you', reasoning: 'short thought', usage: { input: 7, output: 4, reasoning: 2 } });
    const res = await openaiProtocol.chat(ask('hello'), target, opts());
    expect(fake.lastRequest()?.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
    expect(res.choices[0]?.content).toEqual([
      { type: 'reasoning', text: 'short thought' },
      { type: 'text', text: 'Hi you' },
    ]);
    expect(res.usage).toEqual({ inputTokens: 7, outputTokens: 4, totalTokens: 11, cacheReadTokens: 0, reasoningTokens: 2 });
  });

  it('streams text, tool calls and usage', async () => {
    fake.script('gpt-4o-mini', { text: 'Calling now', toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { q: 'x' } }], usage: { input: 3, output: 5 } });
    const parts = await collect(await openaiProtocol.stream(ask('go'), target, opts()));
    expect(fake.lastRequest()?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts[0]).toMatchObject({ type: 'start', model: 'gpt-4o-mini' });
    const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('');
    const args = parts.flatMap((p) => (p.type === 'tool-call-delta' ? [p.argumentsDelta] : [])).join('');
    expect(text).toBe('Calling now');
    expect(parts).toContainEqual({ type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_9', name: 'lookup' });
    expect(JSON.parse(args)).toEqual({ q: 'x' });
    expect(parts.slice(-2)).toEqual([
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8, cacheReadTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  it('rejects before streaming on an upstream error, so the router can retry', async () => {
    fake.script('gpt-4o-mini', { error: { status: 503 } });
    await expect(openaiProtocol.stream(ask('x'), target, opts())).rejects.toMatchObject({ code: 'upstream_overloaded', retryable: true });
    fake.script('gpt-4o-mini', { error: { status: 400, type: 'context_length_exceeded', message: 'too long' } });
    await expect(openaiProtocol.chat(ask('x'), target, opts())).rejects.toMatchObject({ code: 'context_length_exceeded', param: 'messages', message: 'too long' });
  });

  it('ends a reset stream with a retryable error part', async () => {
    fake.script('gpt-4o-mini', { text: 'a b c d e', resetAfterChunks: 2 });
    const parts = await collect(await openaiProtocol.stream(ask('x'), target, opts()));
    expect(parts[parts.length - 1]).toMatchObject({ type: 'error', error: { code: 'upstream_connection', retryable: true } });
  });

  it('cancels the upstream when the client aborts or the consumer stops early', async () => {
    fake.script('gpt-4o-mini', { text: 'w '.repeat(100), chunkDelayMs: 20 });
    const ac = new AbortController();
    const stream = await openaiProtocol.stream(ask('x'), target, opts(ac.signal));
    const parts: StreamPart[] = [];
    const before = fake.aborts.length;
    for await (const p of stream) {
      parts.push(p);
      if (parts.length === 3) ac.abort();
    }
    expect(parts[parts.length - 1]).toMatchObject({ type: 'error', error: { code: 'client_closed' } });
    await waitFor(() => fake.aborts.length > before);

    const again = await openaiProtocol.stream(ask('x'), target, opts());
    for await (const p of again) if (p.type === 'text-delta') break;
    await waitFor(() => fake.aborts.length > before + 1);
  });

  it('times out a hung upstream', async () => {
    fake.script('gpt-4o-mini', { hang: true });
    await expect(openaiProtocol.chat(ask('x'), { ...target, timeoutMs: 150 }, opts())).rejects.toMatchObject({ code: 'upstream_timeout', retryable: true });
    fake.script('gpt-4o-mini', { firstTokenDelayMs: 1000 });
    const parts = await collect(await openaiProtocol.stream(ask('x'), { ...target, firstTokenTimeoutMs: 100 }, opts()));
    expect(parts).toMatchObject([{ type: 'error', error: { code: 'upstream_timeout' } }]);
  });

  it('embeds as floats and as base64, and lists models', async () => {
    fake.script('emb', { embeddingDims: 4 });
    const t = { ...target, model: 'emb' };
    const floats = await openaiProtocol.embed!({ model: 'e', input: ['alpha', 'beta'] }, t, opts());
    expect(floats.data).toHaveLength(2);
    expect(floats.data[0]?.embedding).toHaveLength(4);
    expect(floats.usage).toEqual({ inputTokens: 2, outputTokens: 0, totalTokens: 2 });
    const b64 = await openaiProtocol.embed!({ model: 'e', input: ['alpha'], encodingFormat: 'base64' }, t, opts());
    expect(typeof b64.data[0]?.embedding).toBe('string');
    const raw = Buffer.from(b64.data[0]?.embedding as string, 'base64');
    const decoded = Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
    expect(decoded).toEqual((floats.data[0]?.embedding as number[]).map((v) => Math.fround(v)));
    expect(await openaiProtocol.listModels!(target, opts())).toContain('emb');
  });

  it('presents the credential in the catalog style', async () => {
    const keyed = new FakeOpenAI();
    await keyed.start();
    try {
      await openaiProtocol.listModels!({ ...target, baseUrl: keyed.url, auth: { kind: 'header', name: 'api-key' } }, opts());
      expect(keyed.lastRequest()?.headers['api-key']).toBe('sk-up');
      await openaiProtocol.listModels!({ ...target, baseUrl: `${keyed.url}/v1`, auth: { kind: 'query', name: 'key' } }, opts());
      expect(keyed.lastRequest()?.url).toBe('/v1/models?key=sk-up');
    } finally {
      await keyed.stop();
    }
  });
});

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('openaiProtocol.stream against a server that ignores stream: true', () => {
  it('turns the one JSON answer into stream parts', async () => {
    const http = await import('node:http');
    const body = JSON.stringify({ id: 'c1', model: 'm1', created: 1, choices: [{ index: 0, message: { content: 'whole', tool_calls: [{ id: 't', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as import('node:net').AddressInfo;
      const parts = await collect(await openaiProtocol.stream(ask('x'), { provider: 'custom', baseUrl: `http://127.0.0.1:${port}`, model: 'm1', auth: { kind: 'none' } }, opts()));
      expect(parts).toEqual([
        { type: 'start', id: 'c1', model: 'm1', created: 1 },
        { type: 'text-delta', choice: 0, text: 'whole' },
        { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 't', name: 'f' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{}' },
        { type: 'finish', choice: 0, finishReason: { unified: 'stop', raw: 'stop' } },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
