// The Anthropic mock must be a real Messages API to the official SDK, or the
// translated-path row would measure a parser's tolerance, not the gateway.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockAnthropic, streamTextOf, TEXT } from '../mock-anthropic.mjs';

let server;
let client;
beforeAll(async () => {
  server = createMockAnthropic({ chunks: 20 });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  client = new Anthropic({ apiKey: 'sk-mock', baseURL: `http://127.0.0.1:${server.address().port}`, maxRetries: 0 });
});
afterAll(() => new Promise((r) => server.close(r)));

const params = { model: 'claude-bench-mock', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] };

describe('mock-anthropic', () => {
  it('answers a Messages request with the fixed text, stop reason and usage', async () => {
    const m = await client.messages.create(params);
    expect(m.type).toBe('message');
    expect(m.content).toEqual([{ type: 'text', text: TEXT }]);
    expect(m.stop_reason).toBe('end_turn');
    expect(m.usage.input_tokens).toBe(243);
    expect(m.usage.output_tokens).toBe(48);
  });

  it('streams the exact event sequence with CHUNKS - 1 text deltas', async () => {
    const types = [];
    const stream = client.messages.stream({ ...params, metadata: { user_id: 'pace-1ms' } });
    for await (const ev of stream) types.push(ev.type);
    const final = await stream.finalMessage();
    expect(types).toEqual(['message_start', 'content_block_start', ...Array(19).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop']);
    expect(final.content).toEqual([{ type: 'text', text: streamTextOf(20) }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 243, output_tokens: 19 });
  });

  it('sizes the stream from `chunks`', async () => {
    const small = createMockAnthropic({ chunks: 4 });
    await new Promise((r) => small.listen(0, '127.0.0.1', r));
    try {
      const c = new Anthropic({ apiKey: 'k', baseURL: `http://127.0.0.1:${small.address().port}`, maxRetries: 0 });
      const final = await c.messages.stream(params).finalMessage();
      expect(final.content[0].text).toBe(streamTextOf(4));
      expect(streamTextOf(4)).toBe('Sure! Here');
    } finally {
      await new Promise((r) => small.close(r));
    }
  });
});
