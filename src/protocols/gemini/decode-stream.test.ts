import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../spec/index.js';
import { decodeStream } from './decode-stream.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** The recorded bytes in pieces of `size`, cutting through UTF-8 sequences, CRLFs and events alike. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decode(bytes: Buffer | string, size = 4096): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  for await (const p of decodeStream(chunked(buf, size), { requestedModel: 'm', provider: 'gemini', warn: () => undefined })) parts.push(p);
  return parts;
}

const sse = (...events: unknown[]) => events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`).join('');

describe('decodeStream', () => {
  const recorded = fixture('gemini-thinking-tool.chunks.txt');

  it('decodes thoughts, a signature, text and two whole function calls, with usage last', async () => {
    const parts = await decode(recorded);
    expect(parts[0]).toMatchObject({ type: 'start', id: 'gMIxacOBHcKFz7IPu5ajuAs', model: 'gemini-2.5-flash' });
    const ids = parts.filter((p) => p.type === 'tool-call-start').map((p) => (p as { id: string }).id);
    expect(parts.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: '**Weighing the request** Météo à Paris… ' },
      { type: 'reasoning-delta', choice: 0, text: 'I should call the tool.' },
      { type: 'reasoning-signature', choice: 0, signature: 'CiQB0e2Kb7dVvQ0pXzYz' },
      { type: 'text-delta', choice: 0, text: 'Let me check the weather 🌦 ' },
      { type: 'text-delta', choice: 0, text: 'for you.' },
      { type: 'tool-call-start', choice: 0, toolIndex: 0, id: ids[0], name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"location":"Paris, France"}' },
      { type: 'tool-call-start', choice: 0, toolIndex: 1, id: ids[1], name: 'get_time' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 1, argumentsDelta: '{"tz":"Europe/Paris"}' },
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'STOP' } },
      { type: 'usage', usage: { inputTokens: 61, outputTokens: 130, totalTokens: 191, cacheReadTokens: 32, reasoningTokens: 88 } },
    ]);
    expect(new Set(ids).size).toBe(2);
  });

  it('gives the same parts whatever the chunk boundaries', async () => {
    const strip = (ps: StreamPart[]) => ps.map((p) => (p.type === 'start' ? { ...p, created: 0 } : p.type === 'tool-call-start' ? { ...p, id: '' } : p));
    const whole = strip(await decode(recorded));
    for (const size of [1, 3, 7, 64]) expect(strip(await decode(recorded, size))).toEqual(whole);
  });

  it('finishes a blocked prompt with content-filter', async () => {
    const parts = await decode(sse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, responseId: 'r1' }));
    expect(parts.slice(1)).toEqual([
      { type: 'finish', choice: 0, finishReason: { unified: 'content-filter', raw: 'SAFETY' } },
      { type: 'usage', usage: { inputTokens: 4, outputTokens: 0, totalTokens: 4 } },
    ]);
  });

  it('ends with a typed error for an in-stream error event, garbage, or a stream cut before finishReason', async () => {
    const inStream = await decode(
      sse({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }] }, { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }),
    );
    const last = inStream[inStream.length - 1];
    expect(last?.type).toBe('error');
    expect(last).toMatchObject({ error: { code: 'upstream_overloaded', retryable: true, message: 'The model is overloaded.' } });

    const garbage = await decode('data: {not json\r\n\r\n');
    expect(garbage[garbage.length - 1]).toMatchObject({ type: 'error', error: { code: 'upstream_bad_response' } });

    const cut = await decode(sse({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }] }));
    expect(cut.map((p) => p.type)).toEqual(['start', 'text-delta', 'error']);
  });
});
