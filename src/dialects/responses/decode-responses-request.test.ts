import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { buildChatRequest, resolveItemReferences } from './build-chat-request.js';
import { decodeResponsesRequest } from './decode-responses-request.js';
import type { ResponseItem } from './response-types.js';

function fails(body: unknown): GatewayError {
  try {
    decodeResponsesRequest(body);
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

function chat(body: Record<string, unknown>, history: ResponseItem[] = []) {
  const d = decodeResponsesRequest({ model: 'm', ...body });
  const warnings = [...d.warnings];
  return { decoded: d, request: buildChatRequest(d, history, resolveItemReferences(d.input, history), (w) => warnings.push(w)), warnings };
}

describe('decodeResponsesRequest', () => {
  it('maps the options a chat upstream understands', () => {
    const { request } = chat({
      input: 'hi',
      instructions: 'Be brief.',
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 100,
      parallel_tool_calls: false,
      reasoning: { effort: 'medium' },
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
      metadata: { a: 'b' },
      user: 'u1',
      stream: true,
      prompt_cache_key: 'k',
    });
    expect(request).toEqual({
      model: 'm',
      stream: true,
      includeUsage: true,
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 100,
      parallelToolCalls: false,
      reasoningEffort: 'medium',
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      metadata: { a: 'b' },
      user: 'u1',
      extraBody: { verbosity: 'low', prompt_cache_key: 'k' },
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
    });
  });

  it('folds assistant items into one turn and pairs tool output with its call', () => {
    const { request } = chat({
      input: [
        { role: 'developer', content: 'rules' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me check.' }] },
        { type: 'function_call', call_id: 'c1', name: 'close_agent', namespace: 'multi', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'closed' }] },
      ],
      tools: [{ type: 'namespace', name: 'multi', description: 'agents', tools: [{ type: 'function', name: 'close_agent', parameters: { type: 'object' } }] }],
    });
    expect(request.tools).toEqual([{ type: 'function', name: 'multi__close_agent', parameters: { type: 'object' } }]);
    expect(request.messages).toEqual([
      { role: 'system', developer: true, content: [{ type: 'text', text: 'rules' }] },
      { role: 'user', content: [{ type: 'text', text: 'q' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' }, detail: 'low' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool-call', id: 'c1', name: 'multi__close_agent', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', toolName: 'multi__close_agent', content: [{ type: 'text', text: 'closed' }] },
    ]);
  });

  it('accepts item references to the stored history (already in the conversation, so not repeated) and nothing else', () => {
    const history: ResponseItem[] = [
      { type: 'message', id: 'msg_1', role: 'user', content: [{ type: 'input_text', text: 'first' }] },
      { type: 'function_call', id: 'fc_1', call_id: 'c9', name: 'f', arguments: '{}' },
    ];
    const { request } = chat({ input: [{ type: 'item_reference', id: 'fc_1' }, { type: 'function_call_output', call_id: 'c9', output: 'ok' }] }, history);
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    const e = (() => {
      try {
        chat({ input: [{ type: 'item_reference', id: 'fc_missing' }] }, history);
      } catch (err) {
        return err as GatewayError;
      }
      throw new Error('expected an error');
    })();
    expect(e.param).toBe('input[0].id');
  });

  it('names the field at fault', () => {
    expect(fails({ input: 'x' }).param).toBe('model');
    expect(fails({ model: 'm' }).param).toBe('input');
    expect(fails({ model: 'm', input: [{ type: 'message', role: 'robot', content: 'x' }] }).param).toBe('input[0].role');
    expect(fails({ model: 'm', input: [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }] }).param).toBe('input[0].content[0].type');
    expect(fails({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'ftp://x' }] }] }).param).toBe('input[0].content[0].image_url');
    expect(fails({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f' }] }).param).toBe('input[0].arguments');
    expect(fails({ model: 'm', input: 'x', temperature: 3 }).param).toBe('temperature');
    expect(fails({ model: 'm', input: 'x', text: { format: { type: 'xml' } } }).param).toBe('text.format.type');
    expect(fails({ model: 'm', input: 'x', include: ['nope'] }).param).toBe('include[0]');
    expect(fails({ model: 'm', input: 'x', stream_options: {} }).param).toBe('stream_options');
  });

  it('refuses what only OpenAI servers can do, by name', () => {
    for (const [body, param] of [
      [{ tools: [{ type: 'file_search', vector_store_ids: ['v'] }] }, 'tools[0].type'],
      [{ tools: [{ type: 'custom', name: 'apply_patch' }] }, 'tools[0].type'],
      [{ tool_choice: { type: 'web_search' } }, 'tool_choice.type'],
      [{ input: [{ type: 'local_shell_call', id: 'x', call_id: 'c', action: {}, status: 'completed' }] }, 'input[0].type'],
      [{ background: true }, 'background'],
      [{ conversation: 'conv_1' }, 'conversation'],
      [{ prompt: { id: 'pmpt_1' } }, 'prompt'],
    ] as const) {
      const e = fails({ model: 'm', input: 'x', ...body });
      expect(e.code, JSON.stringify(body)).toBe('unsupported_parameter');
      expect(e.param).toBe(param);
    }
  });

  it('reports, rather than drops silently, what has no chat equivalent', () => {
    const { warnings } = chat({ input: 'x', truncation: 'auto', max_tool_calls: 3, client_metadata: { a: 1 }, include: ['message.output_text.logprobs'], frobnicate: 1 });
    expect(warnings.join('\n')).toContain("truncation 'auto'");
    expect(warnings.join('\n')).toContain("'max_tool_calls'");
    expect(warnings.join('\n')).toContain("'client_metadata'");
    expect(warnings.join('\n')).toContain('logprobs');
    expect(warnings.join('\n')).toContain("'frobnicate'");
  });

  it('rejects a tool output whose call is not in the conversation', () => {
    const e = (() => {
      try {
        chat({ input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] });
      } catch (err) {
        return err as GatewayError;
      }
      throw new Error('expected an error');
    })();
    expect(e.param).toBe('input[0].call_id');
    expect(e.message).toContain('nope');
  });
});
