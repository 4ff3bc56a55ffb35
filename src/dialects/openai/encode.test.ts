import { describe, it, expect } from 'vitest';
import { GatewayError, type ChatResponse } from '../../spec/index.js';
import {
  decodeCompletionRequest,
  decodeEmbeddingRequest,
  encodeChatResponse,
  encodeEmbeddingResponse,
  encodeError,
  encodeModel,
  encodeModelList,
  mapFinishReason,
} from './index.js';

const baseResponse: ChatResponse = {
  id: 'chatcmpl-1',
  model: 'gpt-4o-2024-08-06',
  created: 1700000000,
  choices: [{ index: 0, content: [{ type: 'text', text: 'Hello' }], finishReason: { unified: 'stop', raw: 'stop' } }],
  usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 },
};

describe('encodeChatResponse', () => {
  it('encodes a plain text completion', () => {
    expect(encodeChatResponse(baseResponse)).toStrictEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 2,
        total_tokens: 12,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it('encodes tool calls with null content, reasoning, cache usage, fingerprint and tier', () => {
    const res: ChatResponse = {
      ...baseResponse,
      systemFingerprint: 'fp_1',
      serviceTier: 'default',
      choices: [
        {
          index: 0,
          content: [
            { type: 'reasoning', text: 'Let me think', signature: 'sig-1' },
            { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'call_b', name: 'get_time', arguments: '{}' },
          ],
          finishReason: { unified: 'tool-calls', raw: 'tool_use' },
        },
      ],
      usage: { inputTokens: 100, outputTokens: 40, totalTokens: 140, cacheReadTokens: 60, cacheWriteTokens: 20, reasoningTokens: 30 },
    };
    expect(encodeChatResponse(res)).toStrictEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            reasoning_content: 'Let me think',
            thinking_blocks: [{ type: 'thinking', thinking: 'Let me think', signature: 'sig-1' }],
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 40,
        total_tokens: 140,
        prompt_tokens_details: { cached_tokens: 60 },
        completion_tokens_details: { reasoning_tokens: 30 },
        cache_creation_input_tokens: 20,
      },
      system_fingerprint: 'fp_1',
      service_tier: 'default',
    });
  });

  it('encodes refusals, logprobs, empty answers and several choices', () => {
    const res: ChatResponse = {
      ...baseResponse,
      choices: [
        { index: 0, content: [], refusal: 'I cannot help', finishReason: { unified: 'stop' } },
        {
          index: 1,
          content: [{ type: 'text', text: 'Hi' }],
          finishReason: { unified: 'length' },
          logprobs: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], topLogprobs: [{ token: 'Hi', logprob: -0.1 }] }],
        },
        { index: 2, content: [], finishReason: { unified: 'content-filter', raw: 'SAFETY' } },
      ],
    };
    const out = encodeChatResponse(res) as { choices: unknown[] };
    expect(out.choices).toStrictEqual([
      { index: 0, message: { role: 'assistant', content: null, refusal: 'I cannot help' }, logprobs: null, finish_reason: 'stop' },
      {
        index: 1,
        message: { role: 'assistant', content: 'Hi', refusal: null },
        logprobs: {
          content: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: null }] }],
          refusal: null,
        },
        finish_reason: 'length',
      },
      { index: 2, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' },
    ]);
  });
});

describe('mapFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool-calls', 'tool_calls'],
    ['content-filter', 'content_filter'],
    ['error', 'stop'],
    ['other', 'stop'],
  ] as const)('%s → %s', (unified, expected) => {
    expect(mapFinishReason({ unified })).toBe(expected);
  });
});

describe('errors and models', () => {
  it('encodes a GatewayError in OpenAI shape with its client code', () => {
    const err = new GatewayError('upstream_rate_limited', { message: 'Slow down', clientCode: 'rate_limit_exceeded' });
    expect(encodeError(err)).toStrictEqual({ error: { message: 'Slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } });
    const bad = new GatewayError('invalid_request', { message: 'x', param: 'messages[0].role' });
    expect(encodeError(bad)).toStrictEqual({ error: { message: 'x', type: 'invalid_request_error', param: 'messages[0].role', code: 'invalid_request' } });
  });

  it('encodes models', () => {
    const m = { id: 'gpt-4o', created: 1, ownedBy: 'switchyard' };
    expect(encodeModel(m)).toStrictEqual({ id: 'gpt-4o', object: 'model', created: 1, owned_by: 'switchyard' });
    expect(encodeModelList([m])).toStrictEqual({ object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1, owned_by: 'switchyard' }] });
  });
});

describe('embeddings', () => {
  it.each([
    ['string', 'hello', ['hello']],
    ['strings', ['a', 'b'], ['a', 'b']],
    ['tokens', [1, 2, 3], [[1, 2, 3]]],
    ['token rows', [[1], [2, 3]], [[1], [2, 3]]],
  ])('decodes %s input', (_n, input, expected) => {
    expect(decodeEmbeddingRequest({ model: 'e', input }).request.input).toStrictEqual(expected);
  });

  it('decodes options, extras and directives', () => {
    const d = decodeEmbeddingRequest({
      model: 'text-embedding-3-small',
      input: 'x',
      dimensions: 256,
      encoding_format: 'base64',
      user: 'u',
      input_type: 'query',
      tags: ['t'],
      metadata: { tags: ['m'] },
    });
    expect(d.request).toStrictEqual({
      model: 'text-embedding-3-small',
      input: ['x'],
      dimensions: 256,
      encodingFormat: 'base64',
      user: 'u',
      extraBody: { input_type: 'query' },
    });
    expect(d.gateway).toStrictEqual({ tags: ['t', 'm'] });
  });

  it('encodes the list response', () => {
    const out = encodeEmbeddingResponse({
      model: 'text-embedding-3-small',
      data: [{ index: 0, embedding: [0.1, 0.2] }, { index: 1, embedding: 'AAAA' }],
      usage: { inputTokens: 5, outputTokens: 0, totalTokens: 5 },
    });
    expect(out).toStrictEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        { object: 'embedding', index: 1, embedding: 'AAAA' },
      ],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
  });
});

describe('decodeCompletionRequest', () => {
  it('returns model and stream settings', () => {
    expect(decodeCompletionRequest({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' })).toStrictEqual({
      model: 'gpt-3.5-turbo-instruct',
      stream: false,
      includeUsage: false,
    });
    expect(
      decodeCompletionRequest({ model: 'c', prompt: [[1, 2]], stream: true, stream_options: { include_usage: true }, echo: true }),
    ).toStrictEqual({ model: 'c', stream: true, includeUsage: true });
  });
});

describe('embedding encoding follows what the client asked for', () => {
  it('turns float vectors into little-endian float32 base64 when base64 was requested', () => {
    const res = { model: 'm', data: [{ index: 0, embedding: [0.5, -1.25, 3] }], usage: { inputTokens: 2, outputTokens: 0, totalTokens: 2 } };
    const out = encodeEmbeddingResponse(res, 'base64') as { data: { embedding: string }[] };
    const buf = Buffer.from(out.data[0]!.embedding, 'base64');
    expect([buf.readFloatLE(0), buf.readFloatLE(4), buf.readFloatLE(8)]).toEqual([0.5, -1.25, 3]);
    expect((encodeEmbeddingResponse(res, 'float') as { data: { embedding: number[] }[] }).data[0]!.embedding).toEqual([0.5, -1.25, 3]);
    expect((encodeEmbeddingResponse({ ...res, data: [{ index: 0, embedding: 'AAAA' }] }, 'base64') as { data: { embedding: string }[] }).data[0]!.embedding).toBe('AAAA');
  });
});
