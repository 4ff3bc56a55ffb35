import { AIMessageChunk, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { fakeEmbedding } from '../fakes/scenario.js';
import { asFloat32, headerRecordingFetch, upstreamSchema, useFixtureGateway } from './clients/fixture-gateway.js';
import { protocolFixtures } from './fakes.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * LangChain's `ChatOpenAI` and `OpenAIEmbeddings` pointed at the gateway, in
 * front of each protocol's fake: what a LangChain user sees (message
 * content, usage_metadata, tool_calls, structured output, vectors, errors)
 * must be exactly what the upstream produced.
 */
const weather = tool(async ({ city }) => `{"city":"${city}","temp":21}`, {
  name: 'get_weather',
  description: 'Weather for a city',
  schema: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }),
});

/**
 * @langchain/openai bundles its own copy of the openai SDK, so its error
 * classes are not the ones `import OpenAI from 'openai'` would give: match by
 * class name and status instead of instanceof.
 */
function expectOpenAIError(err: unknown, className: string, status: number): void {
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).constructor.name).toBe(className);
  expect(err).toMatchObject({ status });
}

const Country = z.object({ capital_city: z.string(), population_millions: z.number() });

for (const f of protocolFixtures()) {
  describe(`langchain → switchyard → ${f.label ?? f.protocol} fake`, () => {
    const ctx = useFixtureGateway(f);
    const chat = (extra: Partial<ConstructorParameters<typeof ChatOpenAI>[0]> = {}) =>
      new ChatOpenAI({ model: ctx.model, apiKey: ctx.gw.key, configuration: { baseURL: ctx.gw.baseURL }, maxRetries: 0, ...extra });

    it('invoke: exact text and usage_metadata equal to the upstream usage', async () => {
      f.fake.script(f.upstreamModel, { text: 'The capital of France is Paris.', usage: { input: 11, output: 7 } });
      const msg = await chat().invoke([new SystemMessage('Be brief.'), new HumanMessage('Capital of France?')]);
      expect(msg.content).toBe('The capital of France is Paris.');
      expect(msg.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 7, total_tokens: 18 });
      expect(msg.response_metadata).toMatchObject({ finish_reason: 'stop' });
    });

    it('stream: chunks concatenate to the exact text, usage on the final chunk', async () => {
      f.fake.script(f.upstreamModel, { text: 'One two three four five.', usage: { input: 9, output: 5 } });
      const chunks: AIMessageChunk[] = [];
      for await (const chunk of await chat({ streamUsage: true }).stream('Count to five')) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(2);
      expect(chunks.map((c) => c.content).join('')).toBe('One two three four five.');
      const withUsage = chunks.filter((c) => c.usage_metadata !== undefined);
      expect(withUsage).toHaveLength(1);
      expect(withUsage[0]?.usage_metadata).toMatchObject({ input_tokens: 9, output_tokens: 5, total_tokens: 14 });
      // The usage chunk comes after every piece of text.
      expect(chunks.slice(chunks.indexOf(withUsage[0]!) + 1).every((c) => c.content === '')).toBe(true);
      const merged = chunks.reduce((a, b) => a.concat(b));
      expect(merged.usage_metadata).toMatchObject({ input_tokens: 9, output_tokens: 5 });
      // The client asked for usage the OpenAI way; the upstream got it in its own format.
      expect(f.fake.requests).toHaveLength(1);
    });

    it('bindTools: tool_calls with parsed args, then a ToolMessage answer', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], finish: 'tool_calls' });
      const model = chat().bindTools([weather]);
      const history: BaseMessage[] = [new HumanMessage('Weather in Paris?')];
      const first = await model.invoke(history);
      expect(first.tool_calls).toHaveLength(1);
      const call = first.tool_calls![0]!;
      expect(call).toMatchObject({ name: 'get_weather', args: { city: 'Paris', unit: 'c' }, type: 'tool_call' });
      expect(call.id).toEqual(expect.any(String));
      expect(first.response_metadata).toMatchObject({ finish_reason: 'tool_calls' });

      const answer = (await weather.invoke(call)) as ToolMessage;
      expect(answer).toBeInstanceOf(ToolMessage);
      expect(answer.tool_call_id).toBe(call.id);
      f.fake.script(f.upstreamModel, { text: 'It is 21 degrees in Paris.' });
      history.push(first, answer);
      const second = await model.invoke(history);
      expect(second.content).toBe('It is 21 degrees in Paris.');
      expect(second.tool_calls ?? []).toEqual([]);
      // The tool result reached the upstream in its own wire format.
      expect(f.fake.lastRequest()?.rawBody).toContain('temp');
    });

    it('stream with bound tools: tool_call_chunks merge into the same call', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_s1', name: 'get_weather', arguments: { city: 'Tokyo "east"', unit: 'f' } }], finish: 'tool_calls' });
      let merged: AIMessageChunk | undefined;
      for await (const chunk of await chat().bindTools([weather]).stream('Weather in Tokyo?')) merged = merged ? merged.concat(chunk) : chunk;
      expect(merged?.tool_calls).toEqual([expect.objectContaining({ name: 'get_weather', args: { city: 'Tokyo "east"', unit: 'f' } })]);
    });

    it('withStructuredOutput(zod, jsonSchema): parsed object; the schema maps upstream or is reported', async () => {
      f.fake.script(f.upstreamModel, { text: '{"capital_city":"Paris","population_millions":68.4}' });
      const rec = headerRecordingFetch();
      const structured = chat({ configuration: { baseURL: ctx.gw.baseURL, fetch: rec.fetch } }).withStructuredOutput(Country, { method: 'jsonSchema', name: 'country' });
      const outcome = await structured.invoke('Tell me about France').then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      const warning = rec.last()?.get('x-switchyard-warning') ?? '';
      const sent = f.fake.lastRequest();
      const pinned = upstreamSchema(f, sent?.body);
      if (pinned.known) {
        // OpenAI, Anthropic, Gemini: documented native mappings (response_format / output_config.format / responseSchema).
        expect(outcome).toEqual({ value: { capital_city: 'Paris', population_millions: 68.4 } });
        expect(pinned.schema).toMatchObject({ type: expect.stringMatching(/^object$/i), properties: { capital_city: expect.anything(), population_millions: expect.anything() } });
        if (f.protocol === 'openai') expect(sent?.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'country' } });
        // Gemini's schema dialect lacks additionalProperties; the gateway says it dropped it.
        if (f.protocol === 'gemini') expect(warning).toMatch(/response_format.*additionalProperties/);
        else expect(warning).not.toMatch(/response_format/);
      } else if ('error' in outcome) {
        // Refused up front with a 400 that names the field, before reaching the upstream.
        expectOpenAIError(outcome.error, 'BadRequestError', 400);
        expect((outcome.error as Error).message).toContain('response_format');
        expect(sent).toBeUndefined();
      } else {
        expect(outcome.value).toEqual({ capital_city: 'Paris', population_millions: 68.4 });
        // Either the schema went upstream in the protocol's own field, or the gateway said it did not.
        expect(sent?.rawBody.includes('population_millions') || /response_format|json schema/i.test(warning), warning).toBe(true);
      }
    });

    if (f.embeddingModel) {
      it('OpenAIEmbeddings: embedDocuments and embedQuery return the upstream vectors', async () => {
        f.fake.script(f.embeddingModel!, { embeddingDims: 8 });
        const base = { model: ctx.embedModel!, apiKey: ctx.gw.key, configuration: { baseURL: ctx.gw.baseURL }, maxRetries: 0 };
        const exact = new OpenAIEmbeddings({ ...base, encodingFormat: 'float' });
        expect(await exact.embedDocuments(['hello world', 'second'])).toEqual([fakeEmbedding('hello world', 8), fakeEmbedding('second', 8)]);
        expect(await exact.embedQuery('a query')).toEqual(fakeEmbedding('a query', 8));
        // LangChain's default lets the openai SDK ask for base64: float32 of the same vector.
        const packed = new OpenAIEmbeddings(base);
        expect(await packed.embedDocuments(['hello world'])).toEqual([asFloat32(fakeEmbedding('hello world', 8))]);
      });
    }

    it('an upstream 429 surfaces as the RateLimitError LangChain tags MODEL_RATE_LIMIT', async () => {
      f.fake.script(f.upstreamModel, { error: { status: 429, message: 'Slow down: quota for this minute is used up', retryAfterS: 7 } });
      const err = await chat().invoke('hi').catch((e: unknown) => e);
      expectOpenAIError(err, 'RateLimitError', 429);
      expect(err).toMatchObject({ lc_error_code: 'MODEL_RATE_LIMIT' });
      expect((err as Error).message).toContain('Slow down: quota for this minute is used up');
      expect(f.fake.requests).toHaveLength(1);
    });
  });
}

describe('langchain: gateway errors', () => {
  const openai = new FakeOpenAI();
  let gw: TestGateway;

  beforeAll(async () => {
    await openai.start();
    gw = await startTestGateway({ deployments: [{ publicModel: 'chat', protocol: 'openai', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }] });
  });
  afterAll(async () => {
    await gw?.close();
    await openai.stop();
  });

  it('a bad gateway key is an AuthenticationError tagged MODEL_AUTHENTICATION, never sent upstream', async () => {
    const model = new ChatOpenAI({ model: 'chat', apiKey: 'sk-wrong', configuration: { baseURL: gw.baseURL }, maxRetries: 0 });
    const err = await model.invoke('hi').catch((e: unknown) => e);
    expectOpenAIError(err, 'AuthenticationError', 401);
    expect(err).toMatchObject({ lc_error_code: 'MODEL_AUTHENTICATION' });
    const embed = await new OpenAIEmbeddings({ model: 'chat', apiKey: 'sk-wrong', configuration: { baseURL: gw.baseURL }, maxRetries: 0 }).embedQuery('hi').catch((e: unknown) => e);
    expectOpenAIError(embed, 'AuthenticationError', 401);
    expect(openai.requests).toHaveLength(0);
  });

  it('an unknown model is a NotFoundError tagged MODEL_NOT_FOUND', async () => {
    const err = await new ChatOpenAI({ model: 'nope', apiKey: gw.key, configuration: { baseURL: gw.baseURL }, maxRetries: 0 }).invoke('hi').catch((e: unknown) => e);
    expectOpenAIError(err, 'NotFoundError', 404);
    expect(err).toMatchObject({ lc_error_code: 'MODEL_NOT_FOUND' });
  });
});
