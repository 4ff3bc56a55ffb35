import { ApiError, FunctionCallingConfigMode, GoogleGenAI, HarmBlockThreshold, HarmCategory, Type, type Content, type GenerateContentResponse } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anthropicFixture } from '../fixtures/protocols/anthropic.js';
import { geminiFixture } from '../fixtures/protocols/gemini.js';
import { openaiFixture } from '../fixtures/protocols/openai.js';
import type { RecordedRequest } from '../fakes/scenario.js';
import type { ProtocolFixture } from './fakes.js';
import type { TestGateway } from './harness.js';
import { newKey, onlyRow, startPricedGateway } from './media-harness.js';

/** $1 per million input tokens, $2 per million output tokens: a row costs input·1,000 + output·2,000 nano-USD. */
const PRICES = { inputCostPerToken: 0.000001, outputCostPerToken: 0.000002 };

const WEATHER_TOOL = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING, description: 'City name' }, unit: { type: Type.STRING, enum: ['c', 'f'], nullable: true } }, required: ['city'] },
    },
  ],
};

/** What each fake received as the conversation, in its own wire format, reduced to text for assertions. */
function upstreamText(f: ProtocolFixture, r: RecordedRequest): string {
  return JSON.stringify(r.body);
}

/**
 * The official `@google/genai` client (Gemini-native API) against the real
 * server, routed to the OpenAI, Anthropic and Gemini fakes: generateContent,
 * generateContentStream, a function-call round trip, costs in the ledger.
 */
for (const f of [openaiFixture(), anthropicFixture(), geminiFixture()]) {
  describe(`@google/genai → switchyard (Gemini API) → ${f.protocol} fake`, () => {
    let gw: TestGateway;
    let ai: GoogleGenAI;
    let keyId: string;
    const model = `gem-${f.protocol}`;

    beforeAll(async () => {
      await f.fake.start();
      gw = await startPricedGateway({ deployments: [{ publicModel: model, protocol: f.protocol, target: f.target(f.upstreamModel), modelInfo: PRICES }] });
    });
    afterAll(async () => {
      await gw?.close();
      await f.fake.stop();
    });
    beforeEach(async () => {
      f.fake.reset();
      const key = await newKey(gw);
      keyId = key.id;
      ai = new GoogleGenAI({ apiKey: key.secret, httpOptions: { baseUrl: gw.url } });
    });

    it('generateContent: exact text, finish reason and usage, the system instruction delivered, one ledger row', async () => {
      f.fake.script(f.upstreamModel, { text: 'Paris is the capital of France.', usage: { input: 12, output: 7 } });
      const res = await ai.models.generateContent({
        model,
        contents: 'What is the capital of France?',
        config: { systemInstruction: 'Answer in one sentence.', temperature: 0.3, maxOutputTokens: 200 },
      });
      expect(res.text).toBe('Paris is the capital of France.');
      expect(res.candidates?.[0]?.finishReason).toBe('STOP');
      expect(res.usageMetadata).toMatchObject({ promptTokenCount: 12, candidatesTokenCount: 7, totalTokenCount: 19 });
      const sent = upstreamText(f, f.fake.lastRequest()!);
      expect(sent).toContain('Answer in one sentence.');
      expect(sent).toContain('What is the capital of France?');
      expect(await onlyRow(gw, keyId)).toMatchObject({ publicModel: model, costNanos: 12 * 1_000 + 7 * 2_000, inputTokens: 12, outputTokens: 7, status: 'success' });
    });

    it('generateContentStream: text arrives in several chunks, the last with finish reason and usage', async () => {
      f.fake.script(f.upstreamModel, { text: 'One two three four five.', usage: { input: 9, output: 5 } });
      const stream = await ai.models.generateContentStream({ model, contents: 'Count to five' });
      const chunks: GenerateContentResponse[] = [];
      for await (const c of stream) chunks.push(c);
      expect(chunks.length).toBeGreaterThan(2);
      expect(chunks.map((c) => c.text ?? '').join('')).toBe('One two three four five.');
      const last = chunks[chunks.length - 1]!;
      expect(last.candidates?.[0]?.finishReason).toBe('STOP');
      expect(last.usageMetadata).toMatchObject({ promptTokenCount: 9, candidatesTokenCount: 5, totalTokenCount: 14 });
      expect(await onlyRow(gw, keyId)).toMatchObject({ costNanos: 9 * 1_000 + 5 * 2_000 });
    });

    it('round-trips a function call and its response', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], finish: 'tool_calls' });
      const user: Content = { role: 'user', parts: [{ text: 'Weather in Paris?' }] };
      const first = await ai.models.generateContent({
        model,
        contents: [user],
        config: { tools: [WEATHER_TOOL], toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } } },
      });
      expect(first.candidates?.[0]?.finishReason).toBe('STOP');
      const call = first.functionCalls?.[0];
      expect(call?.name).toBe('get_weather');
      expect(call?.args).toEqual({ city: 'Paris', unit: 'c' });
      const firstSent = upstreamText(f, f.fake.lastRequest()!);
      expect(firstSent).toContain('get_weather');
      expect(firstSent).toContain('City name');

      f.fake.script(f.upstreamModel, { text: 'It is 21 degrees in Paris.' });
      const second = await ai.models.generateContent({
        model,
        contents: [user, first.candidates![0]!.content!, { role: 'user', parts: [{ functionResponse: { id: call!.id, name: 'get_weather', response: { temperature: 21, unit: 'c' } } }] }],
        config: { tools: [WEATHER_TOOL] },
      });
      expect(second.text).toBe('It is 21 degrees in Paris.');
      const secondSent = upstreamText(f, f.fake.lastRequest()!);
      // The result reached the upstream paired with its call, in the upstream's own format.
      expect(secondSent).toContain('temperature');
      expect(secondSent).toContain('21');
      if (f.protocol === 'openai') expect(f.fake.lastRequest()!.body.messages.find((m: { role: string }) => m.role === 'tool')).toMatchObject({ tool_call_id: call!.id });
      if (f.protocol === 'anthropic') expect(secondSent).toContain(`"tool_use_id":"${call!.id}"`);
      if (f.protocol === 'gemini') expect(f.fake.lastRequest()!.body.contents[2].parts[0].functionResponse).toMatchObject({ name: 'get_weather', response: { temperature: 21, unit: 'c' } });
    });

    it('streams a function call whole', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_s1', name: 'get_weather', arguments: { city: 'Rome' } }], finish: 'tool_calls' });
      const stream = await ai.models.generateContentStream({ model, contents: 'Weather in Rome?', config: { tools: [WEATHER_TOOL] } });
      const calls = [];
      for await (const c of stream) calls.push(...(c.functionCalls ?? []));
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ name: 'get_weather', args: { city: 'Rome' } });
    });

    it(f.protocol === 'gemini' ? 'delivers Gemini-only fields (safetySettings, thinkingConfig) to a Gemini upstream' : 'names Gemini-only fields it could not send in the warning header', async () => {
      f.fake.script(f.upstreamModel, { text: 'ok' });
      const res = await ai.models.generateContent({
        model,
        contents: 'hi',
        config: {
          safetySettings: [{ category: HarmCategory.HARM_CATEGORY_HARASSMENT, threshold: HarmBlockThreshold.BLOCK_ONLY_HIGH }],
          thinkingConfig: { thinkingBudget: 1024, includeThoughts: false },
        },
      });
      expect(res.text).toBe('ok');
      const body = f.fake.lastRequest()!.body;
      if (f.protocol === 'gemini') {
        expect(body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }]);
        expect(body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 1024, includeThoughts: false });
      } else {
        expect(res.sdkHttpResponse?.headers?.['x-switchyard-warning']).toContain(`safetySettings: Gemini-only field, not sent to ${f.protocol}`);
        expect(JSON.stringify(body)).not.toContain('HARM_CATEGORY');
      }
    });
  });
}

describe('Gemini-native route: keys, errors and the JSON-array stream', () => {
  const f = openaiFixture();
  let gw: TestGateway;

  beforeAll(async () => {
    await f.fake.start();
    gw = await startPricedGateway({ deployments: [{ publicModel: 'gem', protocol: 'openai', target: f.target(f.upstreamModel) }] });
  });
  afterAll(async () => {
    await gw?.close();
    await f.fake.stop();
  });

  it('accepts the key as ?key= and streams a JSON array without alt=sse, as Google does', async () => {
    f.fake.script(f.upstreamModel, { text: 'A B C', usage: { input: 3, output: 3 } });
    const res = await fetch(`${gw.url}/v1beta/models/gem:streamGenerateContent?key=${gw.key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'letters' }] }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const chunks = (await res.json()) as { candidates?: { content?: { parts?: { text?: string }[] }; finishReason?: string }[]; usageMetadata?: unknown }[];
    expect(chunks.map((c) => c.candidates?.[0]?.content?.parts?.map((p) => p.text ?? '').join('') ?? '').join('')).toBe('A B C');
    expect(chunks[chunks.length - 1]).toMatchObject({ candidates: [{ finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 3 } });
  });

  it('answers errors in Google’s shape: 401 without a key, 404 for an unknown model, 400 naming a bad field', async () => {
    const anonymous = new GoogleGenAI({ apiKey: 'not-a-key', httpOptions: { baseUrl: gw.url } });
    const unauth = await anonymous.models.generateContent({ model: 'gem', contents: 'x' }).catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(ApiError);
    expect((unauth as ApiError).status).toBe(401);
    expect((unauth as ApiError).message).toContain('UNAUTHENTICATED');

    const ai = new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: gw.url } });
    const missing = await ai.models.generateContent({ model: 'no-such-model', contents: 'x' }).catch((e: unknown) => e);
    expect((missing as ApiError).status).toBe(404);
    expect((missing as ApiError).message).toContain('NOT_FOUND');

    const raw = await fetch(`${gw.url}/v1beta/models/gem:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': gw.key },
      body: JSON.stringify({ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }),
    });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as { error: { code: number; status: string; message: string; details: { metadata?: { param?: string } }[] } };
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(body.error.message).toContain('contents[0].role');
    expect(body.error.details[0]?.metadata?.param).toBe('contents[0].role');
  });

  it('keeps ?key= to the Gemini routes: the OpenAI route ignores it', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions?key=${gw.key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gem', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(401);
  });
});
