import { describe, expect, it } from 'vitest';
import { checkResponsesStream, parseSse } from '../../../test/fixtures/codex/codex-kit.js';
import { GatewayError, type StreamPart } from '../../spec/index.js';
import { decodeResponsesRequest } from './decode-responses-request.js';
import { decodeReasoningPayload } from './reasoning-payload.js';
import { createResponsesStreamEncoder } from './responses-stream-encoder.js';

const who = { id: 'resp_test', createdAt: 1_700_000_000, model: 'pub' };

function run(parts: StreamPart[], body: Record<string, unknown> = {}) {
  const decoded = decodeResponsesRequest({ model: 'pub', input: 'x', stream: true, ...body });
  const enc = createResponsesStreamEncoder(who, decoded);
  let sse = parts.map((p) => enc.encode(p)).join('');
  const { response, frames } = enc.finish();
  sse += frames + enc.terminal(response);
  return { events: parseSse(sse), stored: response, final: checkResponsesStream(parseSse(sse)) };
}

const start: StreamPart = { type: 'start', id: 'up', model: 'up-model', created: 1 };

describe('responses stream encoder', () => {
  it('encodes reasoning, text and two tool calls in order, with a stored copy that keeps the signature', () => {
    const { events, stored, final } = run(
      [
        start,
        { type: 'reasoning-delta', choice: 0, text: 'think ' },
        { type: 'reasoning-delta', choice: 0, text: 'hard' },
        { type: 'reasoning-signature', choice: 0, signature: 'sig-1' },
        { type: 'text-delta', choice: 0, text: 'Calling tools.' },
        { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_a', name: 'ns__a' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"x":' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '1}' },
        { type: 'tool-call-start', choice: 0, toolIndex: 1, id: 'call_b', name: 'b' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 1, argumentsDelta: '{}' },
        { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls' } },
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7, reasoningTokens: 2 } },
      ],
      { reasoning: { summary: 'auto' }, tools: [{ type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'a' }] }, { type: 'function', name: 'b' }] },
    );
    expect(final.status).toBe('completed');
    expect(final.output.map((o: { type: string }) => o.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
    expect(final.output[0]).toEqual({ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [{ type: 'summary_text', text: 'think hard' }] });
    expect(final.output[2]).toMatchObject({ name: 'a', namespace: 'ns', call_id: 'call_a', arguments: '{"x":1}', status: 'completed' });
    expect(final.output[3]).toMatchObject({ name: 'b', call_id: 'call_b', arguments: '{}' });
    expect(final.usage).toEqual({ input_tokens: 3, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 7 });
    // The client did not include encrypted reasoning; the stored copy keeps it for the next turn.
    const payload = stored.output[0]?.type === 'reasoning' ? stored.output[0].encrypted_content : undefined;
    expect(decodeReasoningPayload(payload ?? '')).toEqual([{ type: 'reasoning', text: 'think hard', signature: 'sig-1' }]);
    const done = events.find((e) => e.event === 'response.function_call_arguments.done');
    expect(done?.data).toMatchObject({ name: 'a', arguments: '{"x":1}' });
  });

  it('ends a cut answer with response.incomplete and an incomplete message', () => {
    const { events, final } = run([start, { type: 'text-delta', choice: 0, text: 'partial' }, { type: 'finish', choice: 0, finishReason: { unified: 'length', raw: 'length' } }]);
    expect(events[events.length - 1]?.event).toBe('response.incomplete');
    expect(final).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'message', status: 'incomplete' }] });
  });

  it('streams a refusal as its own content part', () => {
    const { events, final } = run([start, { type: 'refusal-delta', choice: 0, text: 'I cannot help.' }, { type: 'finish', choice: 0, finishReason: { unified: 'stop' } }]);
    expect(events.map((e) => e.event)).toContain('response.refusal.delta');
    expect(final.output[0].content).toEqual([{ type: 'refusal', refusal: 'I cannot help.' }]);
  });

  it('fails with an error event and response.failed carrying the error', () => {
    const decoded = decodeResponsesRequest({ model: 'pub', input: 'x', stream: true });
    const enc = createResponsesStreamEncoder(who, decoded);
    const sse = enc.encode(start) + enc.encode({ type: 'text-delta', choice: 0, text: 'half' }) + enc.failed(new GatewayError('upstream_overloaded', { message: 'busy' }));
    const events = parseSse(sse);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['error', 'response.failed']);
    expect(events[events.length - 2]?.data).toMatchObject({ code: 'upstream_overloaded', message: 'busy' });
    expect(events[events.length - 1]?.data.response).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'busy' } });
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
  });
});
