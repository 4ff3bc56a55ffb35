import { describe, it, expect } from 'vitest';
import type { ChatRequest } from '../../spec/index.js';
import { decodeChatRequest } from './index.js';

const user = { role: 'user', content: 'hi' };
const base = { model: 'gpt-4o', messages: [user] };

function decode(extra: Record<string, unknown>) {
  return decodeChatRequest({ ...base, ...extra });
}

describe('decodeChatRequest: scalar fields', () => {
  const cases: [string, Record<string, unknown>, Partial<ChatRequest>][] = [
    ['temperature', { temperature: 0.7 }, { temperature: 0.7 }],
    ['top_p', { top_p: 0.9 }, { topP: 0.9 }],
    ['max_tokens', { max_tokens: 100 }, { maxOutputTokens: 100 }],
    ['max_completion_tokens', { max_completion_tokens: 50 }, { maxOutputTokens: 50 }],
    ['max_completion_tokens wins', { max_tokens: 100, max_completion_tokens: 50 }, { maxOutputTokens: 50 }],
    ['stop string', { stop: 'END' }, { stop: ['END'] }],
    ['stop array', { stop: ['a', 'b', 'c', 'd', 'e'] }, { stop: ['a', 'b', 'c', 'd', 'e'] }],
    ['seed', { seed: 42 }, { seed: 42 }],
    ['n', { n: 3 }, { n: 3 }],
    ['presence_penalty', { presence_penalty: -1.5 }, { presencePenalty: -1.5 }],
    ['frequency_penalty', { frequency_penalty: 2 }, { frequencyPenalty: 2 }],
    ['logit_bias', { logit_bias: { '50256': -100 } }, { logitBias: { '50256': -100 } }],
    ['logprobs', { logprobs: true, top_logprobs: 5 }, { logprobs: true, topLogprobs: 5 }],
    ['user', { user: 'u-1' }, { user: 'u-1' }],
    ['reasoning_effort', { reasoning_effort: 'xhigh' }, { reasoningEffort: 'xhigh' }],
    ['parallel_tool_calls', { parallel_tool_calls: false }, { parallelToolCalls: false }],
    ['stream', { stream: true }, { stream: true }],
    ['include_usage', { stream: true, stream_options: { include_usage: true } }, { stream: true, includeUsage: true }],
    ['metadata', { metadata: { a: 'b' } }, { metadata: { a: 'b' } }],
    ['response_format text', { response_format: { type: 'text' } }, { responseFormat: { type: 'text' } }],
    ['response_format json_object', { response_format: { type: 'json_object' } }, { responseFormat: { type: 'json_object' } }],
    [
      'response_format json_schema',
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true, description: 'd' } } },
      { responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true, description: 'd' } },
    ],
    ['tool_choice auto', { tool_choice: 'auto' }, { toolChoice: { type: 'auto' } }],
    ['tool_choice none', { tool_choice: 'none' }, { toolChoice: { type: 'none' } }],
    ['tool_choice required', { tool_choice: 'required' }, { toolChoice: { type: 'required' } }],
    ['tool_choice function', { tool_choice: { type: 'function', function: { name: 'f' } } }, { toolChoice: { type: 'tool', name: 'f' } }],
    ['legacy function_call', { function_call: { name: 'g' } }, { toolChoice: { type: 'tool', name: 'g' } }],
    ['legacy function_call auto', { function_call: 'auto' }, { toolChoice: { type: 'auto' } }],
    [
      'thinking, top_k and OpenAI extras go to extraBody',
      { thinking: { type: 'enabled', budget_tokens: 1024 }, top_k: 40, modalities: ['text'], store: true, service_tier: 'flex', prediction: { type: 'content', content: 'x' }, web_search_options: {}, audio: { voice: 'alloy' } },
      { extraBody: { thinking: { type: 'enabled', budget_tokens: 1024 }, top_k: 40, modalities: ['text'], store: true, service_tier: 'flex', prediction: { type: 'content', content: 'x' }, web_search_options: {}, audio: { voice: 'alloy' } } },
    ],
    ['unknown field kept verbatim', { some_vendor_flag: null }, { extraBody: { some_vendor_flag: null } }],
    ['other stream_options travel on', { stream: true, stream_options: { include_usage: false, include_obfuscation: false } }, { stream: true, includeUsage: false, extraBody: { stream_options: { include_obfuscation: false } } }],
  ];
  it.each(cases)('%s', (_name, extra, expected) => {
    const { request } = decode(extra);
    expect(request).toStrictEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], ...expected });
  });

  it('treats explicit nulls as absent', () => {
    const { request } = decode({ temperature: null, stop: null, tools: null, tool_choice: null, max_tokens: null, seed: null, response_format: null });
    expect(request).toStrictEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  });

  it('warns when max_tokens and max_completion_tokens disagree', () => {
    expect(decode({ max_tokens: 1, max_completion_tokens: 2 }).warnings).toEqual(["'max_tokens' was ignored because 'max_completion_tokens' is set"]);
  });
});

describe('decodeChatRequest: tools', () => {
  it('decodes function tools and legacy functions into one list', () => {
    const { request } = decode({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'w', parameters: { type: 'object' }, strict: true } }],
      functions: [{ name: 'legacy', parameters: { type: 'object', properties: {} } }],
    });
    expect(request.tools).toEqual([
      { type: 'function', name: 'get_weather', description: 'w', parameters: { type: 'object' }, strict: true },
      { type: 'function', name: 'legacy', parameters: { type: 'object', properties: {} } },
    ]);
  });

  it('prefers tool_choice over function_call and says so', () => {
    const d = decode({ tool_choice: 'required', function_call: 'auto' });
    expect(d.request.toolChoice).toEqual({ type: 'required' });
    expect(d.warnings).toHaveLength(1);
  });
});

describe('decodeChatRequest: messages', () => {
  it('decodes every role and part type', () => {
    const { request } = decodeChatRequest({
      model: 'm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'developer', content: [{ type: 'text', text: 'dev' }] },
        {
          role: 'user',
          name: 'alice',
          content: [
            { type: 'text', text: 'look', cache_control: { type: 'ephemeral' } },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'input_audio', input_audio: { data: 'UklG', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
            { type: 'file', file: { file_id: 'file-123' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'thinking…',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '42' },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }, { type: 'refusal', refusal: 'no' }], name: 'bot' },
      ],
    });
    expect(request.messages).toStrictEqual([
      { role: 'system', content: [{ type: 'text', text: 'be brief' }] },
      { role: 'system', developer: true, content: [{ type: 'text', text: 'dev' }] },
      {
        role: 'user',
        name: 'alice',
        content: [
          { type: 'text', text: 'look', cacheControl: { type: 'ephemeral' } },
          { type: 'image', source: { kind: 'url', url: 'https://x.test/a.png' }, detail: 'high' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
          { type: 'audio', data: 'UklG', format: 'wav' },
          { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' }, filename: 'a.pdf' },
          { type: 'file', source: { kind: 'file-id', fileId: 'file-123' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'thinking…' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '42' }] },
      { role: 'assistant', name: 'bot', refusal: 'no', content: [{ type: 'text', text: 'ok' }] },
    ]);
  });

  it('pairs legacy function_call and function results by a synthetic id', () => {
    const { request } = decodeChatRequest({
      model: 'm',
      messages: [
        user,
        { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{}' } },
        { role: 'function', name: 'lookup', content: 'result' },
      ],
    });
    const call = request.messages[1];
    const result = request.messages[2];
    expect(call).toEqual({ role: 'assistant', content: [{ type: 'tool-call', id: 'call_fn_1', name: 'lookup', arguments: '{}' }] });
    expect(result).toEqual({ role: 'tool', toolCallId: 'call_fn_1', toolName: 'lookup', content: [{ type: 'text', text: 'result' }] });
  });

  it('keeps thinking_blocks signatures for a round trip', () => {
    const { request } = decodeChatRequest({
      model: 'm',
      messages: [
        user,
        {
          role: 'assistant',
          content: 'answer',
          reasoning_content: 'ignored when blocks exist',
          thinking_blocks: [
            { type: 'thinking', thinking: 'step', signature: 'sig' },
            { type: 'redacted_thinking', data: 'opaque' },
          ],
        },
      ],
    });
    expect(request.messages[1]?.content).toEqual([
      { type: 'reasoning', text: 'step', signature: 'sig' },
      { type: 'reasoning', text: '', redactedData: 'opaque' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('applies message-level cache_control to the last text part', () => {
    const { request } = decodeChatRequest({
      model: 'm',
      messages: [{ role: 'system', content: 'long prompt', cache_control: { type: 'ephemeral', ttl: '1h' } }, user],
    });
    expect(request.messages[0]?.content).toEqual([{ type: 'text', text: 'long prompt', cacheControl: { type: 'ephemeral', ttl: '1h' } }]);
  });

  it('reports unknown message fields instead of dropping them silently, ignores empty echoes', () => {
    const d = decodeChatRequest({
      model: 'm',
      messages: [user, { role: 'assistant', content: 'x', audio: { id: 'a1' }, annotations: [], refusal: null }],
    });
    expect(d.warnings).toEqual(['messages[1].audio is not supported and was ignored']);
  });

  it('accepts an image_url given as a bare string and a file_id URL', () => {
    const { request } = decodeChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: 'http://x.test/i.jpg' }, { type: 'file', file: { file_id: 'https://x.test/doc.pdf' } }] }],
    });
    expect(request.messages[0]?.content).toEqual([
      { type: 'image', source: { kind: 'url', url: 'http://x.test/i.jpg' } },
      { type: 'file', source: { kind: 'url', url: 'https://x.test/doc.pdf' } },
    ]);
  });
});

describe('decodeChatRequest: gateway directives', () => {
  it('takes LiteLLM controls out of the upstream request', () => {
    const d = decode({
      fallbacks: ['gpt-4o-mini', { model: 'claude' }],
      num_retries: 2,
      timeout: 1.5,
      tags: ['a'],
      metadata: { tags: ['b', 'a'], trace_id: 't1', spend_logs_metadata: { x: 1 } },
      disable_fallbacks: true,
      mock_testing_fallbacks: true,
      mock_response: 'hi',
    });
    expect(d.gateway).toEqual({ tags: ['a', 'b'], fallbacks: ['gpt-4o-mini', 'claude'], numRetries: 2, timeoutMs: 1500, disableFallbacks: true });
    expect(d.request.metadata).toEqual({ trace_id: 't1' });
    expect(d.request.extraBody).toBeUndefined();
    expect([...d.warnings].sort()).toEqual(
      [
        'metadata.spend_logs_metadata is not a string and was not sent upstream',
        "'mock_testing_fallbacks' is not supported by this gateway and was ignored",
        "'mock_response' is not supported by this gateway and was ignored",
      ].sort(),
    );
  });

  it('returns empty directives when there are none', () => {
    expect(decode({}).gateway).toEqual({});
  });
});
