import { ApiError, GoogleGenAI, Type } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGemini } from './gemini-fake.js';

const KEY = 'AIza-fake-key';

/** The fake checked against Google's own client, so it is right and not merely self-consistent. */
describe('FakeGemini with the official @google/genai client', () => {
  const fake = new FakeGemini({ apiKey: KEY });
  let ai: GoogleGenAI;

  beforeAll(async () => {
    await fake.start();
    ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: fake.url } });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers generateContent with text and usage', async () => {
    fake.script('gemini-2.5-flash', { text: 'Four, as always.', usage: { input: 11, output: 3 } });
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'What is 2+2?',
      config: { systemInstruction: 'Be brief.', temperature: 0.2, maxOutputTokens: 50 },
    });
    expect(res.text).toBe('Four, as always.');
    expect(res.candidates?.[0]?.finishReason).toBe('STOP');
    expect(res.usageMetadata).toMatchObject({ promptTokenCount: 11, candidatesTokenCount: 3, totalTokenCount: 14 });
    const sent = fake.lastRequest()!;
    expect(sent.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    expect(sent.body.systemInstruction.parts[0].text).toBe('Be brief.');
    expect(sent.body.generationConfig).toMatchObject({ temperature: 0.2, maxOutputTokens: 50 });
  });

  it('returns function calls the SDK exposes as functionCalls', async () => {
    fake.script('gemini-2.5-flash', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const res = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Oslo?',
      config: {
        tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] } }] }],
      },
    });
    expect(res.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Oslo' } }]);
    expect(res.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('streams text that assembles, with usage in the last chunk', async () => {
    fake.script('gemini-2.5-flash', { text: 'one two three four', reasoning: 'thinking hard', usage: { input: 5, output: 10, reasoning: 6 } });
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'count' });
    let text = '';
    let thoughts = '';
    let chunks = 0;
    let last: Awaited<ReturnType<typeof stream.next>>['value'];
    for await (const chunk of stream) {
      chunks++;
      for (const p of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (p.thought) thoughts += p.text ?? '';
        else text += p.text ?? '';
      }
      last = chunk;
    }
    expect(text).toBe('one two three four');
    expect(thoughts).toBe('thinking hard');
    expect(chunks).toBeGreaterThan(3);
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 5, candidatesTokenCount: 4, thoughtsTokenCount: 6, totalTokenCount: 15 });
    expect(fake.lastRequest()!.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('embeds several texts through batchEmbedContents', async () => {
    const res = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['alpha', 'beta'], config: { outputDimensionality: 4 } });
    expect(res.embeddings).toHaveLength(2);
    expect(res.embeddings?.[0]?.values).toHaveLength(4);
    expect(res.embeddings?.[0]?.values).not.toEqual(res.embeddings?.[1]?.values);
    expect(fake.lastRequest()!.url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
  });

  it('counts tokens and lists models', async () => {
    const count = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'three little words' });
    expect(count.totalTokens).toBe(3);
    const names: string[] = [];
    for await (const m of await ai.models.list()) names.push(m.name ?? '');
    expect(names).toContain('models/gemini-2.5-pro');
  });

  it('surfaces a 429 RESOURCE_EXHAUSTED with RetryInfo as an ApiError', async () => {
    fake.script('gemini-2.5-flash', { error: { status: 429, retryAfterS: 12 } });
    const err = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    const body = JSON.parse((err as ApiError).message);
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' });
  });

  it('rejects a wrong key with 400 API_KEY_INVALID, like Google', async () => {
    const bad = new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: fake.url } });
    const err = await bad.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toContain('API_KEY_INVALID');
  });

  it('blocks on SAFETY with safety ratings and no content', async () => {
    fake.script('gemini-2.5-flash', { finish: 'content_filter' });
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'something bad' });
    expect(res.candidates?.[0]?.finishReason).toBe('SAFETY');
    expect(res.candidates?.[0]?.safetyRatings?.some((r) => r.blocked)).toBe(true);
    expect(res.text).toBeUndefined();
  });
});
