import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatResponse, type ErrorCode } from '../../spec/index.js';
import { encodeAnthropicError, encodeMessagesResponse } from './index.js';

function response(over: Partial<ChatResponse['choices'][number]> = {}, extra: Partial<ChatResponse> = {}): ChatResponse {
  return {
    id: 'chatcmpl-123',
    model: 'gpt-4o-2024',
    created: 1,
    choices: [{ index: 0, content: [{ type: 'text', text: 'Hi' }], finishReason: { unified: 'stop', raw: 'stop' }, ...over }],
    usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120, cacheReadTokens: 60, cacheWriteTokens: 10, reasoningTokens: 5 },
    ...extra,
  };
}

describe('encodeMessagesResponse', () => {
  it('builds an Anthropic message: msg_ id, requested model, usage with cache outside input', () => {
    expect(encodeMessagesResponse(response(), 'claude-public')).toEqual({
      id: 'msg_chatcmpl-123',
      type: 'message',
      role: 'assistant',
      model: 'claude-public',
      content: [{ type: 'text', text: 'Hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 30, output_tokens: 20, cache_creation_input_tokens: 10, cache_read_input_tokens: 60, output_tokens_details: { thinking_tokens: 5 } },
    });
  });

  it('orders thinking (with signature), text and tool_use blocks; tool input parsed from the arguments', () => {
    const out = encodeMessagesResponse(
      response({
        content: [
          { type: 'reasoning', text: 'hmm', signature: 'sig' },
          { type: 'reasoning', text: '', redactedData: 'opaque' },
          { type: 'reasoning', text: 'unsigned' },
          { type: 'text', text: 'Calling.' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":[1,2]}' },
          { type: 'tool-call', id: 'call_2', name: 'g', arguments: '' },
        ],
        finishReason: { unified: 'tool-calls' },
      }),
      'm',
    );
    expect(out.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'thinking', thinking: 'unsigned', signature: '' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool_use', id: 'call_1', name: 'f', input: { a: [1, 2] } },
      { type: 'tool_use', id: 'call_2', name: 'g', input: {} },
    ]);
    expect(out.stop_reason).toBe('tool_use');
  });

  it('keeps broken tool arguments as text and warns', () => {
    const warnings: string[] = [];
    const out = encodeMessagesResponse(response({ content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{"a":' }] }), 'm', (w) => warnings.push(w));
    expect(out.content).toEqual([{ type: 'tool_use', id: 'c', name: 'f', input: { _raw_arguments: '{"a":' } }]);
    expect(out.stop_reason).toBe('tool_use');
    expect(warnings[0]).toContain('not a JSON object');
  });

  it('maps finish reasons, keeping Anthropic raw values and the matched stop sequence', () => {
    const reason = (f: ChatResponse['choices'][number]['finishReason'], extra: Partial<ChatResponse> = {}) => {
      const out = encodeMessagesResponse(response({ finishReason: f }, extra), 'm');
      return [out.stop_reason, out.stop_sequence];
    };
    expect(reason({ unified: 'length' })).toEqual(['max_tokens', null]);
    expect(reason({ unified: 'content-filter', raw: 'SAFETY' })).toEqual(['refusal', null]);
    expect(reason({ unified: 'other', raw: 'pause_turn' })).toEqual(['pause_turn', null]);
    expect(reason({ unified: 'stop', raw: 'stop_sequence' }, { providerMetadata: { anthropic: { stopSequence: '###' } } })).toEqual(['stop_sequence', '###']);
  });

  it('keeps an upstream msg_ id as is and sends a refusal as text', () => {
    const out = encodeMessagesResponse(response({ content: [], refusal: 'I cannot help with that.', finishReason: { unified: 'content-filter' } }, { id: 'msg_01abc' }), 'm');
    expect(out.id).toBe('msg_01abc');
    expect(out.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    expect(out.stop_reason).toBe('refusal');
  });
});

describe('encodeAnthropicError', () => {
  const cases: [ErrorCode, number | undefined, string][] = [
    ['invalid_request', undefined, 'invalid_request_error'],
    ['invalid_json', undefined, 'invalid_request_error'],
    ['missing_api_key', undefined, 'authentication_error'],
    ['invalid_api_key', undefined, 'authentication_error'],
    ['model_not_allowed', undefined, 'permission_error'],
    ['model_not_found', undefined, 'not_found_error'],
    ['payload_too_large', undefined, 'request_too_large'],
    ['rate_limited', undefined, 'rate_limit_error'],
    ['budget_exceeded', undefined, 'rate_limit_error'],
    ['upstream_rate_limited', undefined, 'rate_limit_error'],
    ['upstream_overloaded', undefined, 'overloaded_error'],
    ['no_healthy_deployment', undefined, 'overloaded_error'],
    ['upstream_timeout', undefined, 'timeout_error'],
    ['upstream_error', undefined, 'api_error'],
    ['upstream_permission', 402, 'billing_error'],
    ['internal_error', undefined, 'api_error'],
  ];
  for (const [code, status, type] of cases) {
    it(`${code} → ${type}`, () => {
      const body = encodeAnthropicError(new GatewayError(code, { message: 'm', status }));
      expect(body).toEqual({ type: 'error', error: { type, message: 'm' } });
    });
  }

  it("keeps an Anthropic upstream's own error type and adds the request id", () => {
    const err = new GatewayError('upstream_overloaded', { message: 'Overloaded', provider: 'anthropic', clientCode: 'overloaded_error', status: 503 });
    expect(encodeAnthropicError(err, 'req_9')).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_9' });
    const openaiCode = new GatewayError('upstream_rate_limited', { message: 'slow', provider: 'openai', clientCode: 'rate_limit_exceeded' });
    expect(encodeAnthropicError(openaiCode)).toMatchObject({ error: { type: 'rate_limit_error' } });
  });
});
