import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import type { GeminiGenerateContentResponse } from './gemini-wire.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as GeminiGenerateContentResponse;

function decode(json: GeminiGenerateContentResponse) {
  const warnings: string[] = [];
  return { res: decodeResponse(json, 'requested-model', 'gemini', (w) => warnings.push(w)), warnings };
}

describe('decodeResponse', () => {
  it('decodes two candidates, joined text, logprobs, cached usage and citations', () => {
    const { res, warnings } = decode(fixture('gemini-text-two-candidates.json'));
    expect(res.id).toBe('8MIxaZ2pFqvUz7IP6qDF2Ao');
    expect(res.model).toBe('gemini-2.0-flash-001');
    expect(res.choices).toEqual([
      {
        index: 0,
        content: [{ type: 'text', text: 'The capital of France is Paris. It has been since 987.' }],
        finishReason: { unified: 'stop', raw: 'STOP' },
        logprobs: [{ token: 'The', logprob: -0.01, topLogprobs: [{ token: 'The', logprob: -0.01 }, { token: 'Paris', logprob: -4.6 }] }],
      },
      { index: 1, content: [{ type: 'text', text: 'Paris.' }], finishReason: { unified: 'length', raw: 'MAX_TOKENS' } },
    ]);
    expect(res.usage).toEqual({ inputTokens: 2048, outputTokens: 19, totalTokens: 2067, cacheReadTokens: 1900 });
    expect(res.providerMetadata?.['gemini']).toMatchObject({ candidates: [{ citationMetadata: { citationSources: [{ uri: 'https://en.wikipedia.org/wiki/Paris' }] } }, {}] });
    expect(warnings).toEqual([]);
  });

  it('decodes thoughts, signatures and function calls with generated ids; STOP with calls is tool-calls', () => {
    const { res } = decode({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Need weather.', thought: true },
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'U0lH' },
              { functionCall: { id: 'fc-upstream', name: 'get_time', args: {} } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 20, totalTokenCount: 35 },
    });
    const content = res.choices[0]!.content;
    expect(content[0]).toEqual({ type: 'reasoning', text: 'Need weather.' });
    expect(content[1]).toEqual({ type: 'reasoning', text: '', signature: 'U0lH' });
    expect(content[2]).toMatchObject({ type: 'tool-call', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect((content[2] as { id: string }).id).toMatch(/^call_[0-9a-f]{8}_0$/);
    expect(content[3]).toEqual({ type: 'tool-call', id: 'fc-upstream', name: 'get_time', arguments: '{}' });
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'STOP' });
    expect(res.usage).toEqual({ inputTokens: 10, outputTokens: 25, totalTokens: 35, reasoningTokens: 20 });
    expect(res.model).toBe('requested-model');
  });

  it('turns a blocked prompt into one empty content-filter choice and keeps the feedback', () => {
    const { res } = decode(fixture('gemini-prompt-blocked.json'));
    expect(res.choices).toEqual([{ index: 0, content: [], finishReason: { unified: 'content-filter', raw: 'PROHIBITED_CONTENT' } }]);
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 0, totalTokens: 9 });
    expect(res.providerMetadata?.['gemini']).toMatchObject({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } });
  });

  it('maps a SAFETY candidate to content-filter with its ratings', () => {
    const { res } = decode(fixture('gemini-candidate-safety.json'));
    expect(res.choices[0]).toEqual({ index: 0, content: [], finishReason: { unified: 'content-filter', raw: 'SAFETY' } });
    expect(res.providerMetadata?.['gemini']).toMatchObject({ candidates: [{ safetyRatings: expect.arrayContaining([expect.objectContaining({ blocked: true })]) }] });
  });

  it('warns about parts it cannot represent and rejects an answer with nothing in it', () => {
    const { warnings } = decode({ candidates: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'x' } }] }, finishReason: 'STOP' }] });
    expect(warnings).toEqual(['gemini: response part of kind "inlineData" has no unified equivalent and was dropped']);
    expect(() => decode({})).toThrowError(GatewayError);
  });
});
