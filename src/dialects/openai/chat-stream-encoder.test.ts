import { describe, it, expect } from 'vitest';
import { GatewayError, type StreamPart } from '../../spec/index.js';
import { createChatStreamEncoder } from './index.js';

const start: StreamPart = { type: 'start', id: 'chatcmpl-9', model: 'gpt-4o', created: 1700000001, systemFingerprint: 'fp_x' };
const usage: StreamPart = { type: 'usage', usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 } };
const usageJson = {
  prompt_tokens: 5,
  completion_tokens: 3,
  total_tokens: 8,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};
const head = { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1700000001, model: 'gpt-4o', system_fingerprint: 'fp_x' };

/** Runs parts through an encoder and splits the SSE text into events (JSON, or the literal [DONE]). */
function run(parts: StreamPart[], includeUsage: boolean): { text: string; events: unknown[] } {
  const enc = createChatStreamEncoder({ includeUsage });
  const text = parts.map((p) => enc.encode(p)).join('') + enc.end();
  const events = text
    .split('\n\n')
    .filter((e) => e !== '')
    .map((e) => {
      expect(e.startsWith('data: ')).toBe(true);
      const data = e.slice(6);
      return data === '[DONE]' ? data : (JSON.parse(data) as unknown);
    });
  return { text, events };
}

function choice(delta: Record<string, unknown>, finish: string | null = null, index = 0) {
  return { index, delta, logprobs: null, finish_reason: finish };
}

describe('chat stream encoder', () => {
  it('encodes a text stream without usage', () => {
    const { events } = run(
      [start, { type: 'text-delta', choice: 0, text: 'Hel' }, { type: 'text-delta', choice: 0, text: 'lo "x"\n' }, { type: 'finish', choice: 0, finishReason: { unified: 'stop' } }, usage],
      false,
    );
    expect(events).toStrictEqual([
      { ...head, choices: [choice({ role: 'assistant', content: 'Hel' })] },
      { ...head, choices: [choice({ content: 'lo "x"\n' })] },
      { ...head, choices: [choice({}, 'stop')] },
      '[DONE]',
    ]);
  });

  it('adds usage: null to every chunk and a final usage chunk when include_usage is on', () => {
    const { events } = run([start, { type: 'text-delta', choice: 0, text: 'Hi' }, { type: 'finish', choice: 0, finishReason: { unified: 'length' } }, usage], true);
    expect(events).toStrictEqual([
      { ...head, choices: [choice({ role: 'assistant', content: 'Hi' })], usage: null },
      { ...head, choices: [choice({}, 'length')], usage: null },
      { ...head, choices: [], usage: usageJson },
      '[DONE]',
    ]);
  });

  it('holds back usage that arrives before the finish', () => {
    const { events } = run([start, { type: 'text-delta', choice: 0, text: 'Hi' }, usage, { type: 'finish', choice: 0, finishReason: { unified: 'stop' } }], true);
    expect(events.slice(-3)).toStrictEqual([
      { ...head, choices: [choice({}, 'stop')], usage: null },
      { ...head, choices: [], usage: usageJson },
      '[DONE]',
    ]);
  });

  it('flushes held-back usage before [DONE] when no finish came', () => {
    const enc = createChatStreamEncoder({ includeUsage: true });
    expect(enc.encode(start)).toBe('');
    expect(enc.encode(usage)).toBe('');
    expect(enc.end()).toBe(`data: ${JSON.stringify({ ...head, choices: [], usage: usageJson })}\n\ndata: [DONE]\n\n`);
  });

  it('encodes tool calls, reasoning, refusals and signatures', () => {
    const { events } = run(
      [
        start,
        { type: 'reasoning-delta', choice: 0, text: 'hmm' },
        { type: 'reasoning-signature', choice: 0, signature: 'sig' },
        { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_1', name: 'f' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"a":' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '1}' },
        { type: 'tool-call-start', choice: 0, toolIndex: 1, id: 'call_2', name: 'g' },
        { type: 'refusal-delta', choice: 0, text: 'no' },
        { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls' } },
      ],
      false,
    );
    expect(events).toStrictEqual([
      { ...head, choices: [choice({ role: 'assistant', reasoning_content: 'hmm' })] },
      { ...head, choices: [choice({ thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'sig' }] })] },
      { ...head, choices: [choice({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] })] },
      { ...head, choices: [choice({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] })] },
      { ...head, choices: [choice({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] })] },
      { ...head, choices: [choice({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'g', arguments: '' } }] })] },
      { ...head, choices: [choice({ refusal: 'no' })] },
      { ...head, choices: [choice({}, 'tool_calls')] },
      '[DONE]',
    ]);
  });

  it('gives each choice its own role chunk and waits for every choice before usage', () => {
    const { events } = run(
      [
        start,
        { type: 'text-delta', choice: 0, text: 'a' },
        { type: 'text-delta', choice: 1, text: 'b' },
        { type: 'finish', choice: 0, finishReason: { unified: 'stop' } },
        usage,
        { type: 'finish', choice: 1, finishReason: { unified: 'stop' } },
      ],
      true,
    );
    expect(events).toStrictEqual([
      { ...head, choices: [choice({ role: 'assistant', content: 'a' }, null, 0)], usage: null },
      { ...head, choices: [choice({ role: 'assistant', content: 'b' }, null, 1)], usage: null },
      { ...head, choices: [choice({}, 'stop', 0)], usage: null },
      { ...head, choices: [choice({}, 'stop', 1)], usage: null },
      { ...head, choices: [], usage: usageJson },
      '[DONE]',
    ]);
  });

  it('encodes a finish-only choice with its role, and logprobs', () => {
    const { events } = run(
      [start, { type: 'logprobs', choice: 0, content: [{ token: 'x', logprob: -1 }] }, { type: 'finish', choice: 0, finishReason: { unified: 'other' } }],
      false,
    );
    expect(events).toStrictEqual([
      { ...head, choices: [{ index: 0, delta: { role: 'assistant' }, logprobs: { content: [{ token: 'x', logprob: -1, bytes: null, top_logprobs: [] }], refusal: null }, finish_reason: null }] },
      { ...head, choices: [choice({}, 'stop')] },
      '[DONE]',
    ]);
  });

  it('encodes an error part as an OpenAI error event', () => {
    const enc = createChatStreamEncoder({ includeUsage: false });
    enc.encode(start);
    const err = new GatewayError('upstream_error', { message: 'upstream reset' });
    expect(enc.encode({ type: 'error', error: err })).toBe(
      'data: {"error":{"message":"upstream reset","type":"api_error","param":null,"code":"upstream_error"}}\n\n',
    );
  });

  it('still produces valid chunks when a protocol sent no start part', () => {
    const enc = createChatStreamEncoder({ includeUsage: false });
    const chunk = JSON.parse(enc.encode({ type: 'text-delta', choice: 0, text: 'x' }).slice(6)) as Record<string, unknown>;
    expect(chunk['object']).toBe('chat.completion.chunk');
    expect(typeof chunk['id']).toBe('string');
    expect(chunk['choices']).toStrictEqual([choice({ role: 'assistant', content: 'x' })]);
  });
});
