import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GatewayError, StreamPart } from '../../spec/index.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { mapDashScopeError } from './map-dashscope-error.js';

const recorded = readFileSync(new URL('./__fixtures__/dashscope-reasoning-tool.chunks.txt', import.meta.url), 'utf8');

async function decodeSplit(text: string, size: number): Promise<StreamPart[]> {
  const bytes = Buffer.from(text);
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: StreamPart[] = [];
  for await (const p of decodeStream(pieces(), { model: 'qwen-plus', provider: 'dashscope-native' })) out.push(p);
  return out;
}

describe('dashscope stream decoding', () => {
  it('decodes recorded reasoning and incremental tool-call frames identically at every split size', async () => {
    const whole = await decodeSplit(recorded, recorded.length);
    expect(whole[0]).toMatchObject({ type: 'start', id: '5f3c1a2b-0d4e-9a8b-bb7c-6d5e4f3a2b1c' });
    expect(whole.filter((p) => p.type === 'reasoning-delta')).toEqual([{ type: 'reasoning-delta', choice: 0, text: '用户想查天气' }]);
    expect(whole.filter((p) => p.type === 'tool-call-start')).toEqual([{ type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_8f2d', name: 'get_weather' }]);
    expect(JSON.parse(whole.filter((p) => p.type === 'tool-call-delta').map((p) => (p as { argumentsDelta: string }).argumentsDelta).join(''))).toEqual({ city: '杭州' });
    expect(whole.at(-2)).toEqual({ type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } });
    // Usage is cumulative per frame: only the last counts, once.
    expect(whole.filter((p) => p.type === 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 26, outputTokens: 13, totalTokens: 39, cacheReadTokens: 16, reasoningTokens: 4 } }]);
    for (const size of [1, 2, 5, 13, 100]) expect(await decodeSplit(recorded, size)).toEqual(whole);
  });

  it('turns an event:error frame into an error part (content moderation → content_filtered)', async () => {
    const parts = await decodeSplit('id:1\nevent:result\n:HTTP_STATUS/200\ndata:{"output":{"choices":[{"message":{"content":"a","role":"assistant"},"finish_reason":"null"}]}}\n\nid:2\nevent:error\n:HTTP_STATUS/400\ndata:{"code":"DataInspectionFailed","message":"Output data may contain inappropriate content.","request_id":"r"}\n\n', 7);
    const last = parts.at(-1) as { type: string; error: GatewayError };
    expect(last.type).toBe('error');
    expect(last.error.code).toBe('content_filtered');
    expect(last.error.message).toBe('Output data may contain inappropriate content.');
  });
});

describe('dashscope request encoding', () => {
  it('puts messages under input and everything else under parameters, with message results and incremental streams', () => {
    const warnings: string[] = [];
    const body = encodeRequest(
      {
        model: 'x',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'get_weather', arguments: '{"city":"杭州"}' }] },
          { role: 'tool', toolCallId: 'c1', content: [{ type: 'text', text: '{"temp":20}' }] },
        ],
        tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }],
        toolChoice: { type: 'tool', name: 'get_weather' },
        maxOutputTokens: 64,
        topK: 20,
        reasoningBudgetTokens: 500,
        frequencyPenalty: 0.5,
        providerOptions: { dashscope: { enable_search: true } },
      },
      'qwen-plus',
      true,
      (m) => warnings.push(m),
    );
    expect(body).toEqual({
      model: 'qwen-plus',
      input: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"杭州"}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: '{"temp":20}' },
        ],
      },
      parameters: {
        result_format: 'message',
        incremental_output: true,
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        max_tokens: 64,
        top_k: 20,
        enable_thinking: true,
        thinking_budget: 500,
        enable_search: true,
      },
    });
    expect(warnings).toEqual(['dashscope: frequency_penalty is not supported and was not sent']);
    expect(() => encodeRequest({ model: 'x', messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] }] }, 'qwen-plus', false, () => {})).toThrow(/messages\[0\]\.content\[0\]/);
  });
});

describe('dashscope error mapping', () => {
  it('keeps DashScope codes and messages, whatever framing the body came in', () => {
    expect(mapDashScopeError('d', 401, {}, '{"code":"InvalidApiKey","message":"Invalid API-key provided.","request_id":"r"}')).toMatchObject({ code: 'upstream_auth', clientCode: 'InvalidApiKey', message: 'Invalid API-key provided.' });
    expect(mapDashScopeError('d', 429, { 'retry-after': '3' }, '{"code":"Throttling.RateQuota","message":"Requests rate limit exceeded"}')).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 3000 });
    expect(mapDashScopeError('d', 400, {}, 'id:1\nevent:error\n:HTTP_STATUS/400\ndata:{"code":"InvalidParameter","message":"Range of input length should be [1, 30720]"}')).toMatchObject({ code: 'context_length_exceeded' });
    expect(mapDashScopeError('d', 400, {}, '{"code":"Arrearage","message":"Access denied, please make sure your account is in good standing."}').code).toBe('upstream_permission');
    expect(mapDashScopeError('d', 502, {}, '<html>bad gateway</html>').message).toContain('bad gateway');
  });
});
