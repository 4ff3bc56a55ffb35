import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../spec/index.js';
import { decodeChatStream } from './decode-chat-stream.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** Feeds bytes in fixed-size slices, so events and multi-byte characters are cut mid-way. */
async function* sliced(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(src: AsyncIterable<Buffer | string>, provider = 'openai'): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const p of decodeChatStream(src, provider, 'fallback')) parts.push(p);
  return parts;
}

describe('decodeChatStream', () => {
  it('decodes a text stream identically at every slice size', async () => {
    const expected: StreamPart[] = [
      { type: 'start', id: 'chatcmpl-BMXQ', model: 'gpt-4o-mini-2024-07-18', created: 1744717196, systemFingerprint: 'fp_44', serviceTier: 'default' },
      { type: 'text-delta', choice: 0, text: 'Grüße' },
      { type: 'text-delta', choice: 0, text: ' aus 東京 🚀' },
      { type: 'finish', choice: 0, finishReason: { unified: 'stop', raw: 'stop' } },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 6, totalTokens: 15, cacheReadTokens: 0, reasoningTokens: 0 } },
    ];
    const bytes = fixture('chat-text.chunks.txt');
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      expect(await collect(sliced(bytes, size))).toEqual(expected);
    }
  });

  it('decodes tool-call deltas keyed by tool index', async () => {
    const parts = await collect(sliced(fixture('chat-tools.chunks.txt'), 5));
    expect(parts.slice(1)).toEqual([
      { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: 'ty":"Paris"}' },
      { type: 'tool-call-start', choice: 0, toolIndex: 1, id: 'call_b', name: 'get_time' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 1, argumentsDelta: '{}' },
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
    ]);
  });

  it('decodes DeepSeek reasoning deltas and usage on the finish chunk', async () => {
    const parts = await collect(sliced(fixture('deepseek-reasoning.chunks.txt'), 11), 'deepseek');
    expect(parts.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Compare digits.' },
      { type: 'text-delta', choice: 0, text: '9.8 is larger.' },
      { type: 'finish', choice: 0, finishReason: { unified: 'stop', raw: 'stop' } },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 40, totalTokens: 52, cacheReadTokens: 8, reasoningTokens: 30 } },
    ]);
  });

  it('handles tool calls sent whole without an index (Gemini/Ollama style), logprobs and refusals', async () => {
    const sse = [
      { choices: [{ index: 0, delta: { tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } }] } }] },
      { choices: [{ index: 0, delta: { refusal: 'no' }, logprobs: { content: [{ token: 'no', logprob: -1, bytes: null, top_logprobs: [] }] } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ]
      .map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`)
      .join('');
    const parts = await collect(sliced(Buffer.from(sse), 9));
    expect(parts.filter((p) => p.type === 'tool-call-start').map((p) => p.type === 'tool-call-start' && [p.toolIndex, p.id, p.name])).toEqual([
      [0, 'a', 'f'],
      [1, 'b', 'g'],
    ]);
    expect(parts).toContainEqual({ type: 'refusal-delta', choice: 0, text: 'no' });
    expect(parts).toContainEqual({ type: 'logprobs', choice: 0, content: [{ token: 'no', logprob: -1, bytes: null, topLogprobs: [] }] });
  });

  it('turns an error payload mid-stream into a typed error part', async () => {
    const sse =
      'data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n' +
      'event: error\ndata: {"error":{"message":"The server had an error","type":"server_error","code":null}}\n\n';
    const parts = await collect(sliced(Buffer.from(sse), 13));
    const last = parts[parts.length - 1];
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(last.error).toMatchObject({ code: 'upstream_error', retryable: true, message: 'The server had an error' });
  });

  it('turns a socket reset and a truncated stream into retryable errors', async () => {
    async function* reset(): AsyncGenerator<Buffer> {
      yield Buffer.from('data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n');
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    }
    const a = await collect(reset());
    expect(a.map((p) => p.type)).toEqual(['start', 'text-delta', 'error']);
    expect(a[2]).toMatchObject({ error: { code: 'upstream_connection', retryable: true } });

    const b = await collect(sliced(Buffer.from('data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n'), 4));
    expect(b[b.length - 1]).toMatchObject({ type: 'error', error: { code: 'upstream_connection' } });

    const c = await collect(sliced(Buffer.from('data: {not json}\n\n'), 4));
    expect(c).toMatchObject([{ type: 'error', error: { code: 'upstream_bad_response' } }]);
  });
});
