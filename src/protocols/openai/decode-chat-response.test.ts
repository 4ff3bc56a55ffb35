import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeChatResponse } from './decode-chat-response.js';
import { mapFinishReason } from './map-finish-reason.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('decodeChatResponse', () => {
  it('decodes text, logprobs, usage and metadata', () => {
    expect(decodeChatResponse(fixture('chat-basic.json'), 'openai', 'fallback')).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-4.1-2025-04-14',
      created: 1741569952,
      choices: [
        {
          index: 0,
          content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          logprobs: [
            {
              token: 'Hello',
              logprob: -0.31725305,
              bytes: [72, 101, 108, 108, 111],
              topLogprobs: [
                { token: 'Hello', logprob: -0.31725305, bytes: [72, 101, 108, 108, 111] },
                { token: 'Hi', logprob: -1.3190403, bytes: [72, 105] },
              ],
            },
          ],
        },
      ],
      usage: { inputTokens: 19, outputTokens: 10, totalTokens: 29, cacheReadTokens: 0, reasoningTokens: 0 },
      systemFingerprint: 'fp_e4c5d8e0a8',
      serviceTier: 'default',
    });
  });

  it('decodes tool calls with cached prompt tokens', () => {
    const res = decodeChatResponse(fixture('chat-tool-calls.json'), 'openai', 'fallback');
    expect(res.choices[0]?.content).toEqual([
      { type: 'tool-call', id: 'call_abc123', name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' },
      { type: 'tool-call', id: 'call_def456', name: 'get_time', arguments: '{"tz":"EST"}' },
    ]);
    expect(res.choices[0]?.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(res.usage).toEqual({ inputTokens: 82, outputTokens: 17, totalTokens: 99, cacheReadTokens: 64, reasoningTokens: 0 });
  });

  it('decodes DeepSeek reasoning_content and its cache-hit counter', () => {
    const res = decodeChatResponse(fixture('deepseek-reasoning.json'), 'deepseek', 'fallback');
    expect(res.choices[0]?.content).toEqual([
      { type: 'reasoning', text: 'Compare the tenths digit: 1 < 8.' },
      { type: 'text', text: '9.11 is smaller than 9.8.' },
    ]);
    expect(res.usage).toEqual({ inputTokens: 20, outputTokens: 180, totalTokens: 200, cacheReadTokens: 0, reasoningTokens: 150 });
    const noDetails = decodeChatResponse(
      { choices: [{ message: { content: 'x' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11, prompt_cache_hit_tokens: 6 } },
      'deepseek',
      'deepseek-chat',
    );
    expect(noDetails.usage.cacheReadTokens).toBe(6);
    expect(noDetails.model).toBe('deepseek-chat');
  });

  it('decodes `reasoning` (vLLM/OpenRouter), refusals and missing fields', () => {
    const res = decodeChatResponse(
      { choices: [{ message: { role: 'assistant', content: null, reasoning: 'hmm', refusal: "I can't help with that." }, finish_reason: 'content_filter' }] },
      'vllm',
      'served-model',
    );
    expect(res.choices[0]).toEqual({
      index: 0,
      content: [{ type: 'reasoning', text: 'hmm' }],
      refusal: "I can't help with that.",
      finishReason: { unified: 'content-filter', raw: 'content_filter' },
    });
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it('rejects a body without choices as a bad upstream response', () => {
    expect(() => decodeChatResponse({ object: 'list' }, 'x', 'm')).toThrow(expect.objectContaining({ code: 'upstream_bad_response', retryable: true }));
  });
});

describe('mapFinishReason', () => {
  it('keeps the raw value and maps the known ones', () => {
    expect(mapFinishReason('length')).toEqual({ unified: 'length', raw: 'length' });
    expect(mapFinishReason('function_call')).toEqual({ unified: 'tool-calls', raw: 'function_call' });
    expect(mapFinishReason('insufficient_system_resource')).toEqual({ unified: 'error', raw: 'insufficient_system_resource' });
    expect(mapFinishReason('weird')).toEqual({ unified: 'other', raw: 'weird' });
    expect(mapFinishReason(null)).toEqual({ unified: 'other' });
  });
});
