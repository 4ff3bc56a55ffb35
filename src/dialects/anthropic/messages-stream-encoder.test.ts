import { describe, expect, it } from 'vitest';
import { GatewayError, type StreamPart } from '../../spec/index.js';
import { createMessagesStreamEncoder } from './index.js';

const start: StreamPart = { type: 'start', id: 'chatcmpl-abc', model: 'gpt-4o', created: 1 };
const usage: StreamPart = { type: 'usage', usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150, cacheReadTokens: 100 } };

function encode(parts: StreamPart[], ended = true): string {
  const enc = createMessagesStreamEncoder({ requestedModel: 'claude-public', requestId: 'req_1' });
  return parts.map((p) => enc.encode(p)).join('') + (ended ? enc.end() : '');
}

/** `event: x` + `data: {type:x,...}` for each expected event, as the encoder must write them. */
function sse(...events: [string, Record<string, unknown>][]): string {
  return events.map(([type, data]) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`).join('');
}

const messageStart: [string, Record<string, unknown>] = [
  'message_start',
  {
    message: {
      id: 'msg_chatcmpl-abc',
      type: 'message',
      role: 'assistant',
      model: 'claude-public',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  },
];
const ping: [string, Record<string, unknown>] = ['ping', {}];
const finalUsage = { input_tokens: 20, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 };
const stop = (i: number): [string, Record<string, unknown>] => ['content_block_stop', { index: i }];
const delta = (i: number, d: Record<string, unknown>): [string, Record<string, unknown>] => ['content_block_delta', { index: i, delta: d }];
const end = (reason: string): [string, Record<string, unknown>][] => [
  ['message_delta', { delta: { stop_reason: reason, stop_sequence: null }, usage: finalUsage }],
  ['message_stop', {}],
];

describe('createMessagesStreamEncoder', () => {
  it('text: one block, usage totals in message_delta with cache reads taken out of input', () => {
    const out = encode([
      start,
      { type: 'text-delta', choice: 0, text: 'Hello' },
      { type: 'text-delta', choice: 0, text: ' world' },
      { type: 'finish', choice: 0, finishReason: { unified: 'stop', raw: 'stop' } },
      usage,
    ]);
    expect(out).toBe(
      sse(
        messageStart,
        ping,
        ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
        delta(0, { type: 'text_delta', text: 'Hello' }),
        delta(0, { type: 'text_delta', text: ' world' }),
        stop(0),
        ...end('end_turn'),
      ),
    );
  });

  it('thinking then text: the signature seals the thinking block, text opens the next', () => {
    const out = encode([
      start,
      { type: 'reasoning-delta', choice: 0, text: 'Let me think.' },
      { type: 'reasoning-signature', choice: 0, signature: 'sig-xyz' },
      { type: 'reasoning-delta', choice: 0, text: 'More.' },
      { type: 'text-delta', choice: 0, text: 'Answer.' },
      { type: 'finish', choice: 0, finishReason: { unified: 'length' } },
      usage,
    ]);
    expect(out).toBe(
      sse(
        messageStart,
        ping,
        ['content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
        delta(0, { type: 'thinking_delta', thinking: 'Let me think.' }),
        delta(0, { type: 'signature_delta', signature: 'sig-xyz' }),
        stop(0),
        ['content_block_start', { index: 1, content_block: { type: 'thinking', thinking: '', signature: '' } }],
        delta(1, { type: 'thinking_delta', thinking: 'More.' }),
        stop(1),
        ['content_block_start', { index: 2, content_block: { type: 'text', text: '' } }],
        delta(2, { type: 'text_delta', text: 'Answer.' }),
        stop(2),
        ...end('max_tokens'),
      ),
    );
  });

  it('redacted thinking is a whole block of its own', () => {
    const out = encode([start, { type: 'reasoning-signature', choice: 0, redactedData: 'opaque==' }, { type: 'text-delta', choice: 0, text: 'x' }, usage]);
    expect(out).toBe(
      sse(
        messageStart,
        ping,
        ['content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: 'opaque==' } }],
        stop(0),
        ['content_block_start', { index: 1, content_block: { type: 'text', text: '' } }],
        delta(1, { type: 'text_delta', text: 'x' }),
        stop(1),
        ...end('end_turn'),
      ),
    );
  });

  it('tool calls: each its own tool_use block with input_json_delta; tool_use stop reason', () => {
    const out = encode([
      start,
      { type: 'text-delta', choice: 0, text: 'Checking.' },
      { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-start', choice: 0, toolIndex: 1, id: 'call_b', name: 'get_time' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 1, argumentsDelta: '{}' },
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
      usage,
    ]);
    expect(out).toBe(
      sse(
        messageStart,
        ping,
        ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
        delta(0, { type: 'text_delta', text: 'Checking.' }),
        stop(0),
        ['content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} } }],
        delta(1, { type: 'input_json_delta', partial_json: '{"city":' }),
        delta(1, { type: 'input_json_delta', partial_json: '"Paris"}' }),
        stop(1),
        ['content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'call_b', name: 'get_time', input: {} } }],
        delta(2, { type: 'input_json_delta', partial_json: '{}' }),
        stop(2),
        ...end('tool_use'),
      ),
    );
  });

  it('a tool call the upstream ended with "stop" is still tool_use (agents loop on it)', () => {
    const out = encode([start, { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'c', name: 'n' }, { type: 'finish', choice: 0, finishReason: { unified: 'stop' } }, usage]);
    expect(out).toContain('"stop_reason":"tool_use"');
  });

  it('an error part becomes an Anthropic error event and nothing follows it', () => {
    const enc = createMessagesStreamEncoder({ requestedModel: 'claude-public', requestId: 'req_1' });
    const err = new GatewayError('upstream_overloaded', { message: 'Overloaded', provider: 'openai' });
    const out = [start, { type: 'text-delta', choice: 0, text: 'par' } as StreamPart, { type: 'error', error: err } as StreamPart].map((p) => enc.encode(p)).join('');
    expect(out).toBe(
      sse(
        messageStart,
        ping,
        ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
        delta(0, { type: 'text_delta', text: 'par' }),
        ['error', { error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' }],
      ),
    );
    expect(enc.encode({ type: 'text-delta', choice: 0, text: 'late' }) + enc.end()).toBe('');
  });

  it('fails loudly, not silently, when tool arguments arrive for a closed block', () => {
    const out = encode(
      [
        start,
        { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'a', name: 'x' },
        { type: 'tool-call-start', choice: 0, toolIndex: 1, id: 'b', name: 'y' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{}' },
      ],
      false,
    );
    expect(out).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"The upstream streamed arguments for tool call 0 after its block closed/);
  });

  it('still produces a valid message when the upstream sent no start and no usage', () => {
    const out = encode([{ type: 'text-delta', choice: 0, text: 'hi' }]);
    expect(out.startsWith('event: message_start\n')).toBe(true);
    expect(out).toContain('"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}\n\nevent: message_stop');
  });
});
