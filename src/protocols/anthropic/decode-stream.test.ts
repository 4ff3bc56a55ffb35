import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../spec/index.js';
import { sseEvents } from '../http/index.js';
import { decodeStream } from './decode-stream.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** Yields the recorded bytes in pieces of `size`, cutting through UTF-8 sequences and SSE lines alike. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decode(bytes: Buffer, size: number, warnings: string[] = []): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const p of decodeStream(sseEvents(chunked(bytes, size)), 'anthropic', (w) => warnings.push(w))) parts.push(p);
  return parts;
}

describe('decodeStream', () => {
  const recorded = fixture('anthropic-thinking-tool.chunks.txt');

  it('decodes thinking, signature, text and two tool calls into ordered parts with usage last', async () => {
    const parts = await decode(recorded, 4096);
    const start = parts[0];
    expect(start).toMatchObject({ type: 'start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-sonnet-4-5-20250929' });
    expect(parts.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Météo à Paris… ' },
      { type: 'reasoning-delta', choice: 0, text: 'I need the tool.' },
      { type: 'reasoning-signature', choice: 0, signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { type: 'text-delta', choice: 0, text: "Okay, let's check " },
      { type: 'text-delta', choice: 0, text: 'the weather 🌦.' },
      // Block index 2 is the first TOOL call: renumbered 0.
      { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: ' "Paris, Fr' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: 'ance"}' },
      { type: 'tool-call-start', choice: 0, toolIndex: 1, id: 'toolu_02', name: 'get_time' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 1, argumentsDelta: '{"tz": "Europe/Paris"}' },
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_use' } },
      { type: 'usage', usage: { inputTokens: 2572, outputTokens: 89, totalTokens: 2661, cacheReadTokens: 2000, cacheWriteTokens: 100 } },
    ]);
  });

  it.each([1, 2, 3, 7, 13, 100])('gives the same parts when the bytes arrive %i at a time', async (size) => {
    const whole = await decode(recorded, 1 << 20);
    const split = await decode(recorded, size);
    const strip = (ps: StreamPart[]) => ps.map((p) => (p.type === 'start' ? { ...p, created: 0 } : p));
    expect(strip(split)).toEqual(strip(whole));
  });

  it('turns a mid-stream overloaded error event into a retryable error part that ends the stream', async () => {
    const parts = await decode(fixture('anthropic-overloaded.chunks.txt'), 5);
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'error']);
    const last = parts[2]!;
    expect(last.type === 'error' && last.error).toMatchObject({ code: 'upstream_overloaded', retryable: true, message: 'Overloaded' });
  });

  it('reports a stream cut before message_stop as an error, not a normal finish', async () => {
    const text = fixture('anthropic-thinking-tool.chunks.txt').toString('utf8');
    const cut = Buffer.from(text.slice(0, text.indexOf('event: message_delta')));
    const parts = await decode(cut, 50);
    const last = parts[parts.length - 1]!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.error).toMatchObject({ code: 'upstream_bad_response', retryable: true });
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
  });

  it('takes cumulative usage from message_delta when present, and emits no usage when none came', async () => {
    const events = [
      { type: 'message_start', message: { id: 'm1', model: 'c', content: [], usage: { input_tokens: 5, output_tokens: 1 } } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 7, cache_read_input_tokens: 3, output_tokens: 9 } },
      { type: 'message_stop' },
    ];
    const sse = Buffer.from(events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(''));
    const parts = await decode(sse, 9);
    expect(parts.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 10, outputTokens: 9, totalTokens: 19, cacheReadTokens: 3 } });

    const noUsage = events.map((e) => ({ ...e, usage: undefined, message: e.message && { ...e.message, usage: undefined } }));
    const bare = Buffer.from(noUsage.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(''));
    const parts2 = await decode(bare, 9);
    expect(parts2.map((p) => p.type)).toEqual(['start', 'finish']);
  });

  it('carries redacted thinking and warns once about block types it cannot represent', async () => {
    const events = [
      { type: 'message_start', message: { id: 'm2', model: 'c', content: [], usage: { input_tokens: 1, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } },
      { type: 'content_block_start', index: 2, content_block: { type: 'web_search_tool_result', content: [] } },
      { type: 'content_block_start', index: 3, content_block: { type: 'server_tool_use', id: 's2', name: 'web_search', input: {} } },
      { type: 'message_delta', delta: { stop_reason: 'pause_turn' }, usage: { output_tokens: 4 } },
      { type: 'message_stop' },
    ];
    const warnings: string[] = [];
    const parts = await decode(Buffer.from(events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('')), 64, warnings);
    expect(parts.map((p) => p.type)).toEqual(['start', 'reasoning-signature', 'finish', 'usage']);
    expect(parts[1]).toEqual({ type: 'reasoning-signature', choice: 0, redactedData: 'opaque' });
    expect(parts[2]).toMatchObject({ finishReason: { unified: 'other', raw: 'pause_turn' } });
    expect(warnings).toHaveLength(2);
  });
});
