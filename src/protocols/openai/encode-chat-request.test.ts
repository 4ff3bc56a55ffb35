import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatRequest, type UpstreamTarget } from '../../spec/index.js';
import { encodeChatRequest } from './encode-chat-request.js';

const target: UpstreamTarget = { provider: 'openai', baseUrl: 'http://x/v1', model: 'gpt-4o-mini', auth: { kind: 'bearer' } };

function encode(req: Partial<ChatRequest>, t: Partial<UpstreamTarget> = {}): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const body = encodeChatRequest({ model: 'public', messages: [], ...req }, { ...target, ...t }, { warn: (m) => warnings.push(m) });
  return { body, warnings };
}

describe('encodeChatRequest', () => {
  it('encodes every message kind and content part', () => {
    const { body, warnings } = encode({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'system', developer: true, content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        {
          role: 'user',
          name: 'ann',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0' }, detail: 'low' },
            { type: 'image', source: { kind: 'url', url: 'https://x/cat.jpg' } },
            { type: 'audio', data: 'UklGR', format: 'wav' },
            { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBER' }, filename: 'a.pdf' },
            { type: 'file', source: { kind: 'file-id', fileId: 'file-1' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', toolName: 'lookup', content: [{ type: 'text', text: 'a cat' }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_2', name: 'noop', arguments: '{}' }] },
      ],
    });
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        {
          role: 'user',
          name: 'ann',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://x/cat.jpg' } },
            { type: 'input_audio', input_audio: { data: 'UklGR', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
            { type: 'file', file: { file_id: 'file-1' } },
          ],
        },
        { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'noop', arguments: '{}' } }] },
      ],
    });
    expect(warnings).toEqual(['reasoning from earlier assistant turns is not sent to OpenAI-compatible upstreams']);
  });

  it('maps every sampling and tool option', () => {
    const { body } = encode({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      tools: [{ type: 'function', name: 'f', description: 'does f', parameters: { type: 'object' }, strict: true }],
      toolChoice: { type: 'tool', name: 'f' },
      parallelToolCalls: false,
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 100,
      stop: ['END'],
      seed: 7,
      n: 2,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      logitBias: { '50256': -100 },
      logprobs: true,
      topLogprobs: 3,
      user: 'u-1',
      reasoningEffort: 'low',
      metadata: { app: 'x' },
    });
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'f', description: 'does f', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 100,
      stop: ['END'],
      seed: 7,
      n: 2,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      logit_bias: { '50256': -100 },
      logprobs: true,
      top_logprobs: 3,
      user: 'u-1',
      reasoning_effort: 'low',
      metadata: { app: 'x' },
    });
    expect(encode({ toolChoice: { type: 'required' }, responseFormat: { type: 'json_object' } }).body).toMatchObject({ tool_choice: 'required', response_format: { type: 'json_object' } });
  });

  it('always asks for usage when streaming, unless the provider forbids stream_options', () => {
    expect(encode({ stream: true }).body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const { body } = encode({ stream: true }, { quirks: { noStreamOptions: true } });
    expect(body.stream).toBe(true);
    expect('stream_options' in body).toBe(false);
  });

  it('merges extraBody and providerOptions verbatim, and reports foreign provider options', () => {
    const { body, warnings } = encode(
      { extraBody: { top_a: 0.5 }, providerOptions: { openai: { store: true }, deepseek: { thinking: { type: 'enabled' } }, anthropic: { x: 1 } } },
      { provider: 'deepseek' },
    );
    expect(body).toMatchObject({ top_a: 0.5, store: true, thinking: { type: 'enabled' } });
    expect(body).not.toHaveProperty('x');
    expect(warnings).toEqual(['providerOptions.anthropic is ignored by the OpenAI protocol']);
  });

  it('applies quirks: unsupported params warn, renames, single system message', () => {
    const { body, warnings } = encode(
      {
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'one' }] },
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'system', content: [{ type: 'text', text: 'two' }] },
        ],
        maxOutputTokens: 50,
        seed: 1,
        topK: 40,
      },
      { provider: 'groq', quirks: { unsupportedParams: ['seed', 'top_k'], renameParams: { max_completion_tokens: 'max_tokens' }, singleSystemMessage: true } },
    );
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'one\n\ntwo' },
        { role: 'user', content: 'hi' },
      ],
      max_tokens: 50,
    });
    expect(warnings).toEqual(['seed is not supported by groq and was not sent', 'top_k is not supported by groq and was not sent']);
  });

  it('fails with a 400 naming the field for n above maxN and for images without vision', () => {
    const n = catchError(() => encode({ n: 3 }, { quirks: { maxN: 1 } }));
    expect(n).toMatchObject({ code: 'unsupported_parameter', status: 400, param: 'n' });
    const img = catchError(() =>
      encode(
        { messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] }] },
        { provider: 'deepseek', quirks: { noVision: true } },
      ),
    );
    expect(img).toMatchObject({ code: 'unsupported_parameter', status: 400, param: 'messages[0].content[1]' });
    const fileUrl = catchError(() => encode({ messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'url', url: 'https://x/a.pdf' } }] }] }));
    expect(fileUrl).toMatchObject({ status: 400, param: 'messages[0].content[0]' });
  });

  it('reports options OpenAI cannot express instead of dropping them silently', () => {
    const { warnings } = encode({
      reasoningBudgetTokens: 1000,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x', cacheControl: { type: 'ephemeral' } }] },
        { role: 'tool', toolCallId: 'c', content: [{ type: 'text', text: 'boom' }], isError: true },
      ],
    });
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/cache_control[\s\S]*error flag[\s\S]*reasoningBudgetTokens/);
  });
});

function catchError(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}
