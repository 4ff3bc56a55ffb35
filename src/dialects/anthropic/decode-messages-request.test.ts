import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { decodeMessagesRequest } from './index.js';

const user = { role: 'user', content: 'hi' };
const base = { model: 'claude-x', max_tokens: 100, messages: [user] };

function errorOf(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

describe('decodeMessagesRequest', () => {
  it('maps every field with a unified meaning', () => {
    const { request, warnings, betas, anthropicVersion } = decodeMessagesRequest(
      {
        ...base,
        system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        stream: true,
        metadata: { user_id: 'u-42' },
        thinking: { type: 'enabled', budget_tokens: 2048 },
        output_config: { effort: 'medium', format: { type: 'json_schema', schema: { type: 'object' } } },
      },
      { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'a-1, b-2,a-1' },
    );
    expect(request).toEqual({
      model: 'claude-x',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      stream: true,
      user: 'u-42',
      reasoningBudgetTokens: 2048,
      reasoningEffort: 'medium',
      responseFormat: { type: 'json_schema', name: 'output', schema: { type: 'object' } },
      providerOptions: { anthropic: { betas: ['a-1', 'b-2'] } },
    });
    expect(warnings).toEqual([]);
    expect(betas).toEqual(['a-1', 'b-2']);
    expect(anthropicVersion).toBe('2023-06-01');
  });

  it('keeps Anthropic-only fields for an Anthropic upstream (Claude Code sends these)', () => {
    const { request } = decodeMessagesRequest(
      {
        ...base,
        thinking: { type: 'adaptive' },
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        output_config: { effort: 'high', task_budget: 5 },
        service_tier: 'auto',
        some_future_field: 1,
      },
      {},
    );
    expect(request.reasoningEffort).toBe('high');
    expect(request.reasoningBudgetTokens).toBeUndefined();
    expect(request.providerOptions).toEqual({
      anthropic: {
        thinking: { type: 'adaptive' },
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        output_config: { task_budget: 5 },
        service_tier: 'auto',
        some_future_field: 1,
      },
    });
  });

  it('decodes a tool conversation: tool_use ids, names for results, results before text, system role in place', () => {
    const { request } = decodeMessagesRequest(
      {
        ...base,
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'system', content: 'Reminder: be brief.' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'Need a tool.', signature: 'sig-1' },
              { type: 'redacted_thinking', data: 'opaque' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'here you go' },
              { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '21C' }], is_error: true },
            ],
          },
        ],
      },
      {},
    );
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      { role: 'system', content: [{ type: 'text', text: 'Reminder: be brief.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Need a tool.', signature: 'sig-1' },
          { type: 'reasoning', text: '', redactedData: 'opaque' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', toolName: 'get_weather', isError: true, content: [{ type: 'text', text: '21C' }] },
      { role: 'user', content: [{ type: 'text', text: 'here you go' }] },
    ]);
  });

  it('decodes images and documents of every source kind', () => {
    const { request } = decodeMessagesRequest(
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
              { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'a.pdf' },
              { type: 'document', source: { type: 'url', url: 'https://x/z.pdf' } },
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain body' }, title: 'Notes' },
              { type: 'document', source: { type: 'file', file_id: 'file_1' } },
            ],
          },
        ],
      },
      {},
    );
    expect(request.messages[0]!.content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
      { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' }, filename: 'a.pdf' },
      { type: 'file', source: { kind: 'url', url: 'https://x/z.pdf' } },
      { type: 'text', text: 'Notes\n\nplain body' },
      { type: 'file', source: { kind: 'file-id', fileId: 'file_1' } },
    ]);
  });

  it('maps tools and every tool_choice; server tools are left out with a warning', () => {
    const tools = [
      { name: 'get_weather', description: 'd', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } },
      { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
    ];
    const decode = (tool_choice: unknown) => decodeMessagesRequest({ ...base, tools, tool_choice }, {});
    const auto = decode({ type: 'auto', disable_parallel_tool_use: true });
    expect(auto.request.tools).toEqual([{ type: 'function', name: 'get_weather', description: 'd', parameters: { type: 'object', properties: {} } }]);
    expect(auto.request.toolChoice).toEqual({ type: 'auto' });
    expect(auto.request.parallelToolCalls).toBe(false);
    expect(auto.warnings).toEqual([
      'tools.0.cache_control: caching hints on tools are not carried to this upstream; ignored',
      'tools.1: Anthropic server tool "web_search_20250305" cannot run on this upstream; omitted',
    ]);
    expect(decode({ type: 'any' }).request.toolChoice).toEqual({ type: 'required' });
    expect(decode({ type: 'none' }).request.toolChoice).toEqual({ type: 'none' });
    expect(decode({ type: 'tool', name: 'get_weather' }).request.toolChoice).toEqual({ type: 'tool', name: 'get_weather' });
    const forced = decode({ type: 'tool', name: 'web_search' });
    expect(forced.request.toolChoice).toBeUndefined();
    expect(forced.warnings).toContain('tool_choice.name: "web_search" is an Anthropic server tool this upstream cannot run; tool choice not forced');
  });

  it('notes what only an Anthropic upstream could take, without failing the request', () => {
    const decoded = decodeMessagesRequest(
      {
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_img' } }] },
          { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} }] },
        ],
      },
      {},
    );
    expect(decoded.untranslatable).toMatchObject({ code: 'unsupported_parameter', param: 'messages.0.content.0', status: 400 });
    expect(decoded.warnings).toEqual(['messages.1.content.0: "server_tool_use" blocks (Anthropic server tools) cannot be translated for this upstream; omitted']);
  });

  it('does not require max_tokens for count_tokens', () => {
    const { request } = decodeMessagesRequest({ model: 'm', messages: [user] }, {}, { requireMaxTokens: false });
    expect(request.maxOutputTokens).toBeUndefined();
  });
});

/** [case, body, param, message] */
const cases: [string, unknown, string | null, string][] = [
  ['body not an object', [1], null, 'The request body must be a JSON object.'],
  ['missing model', { max_tokens: 1, messages: [user] }, 'model', 'model: Field required'],
  ['missing max_tokens', { model: 'm', messages: [user] }, 'max_tokens', 'max_tokens: Field required'],
  ['max_tokens zero', { ...base, max_tokens: 0 }, 'max_tokens', 'max_tokens: Input should be greater than or equal to 1'],
  ['max_tokens not an integer', { ...base, max_tokens: 1.5 }, 'max_tokens', 'max_tokens: Input should be a valid integer, not a number'],
  ['missing messages', { model: 'm', max_tokens: 1 }, 'messages', 'messages: Field required'],
  ['bad role', { ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role', "messages.0.role: Input should be 'user', 'assistant' or 'system'"],
  ['missing content', { ...base, messages: [{ role: 'user' }] }, 'messages.0.content', 'messages.0.content: Field required'],
  ['block without type', { ...base, messages: [{ role: 'user', content: [{ text: 'x' }] }] }, 'messages.0.content.0.type', 'Field required'],
  ['text block without text', { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages.0.content.0.text', 'Field required'],
  ['bad image source', { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'ftp' } }] }] }, 'messages.0.content.0.source.type', "Input should be 'base64', 'url' or 'file'"],
  ['tool_use input not an object', { ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'n', input: '{}' }] }] }, 'messages.0.content.0.input', 'valid dictionary'],
  ['tool_result without id', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, 'messages.0.content.0.tool_use_id', 'Field required'],
  ['thinking without signature', { ...base, messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 't' }] }] }, 'messages.0.content.0.signature', 'Field required'],
  ['image in system', { ...base, system: [{ type: 'image', source: {} }] }, 'system.0.type', "Input should be 'text'"],
  ['temperature above 1', { ...base, temperature: 1.5 }, 'temperature', 'temperature: Input should be less than or equal to 1'],
  ['top_k negative', { ...base, top_k: -1 }, 'top_k', 'greater than or equal to 0'],
  ['stop_sequences not strings', { ...base, stop_sequences: ['a', 3] }, 'stop_sequences.1', 'valid string'],
  ['tool without schema', { ...base, tools: [{ name: 't' }] }, 'tools.0.input_schema', 'Field required'],
  ['tool without name', { ...base, tools: [{ input_schema: {} }] }, 'tools.0.name', 'Field required'],
  ['bad tool_choice', { ...base, tool_choice: { type: 'required' } }, 'tool_choice.type', "Input should be 'auto', 'any', 'tool' or 'none'"],
  ['tool_choice tool without name', { ...base, tool_choice: { type: 'tool' } }, 'tool_choice.name', 'Field required'],
  ['thinking enabled without budget', { ...base, thinking: { type: 'enabled' } }, 'thinking.budget_tokens', 'Field required'],
  ['bad effort', { ...base, output_config: { effort: 'extreme' } }, 'output_config.effort', "Input should be 'low'"],
  ['format without schema', { ...base, output_config: { format: { type: 'json_schema' } } }, 'output_config.format.schema', 'Field required'],
  ['metadata user_id not a string', { ...base, metadata: { user_id: 5 } }, 'metadata.user_id', 'valid string'],
  ['bad cache_control', { ...base, system: [{ type: 'text', text: 's', cache_control: { type: 'forever' } }] }, 'system.0.cache_control.type', "Input should be 'ephemeral'"],
];

describe('decodeMessagesRequest validation', () => {
  for (const [name, body, param, message] of cases) {
    it(`400 for ${name}`, () => {
      const err = errorOf(() => decodeMessagesRequest(body, {}));
      expect(err.status).toBe(400);
      expect(err.param).toBe(param);
      expect(err.message).toContain(message);
    });
  }
});
