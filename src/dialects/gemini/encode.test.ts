import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatResponse, type StreamPart } from '../../spec/index.js';
import { encodeGeminiError } from './encode-error.js';
import { encodeGenerateContentResponse } from './encode-response.js';
import { createGeminiStreamEncoder } from './stream-encoder.js';

const noWarn = (): void => {};

describe('encodeGenerateContentResponse', () => {
  const res: ChatResponse = {
    id: 'resp-1',
    model: 'gpt-4o-mini',
    created: 0,
    choices: [
      {
        index: 0,
        content: [
          { type: 'reasoning', text: 'Let me think.', signature: 'sig-a' },
          { type: 'text', text: 'Calling the tool.' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"x":1}' },
        ],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      },
    ],
    usage: { inputTokens: 10, outputTokens: 8, totalTokens: 18, reasoningTokens: 3, cacheReadTokens: 4 },
  };

  it('hides thoughts unless asked, keeps their signature on the next part, and splits thoughts out of the candidate count', () => {
    expect(encodeGenerateContentResponse(res, { includeThoughts: false, requestedModel: 'gem', warn: noWarn })).toEqual({
      candidates: [
        {
          index: 0,
          finishReason: 'STOP',
          content: { role: 'model', parts: [{ text: 'Calling the tool.', thoughtSignature: 'sig-a' }, { functionCall: { id: 'call_1', name: 'f', args: { x: 1 } } }] },
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 3, cachedContentTokenCount: 4, totalTokenCount: 18 },
      modelVersion: 'gpt-4o-mini',
      responseId: 'resp-1',
    });
    const withThoughts = encodeGenerateContentResponse(res, { includeThoughts: true, requestedModel: 'gem', warn: noWarn });
    expect(withThoughts.candidates?.[0]?.content?.parts[0]).toEqual({ text: 'Let me think.', thought: true, thoughtSignature: 'sig-a' });
  });

  it('maps finish reasons to Gemini words, keeping a Gemini upstream’s own', () => {
    const finish = (unified: 'length' | 'content-filter' | 'error', raw?: string) =>
      encodeGenerateContentResponse({ ...res, choices: [{ index: 0, content: [], finishReason: { unified, ...(raw ? { raw } : {}) } }] }, { includeThoughts: false, requestedModel: 'gem', warn: noWarn }).candidates?.[0]?.finishReason;
    expect(finish('length')).toBe('MAX_TOKENS');
    expect(finish('content-filter')).toBe('SAFETY');
    expect(finish('content-filter', 'RECITATION')).toBe('RECITATION');
    expect(finish('error')).toBe('OTHER');
  });
});

describe('createGeminiStreamEncoder', () => {
  it('streams text as it comes, a function call whole at its finish, and closes with the finish reason and usage', () => {
    const enc = createGeminiStreamEncoder({ includeThoughts: false, requestedModel: 'gem', warn: noWarn });
    const parts: StreamPart[] = [
      { type: 'start', id: 'r1', model: 'claude-x', created: 0 },
      { type: 'reasoning-delta', choice: 0, text: 'hidden' },
      { type: 'reasoning-signature', choice: 0, signature: 'sig' },
      { type: 'text-delta', choice: 0, text: 'Hel' },
      { type: 'text-delta', choice: 0, text: 'lo' },
      { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'c1', name: 'f' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"a"' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: ':2}' },
      { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls' } },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 } },
    ];
    const out = [...parts.flatMap((p) => enc.encode(p)), ...enc.end()];
    const base = { modelVersion: 'claude-x', responseId: 'r1' };
    expect(out).toEqual([
      { ...base, candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'Hel', thoughtSignature: 'sig' }] } }] },
      { ...base, candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'lo' }] } }] },
      { ...base, candidates: [{ index: 0, content: { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'f', args: { a: 2 } } }] } }] },
      { ...base, candidates: [{ index: 0, content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 7, totalTokenCount: 12 } },
    ]);
  });

  it('renders an error part in Google’s error shape, with RetryInfo when the upstream said when to retry', () => {
    const enc = createGeminiStreamEncoder({ includeThoughts: true, requestedModel: 'gem', warn: noWarn });
    const [frame] = enc.encode({ type: 'error', error: new GatewayError('upstream_rate_limited', { message: 'slow down', retryAfterMs: 1500 }) });
    expect(frame).toEqual({
      error: {
        code: 429,
        message: 'slow down',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'upstream_rate_limited', domain: 'switchyard' },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' },
        ],
      },
    });
    expect(encodeGeminiError(new GatewayError('invalid_request', { message: 'bad', param: 'contents' }))).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ metadata: { param: 'contents' } }] } });
  });
});
