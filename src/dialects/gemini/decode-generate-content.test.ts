import { describe, expect, it } from 'vitest';
import { decodeGenerateContent } from './decode-generate-content.js';
import { translatedRequest } from './translated-request.js';

const user = (text: string) => ({ role: 'user', parts: [{ text }] });

describe('decodeGenerateContent', () => {
  it('maps contents, the system instruction and generationConfig basics', () => {
    const { request, includeThoughts } = decodeGenerateContent(
      {
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        contents: [user('Hi'), { role: 'model', parts: [{ text: 'Hello.' }] }, user('Capital of France?')],
        generationConfig: { temperature: 0.2, topP: 0.9, topK: 40, maxOutputTokens: 100, stopSequences: ['END'], candidateCount: 2, seed: 7, presencePenalty: 0.1, frequencyPenalty: 0.2, responseLogprobs: true, logprobs: 3 },
      },
      'gem',
    );
    expect(request).toEqual({
      model: 'gem',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] },
      ],
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      n: 2,
      maxOutputTokens: 100,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      logprobs: true,
      topLogprobs: 3,
    });
    expect(includeThoughts).toBe(false);
  });

  it('pairs function responses with calls: by id when given, else the earliest unanswered call of that name', () => {
    const { request } = decodeGenerateContent(
      {
        contents: [
          user('Weather in Paris and Rome?'),
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { id: 'r1', name: 'get_weather', args: { city: 'Rome' } } }] },
          { role: 'user', parts: [{ functionResponse: { id: 'r1', name: 'get_weather', response: { t: 25 } } }, { functionResponse: { name: 'get_weather', response: { t: 21 } } }] },
        ],
      },
      'gem',
    );
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'tool-call', id: 'call_1_0', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'r1', name: 'get_weather', arguments: '{"city":"Rome"}' },
      ],
    });
    expect(request.messages.slice(2)).toEqual([
      { role: 'tool', toolCallId: 'r1', toolName: 'get_weather', content: [{ type: 'text', text: '{"t":25}' }] },
      { role: 'tool', toolCallId: 'call_1_0', toolName: 'get_weather', content: [{ type: 'text', text: '{"t":21}' }] },
    ]);
  });

  it('refuses a function response that answers no call, naming the field', () => {
    expect(() => decodeGenerateContent({ contents: [{ role: 'user', parts: [{ functionResponse: { name: 'x', response: {} } }] }] }, 'gem')).toThrow(
      expect.objectContaining({ status: 400, param: 'contents[0].parts[0].function_response.name' }),
    );
  });

  it('decodes inline media by MIME type and keeps thought signatures where the Gemini protocol reads them back', () => {
    const { request } = decodeGenerateContent(
      {
        contents: [
          { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBOR' } }, { inlineData: { mimeType: 'audio/mpeg', data: 'SUQz' } }, { fileData: { mimeType: 'application/pdf', fileUri: 'https://x/doc.pdf' } }] },
          { role: 'model', parts: [{ text: 'hmm', thought: true, thoughtSignature: 's1' }, { functionCall: { name: 'f', args: {} }, thoughtSignature: 's2' }] },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
        ],
      },
      'gem',
    );
    expect(request.messages[0]?.content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
      { type: 'audio', data: 'SUQz', format: 'mp3' },
      { type: 'file', source: { kind: 'url', url: 'https://x/doc.pdf' } },
    ]);
    expect(request.messages[1]?.content).toEqual([
      { type: 'reasoning', text: 'hmm', signature: 's1' },
      { type: 'reasoning', text: '', signature: 's2' },
      { type: 'tool-call', id: 'call_1_1', name: 'f', arguments: '{}' },
    ]);
  });

  it('converts Gemini schemas to JSON Schema and tool config to a tool choice', () => {
    const { request } = decodeGenerateContent(
      {
        contents: [user('x')],
        tools: [{ functionDeclarations: [{ name: 'f', description: 'd', parameters: { type: 'OBJECT', properties: { a: { type: 'STRING', nullable: true }, b: { type: 'ARRAY', items: { type: 'INTEGER' } } }, required: ['a'], propertyOrdering: ['a', 'b'] } }] }],
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
        generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { n: { type: 'NUMBER' } } } },
      },
      'gem',
    );
    expect(request.tools).toEqual([
      { type: 'function', name: 'f', description: 'd', parameters: { type: 'object', properties: { a: { type: ['string', 'null'] }, b: { type: 'array', items: { type: 'integer' } } }, required: ['a'] } },
    ]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(request.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema: { type: 'object', properties: { n: { type: 'number' } } } });
  });

  it('keeps Gemini-only fields for Gemini and names each one for other upstreams', () => {
    const decoded = decodeGenerateContent(
      {
        contents: [user('x'), { role: 'model', parts: [{ text: 'thinking…', thought: true }, { text: 'answer' }] }, user('y')],
        safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
        cachedContent: 'cachedContents/abc',
        tools: [{ googleSearch: {} }],
        generationConfig: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true }, responseModalities: ['TEXT'] },
      },
      'gem',
    );
    expect(decoded.includeThoughts).toBe(true);
    expect(decoded.request.reasoningBudgetTokens).toBe(2048);

    const forGemini = translatedRequest(decoded, { provider: 'gemini', readsGeminiOptions: true }, () => {
      throw new Error('no warnings for Gemini');
    });
    expect(forGemini.reasoningBudgetTokens).toBeUndefined();
    expect(forGemini.providerOptions?.['gemini']).toEqual({
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
      cachedContent: 'cachedContents/abc',
      tools: [{ googleSearch: {} }],
      generationConfig: { responseModalities: ['TEXT'] },
      thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
    });

    const warnings: string[] = [];
    const forOpenAI = translatedRequest(decoded, { provider: 'openai', readsGeminiOptions: false }, (w) => warnings.push(w));
    expect(forOpenAI.providerOptions).toBeUndefined();
    expect(forOpenAI.reasoningBudgetTokens).toBe(2048);
    expect(forOpenAI.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'answer' }] });
    expect(warnings).toEqual([
      'safetySettings: Gemini-only field, not sent to openai',
      'cachedContent: Gemini-only field, not sent to openai',
      "tools: Gemini's built-in tools (googleSearch) do not run on openai; not sent",
      'generationConfig.responseModalities: Gemini-only option, not sent to openai',
      'thought parts of earlier turns are Gemini\'s own and were not sent to openai',
    ]);
  });

  it('answers malformed bodies with Google-worded 400s naming the field', () => {
    expect(() => decodeGenerateContent({}, 'gem')).toThrow(expect.objectContaining({ param: 'contents', message: '* GenerateContentRequest.contents: contents is not specified' }));
    expect(() => decodeGenerateContent({ contents: [{ role: 'user', parts: [] }] }, 'gem')).toThrow(expect.objectContaining({ param: 'contents[0].parts' }));
    expect(() => decodeGenerateContent({ contents: [user('x')], generationConfig: { temperature: 'hot' } }, 'gem')).toThrow(expect.objectContaining({ param: 'generation_config.temperature' }));
    expect(() => decodeGenerateContent({ contents: [user('x')], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }, 'gem')).toThrow(
      expect.objectContaining({ param: 'tool_config.function_calling_config.mode' }),
    );
  });
});
