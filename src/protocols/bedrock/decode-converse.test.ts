import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../spec/index.js';
import { decodeConverseResponse } from './decode-converse-response.js';
import { decodeConverseStream } from './decode-converse-stream.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const bytes = (name: string): Buffer => Buffer.from(fixture(name), 'base64');

async function collect(chunks: Buffer[]): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const p of decodeConverseStream((async function* () { yield* chunks; })(), 'bedrock', 'anthropic.claude-x', 'req-1')) parts.push(p);
  return parts;
}

function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

describe('decodeConverseResponse', () => {
  it('keeps reasoning with its signature, text and the tool call in order; usage counts the cache', () => {
    const warnings: string[] = [];
    const res = decodeConverseResponse(fixture('converse-reasoning-tool.json'), 'bedrock', 'anthropic.claude-x', 'req-1', (m) => warnings.push(m));
    expect(res.id).toBe('req-1');
    expect(res.choices[0]!.content).toEqual([
      { type: 'reasoning', text: 'The user wants the weather; call the tool.', signature: 'EqoBCkgIARABGAIiQL2x' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', arguments: '{"city":"São Paulo","unit":"c"}' },
    ]);
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(res.usage).toEqual({ inputTokens: 1436, outputTokens: 87, totalTokens: 1523, cacheReadTokens: 1024, cacheWriteTokens: 0 });
    expect(res.providerMetadata).toEqual({ bedrock: { metrics: { latencyMs: 1817 } } });
    expect(warnings).toEqual([]);
  });

  it('maps guardrail and content-filter stops, and reports blocks it cannot relay', () => {
    const warnings: string[] = [];
    const body = { output: { message: { role: 'assistant', content: [{ citationsContent: {} }] } }, stopReason: 'guardrail_intervened', usage: { inputTokens: 1, outputTokens: 0, totalTokens: 1 } };
    const res = decodeConverseResponse(JSON.stringify(body), 'bedrock', 'm', undefined, (m) => warnings.push(m));
    expect(res.choices[0]!.finishReason.unified).toBe('content-filter');
    expect(res.choices[0]!.content).toEqual([]);
    expect(warnings[0]).toContain('citationsContent');
  });

  it('treats a body that is not a Converse answer as a bad upstream response', () => {
    expect(() => decodeConverseResponse('<html>', 'bedrock', 'm', undefined, () => {})).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
    expect(() => decodeConverseResponse('{"message":"x"}', 'bedrock', 'm', undefined, () => {})).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});

describe('decodeConverseStream', () => {
  const recorded = bytes('converse-stream-reasoning-tool.eventstream.b64');

  it('turns a recorded stream into start, reasoning, signature, text, tool call, finish and one usage last', async () => {
    const parts = await collect([recorded]);
    expect(parts[0]).toMatchObject({ type: 'start', id: 'req-1', model: 'anthropic.claude-x' });
    expect(parts.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Need the ' },
      { type: 'reasoning-delta', choice: 0, text: 'weather.' },
      { type: 'reasoning-signature', choice: 0, signature: 'EqoBCkgIARABGAIiQ' },
      { type: 'text-delta', choice: 0, text: 'Let me check ' },
      { type: 'text-delta', choice: 0, text: 'São Paulo 🌦.' },
      { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"city": "S' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: 'ão Paulo", "unit' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '": "c"}' },
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_use' } },
      { type: 'usage', usage: { inputTokens: 1436, outputTokens: 87, totalTokens: 1523, cacheReadTokens: 1024, cacheWriteTokens: 0 } },
    ]);
  });

  it('yields the same parts when the bytes arrive in awkward pieces', async () => {
    const whole = (await collect([recorded])).slice(1);
    for (const size of [1, 5, 17, 333]) expect((await collect(split(recorded, size))).slice(1)).toEqual(whole);
  });

  it('ends with a typed error part on an in-stream exception', async () => {
    const parts = await collect([bytes('converse-stream-model-error.eventstream.b64')]);
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'error']);
    const err = (parts[2] as { error: { code: string; retryable: boolean; message: string; clientCode: string } }).error;
    expect(err).toMatchObject({ code: 'upstream_error', retryable: true, clientCode: 'ModelStreamErrorException' });
    expect(err.message).toContain('Model stream error');
  });

  it('reports a stream cut mid-message or before messageStop as a retryable connection error', async () => {
    const cut = await collect([recorded.subarray(0, recorded.length - 30)]);
    expect(cut.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_connection', retryable: true } });
    expect(cut.some((p) => p.type === 'usage')).toBe(false);
  });

  it('reports a corrupted frame as a bad upstream response, not a crash', async () => {
    const bad = Buffer.from(recorded);
    bad[100] = bad[100]! ^ 0xff;
    const parts = await collect([bad]);
    expect(parts).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'upstream_bad_response' }) })]);
  });

  it('turns a socket failure mid-stream into an error part', async () => {
    const parts: StreamPart[] = [];
    const body = (async function* () {
      yield recorded.subarray(0, 300);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    })();
    for await (const p of decodeConverseStream(body, 'bedrock', 'm', undefined)) parts.push(p);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_connection', retryable: true } });
  });
});
