import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../spec/index.js';
import { encodeRequest, modelPath } from './encode-request.js';

function encode(req: Partial<ChatRequest>) {
  const warnings: string[] = [];
  const full: ChatRequest = { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], ...req };
  return { body: encodeRequest(full, (w) => warnings.push(w)), warnings };
}

describe('encodeRequest', () => {
  it('encodes a full request (snapshot of the outgoing body)', async () => {
    const { body, warnings } = encode({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris, as JSON?' }] },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        },
        { type: 'function', name: 'ping', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'tool', name: 'get_weather' },
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 512,
      stop: ['END'],
      seed: 7,
      n: 2,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      logprobs: true,
      topLogprobs: 3,
      reasoningEffort: 'low',
      responseFormat: { type: 'json_schema', name: 'weather', schema: { type: 'object', properties: { temp: { type: 'number' } }, additionalProperties: false } },
      providerOptions: { gemini: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }], cachedContent: 'cachedContents/abc' } },
    });
    expect(warnings).toEqual([
      'gemini: tool "get_weather" schema keywords Gemini does not support were dropped: additionalProperties',
      'gemini: response_format schema keywords Gemini does not support were dropped: additionalProperties',
    ]);
    await expect(JSON.stringify(body, null, 2) + '\n').toMatchFileSnapshot('./__fixtures__/encode-request-full.request.json');
  });

  it('maps every tool choice to functionCallingConfig', () => {
    expect(encode({ toolChoice: { type: 'auto' } }).body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(encode({ toolChoice: { type: 'none' } }).body.toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(encode({ toolChoice: { type: 'required' } }).body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
  });

  it('maps json_object and thinking budgets, and lets providerOptions thinkingLevel replace the budget', () => {
    expect(encode({ responseFormat: { type: 'json_object' } }).body.generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(encode({ reasoningBudgetTokens: 2000, reasoningEffort: 'high' }).body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 2000, includeThoughts: true } });
    expect(encode({ reasoningEffort: 'none' }).body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
    const gemini3 = encode({ reasoningEffort: 'high', providerOptions: { gemini: { thinkingConfig: { thinkingLevel: 'high' } } } }).body;
    expect(gemini3.generationConfig).toEqual({ thinkingConfig: { includeThoughts: true, thinkingLevel: 'high' } });
  });

  it('appends provider tools, merges generationConfig, and refuses to replace the conversation', () => {
    const { body } = encode({
      tools: [{ type: 'function', name: 'f' }],
      temperature: 1,
      providerOptions: { google: { tools: [{ googleSearch: {} }], generationConfig: { temperature: 0.5, responseModalities: ['TEXT'] } } },
    });
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'f' }] }, { googleSearch: {} }]);
    expect(body.generationConfig).toEqual({ temperature: 0.5, responseModalities: ['TEXT'] });
    expect(() => encode({ providerOptions: { gemini: { contents: [] } } })).toThrowError(/cannot replace the conversation/);
  });

  it('warns, never silently drops, what Gemini cannot honour', () => {
    const { body, warnings } = encode({
      logitBias: { '50256': -100 },
      user: 'u-1',
      parallelToolCalls: false,
      metadata: { team: 'a' },
      extraBody: { store: true },
      providerOptions: { anthropic: { thinking: {} } },
      tools: [{ type: 'function', name: 'f', strict: true }],
    });
    expect(warnings).toEqual([
      'gemini: strict mode for tool "f" is not supported; arguments are not schema-enforced',
      'gemini: parallel_tool_calls=false is not supported; the model may still call several tools at once',
      'gemini: providerOptions.anthropic is for another provider and was ignored',
      'gemini: logit_bias is not supported and was ignored',
      'gemini: `user` is not supported and was ignored',
      'gemini: `metadata` is not supported and was ignored',
      'gemini: unknown field `store` was ignored',
    ]);
    expect(Object.keys(body)).toEqual(['contents', 'tools']);
  });

  it('puts the model in the path, keeping tuned-model prefixes', () => {
    expect(modelPath('gemini-2.5-pro', 'generateContent')).toBe('/models/gemini-2.5-pro:generateContent');
    expect(modelPath('tunedModels/my-model', 'streamGenerateContent')).toBe('/tunedModels/my-model:streamGenerateContent');
  });
});
