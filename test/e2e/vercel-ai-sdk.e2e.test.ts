import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, embed, embedMany, generateObject, generateText, stepCountIs, streamText, tool, type LanguageModel, type ToolSet } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { fakeEmbedding } from '../fakes/scenario.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { upstreamSchema, useFixtureGateway } from './clients/fixture-gateway.js';
import { protocolFixtures, type ProtocolFixture } from './fakes.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * The Vercel AI SDK against the real server, in front of each protocol's
 * fake: `@ai-sdk/openai-compatible` on /v1/chat/completions and
 * /v1/embeddings, `@ai-sdk/anthropic` on /v1/messages. Multi-step tool use is
 * the SDK's own loop: the tool's `execute` re-scripts the fake, so the next
 * upstream request (carrying the tool result) gets the final answer.
 */
const Country = z.object({ capital_city: z.string(), population_millions: z.number() });

function weatherTools(f: ProtocolFixture, seen: unknown[]): ToolSet {
  return {
    get_weather: tool({
      description: 'Weather for a city',
      inputSchema: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }),
      execute: async (input) => {
        seen.push(input);
        f.fake.script(f.upstreamModel, { text: 'It is 21 degrees in Paris.', usage: { input: 30, output: 8 } });
        return { city: input.city, temp: 21 };
      },
    }),
  };
}

const scriptToolCall = (f: ProtocolFixture) =>
  f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], finish: 'tool_calls', usage: { input: 20, output: 6 } });

/** The cases both providers share: text, stream, the multi-step tool loop, a 429. */
function chatCases(f: ProtocolFixture, model: () => LanguageModel, fake: FakeServer): void {
  it('generateText: exact text, usage and finishReason', async () => {
    f.fake.script(f.upstreamModel, { text: 'The capital of France is Paris.', usage: { input: 11, output: 7 } });
    const r = await generateText({ model: model(), system: 'Be brief.', prompt: 'Capital of France?', maxRetries: 0, maxOutputTokens: 256 });
    expect(r.text).toBe('The capital of France is Paris.');
    expect(r.finishReason).toBe('stop');
    expect(r.usage).toMatchObject({ inputTokens: 11, outputTokens: 7, totalTokens: 18 });
  });

  it('streamText: textStream concatenates to the exact text; final usage and finishReason', async () => {
    f.fake.script(f.upstreamModel, { text: 'One two three four five.', usage: { input: 9, output: 5 } });
    const r = streamText({ model: model(), prompt: 'Count to five', maxRetries: 0, maxOutputTokens: 256 });
    const parts: string[] = [];
    for await (const t of r.textStream) parts.push(t);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.join('')).toBe('One two three four five.');
    expect(await r.finishReason).toBe('stop');
    expect(await r.usage).toMatchObject({ inputTokens: 9, outputTokens: 5, totalTokens: 14 });
  });

  it('generateText with a tool and stopWhen: the SDK runs the tool and sends its result back', async () => {
    scriptToolCall(f);
    const seen: unknown[] = [];
    const r = await generateText({ model: model(), tools: weatherTools(f, seen), stopWhen: stepCountIs(3), prompt: 'Weather in Paris?', maxRetries: 0, maxOutputTokens: 256 });
    expect(seen).toEqual([{ city: 'Paris', unit: 'c' }]);
    expect(r.steps).toHaveLength(2);
    expect(r.steps[0]?.finishReason).toBe('tool-calls');
    expect(r.steps[0]?.toolCalls).toEqual([expect.objectContaining({ toolName: 'get_weather', input: { city: 'Paris', unit: 'c' } })]);
    expect(r.steps[0]?.toolResults).toEqual([expect.objectContaining({ toolName: 'get_weather', output: { city: 'Paris', temp: 21 } })]);
    expect(r.text).toBe('It is 21 degrees in Paris.');
    expect(r.finishReason).toBe('stop');
    expect(r.totalUsage).toMatchObject({ inputTokens: 50, outputTokens: 14 });
    // Two upstream calls; the second carried the tool's result in the upstream's own format.
    const calls = fake.requests.filter((q) => q.method === 'POST');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.rawBody).toContain('temp');
    expect(calls[1]?.rawBody).toContain('21');
  });

  it('streamText with a tool and stopWhen: both steps stream, the final text is exact', async () => {
    scriptToolCall(f);
    const seen: unknown[] = [];
    const r = streamText({ model: model(), tools: weatherTools(f, seen), stopWhen: stepCountIs(3), prompt: 'Weather in Paris?', maxRetries: 0, maxOutputTokens: 256 });
    let text = '';
    for await (const t of r.textStream) text += t;
    expect(seen).toEqual([{ city: 'Paris', unit: 'c' }]);
    expect(text).toBe('It is 21 degrees in Paris.');
    expect((await r.steps).map((s) => s.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(await r.totalUsage).toMatchObject({ inputTokens: 50, outputTokens: 14 });
  });

  it('an upstream 429 is an APICallError with status 429 and the upstream message', async () => {
    f.fake.script(f.upstreamModel, { error: { status: 429, message: 'Slow down: quota for this minute is used up', retryAfterS: 7 } });
    const err = await generateText({ model: model(), prompt: 'hi', maxRetries: 0, maxOutputTokens: 256 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(err)).toBe(true);
    const e = err as APICallError;
    expect(e.statusCode).toBe(429);
    expect(e.isRetryable).toBe(true);
    expect(e.message).toContain('Slow down: quota for this minute is used up');
    expect(e.responseHeaders?.['retry-after']).toBe('7');

    // streamText reports the same error as a stream part rather than throwing.
    const errors: unknown[] = [];
    const r = streamText({ model: model(), prompt: 'hi', maxRetries: 0, maxOutputTokens: 256, onError: ({ error }) => void errors.push(error) });
    for await (const part of r.fullStream) if (part.type === 'error') errors.push(part.error);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((x) => APICallError.isInstance(x) && x.statusCode === 429)).toBe(true);
  });
}

for (const f of protocolFixtures()) {
  describe(`vercel ai sdk (openai-compatible) → switchyard → ${f.label ?? f.protocol} fake`, () => {
    const ctx = useFixtureGateway(f);
    const provider = () => createOpenAICompatible({ name: 'switchyard', baseURL: ctx.gw.baseURL, apiKey: ctx.gw.key, includeUsage: true, supportsStructuredOutputs: true });

    chatCases(f, () => provider().chatModel(ctx.model), f.fake);

    it('generateObject(zod): the parsed object; the schema maps upstream, is reported, or is refused naming response_format', async () => {
      f.fake.script(f.upstreamModel, { text: '{"capital_city":"Paris","population_millions":68.4}', usage: { input: 12, output: 9 } });
      const outcome = await generateObject({ model: provider().chatModel(ctx.model), schema: Country, schemaName: 'country', prompt: 'Tell me about France', maxRetries: 0 }).then(
        (r) => ({ r }),
        (error: unknown) => ({ error }),
      );
      const sent = f.fake.lastRequest();
      if ('error' in outcome) {
        expect(APICallError.isInstance(outcome.error)).toBe(true);
        expect((outcome.error as APICallError).statusCode).toBe(400);
        expect((outcome.error as APICallError).message).toContain('response_format');
        expect(sent).toBeUndefined();
        return;
      }
      const { r } = outcome;
      expect(r.object).toEqual({ capital_city: 'Paris', population_millions: 68.4 });
      expect(r.finishReason).toBe('stop');
      expect(r.usage).toMatchObject({ inputTokens: 12, outputTokens: 9 });
      const warning = r.response.headers?.['x-switchyard-warning'] ?? '';
      const pinned = upstreamSchema(f, sent?.body);
      if (pinned.known) {
        expect(pinned.schema).toMatchObject({ type: expect.stringMatching(/^object$/i), properties: { capital_city: expect.anything(), population_millions: expect.anything() } });
        if (f.protocol === 'openai') expect(sent?.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'country', strict: true } });
      } else {
        expect(sent?.rawBody.includes('population_millions') || /response_format|json schema/i.test(warning), warning).toBe(true);
      }
    });

    if (f.embeddingModel) {
      it('embed and embedMany return the upstream vectors exactly', async () => {
        f.fake.script(f.embeddingModel!, { embeddingDims: 8 });
        const model = provider().embeddingModel(ctx.embedModel!);
        const one = await embed({ model, value: 'hello world', maxRetries: 0 });
        expect(one.embedding).toEqual(fakeEmbedding('hello world', 8));
        const many = await embedMany({ model, values: ['first', 'second', 'third'], maxRetries: 0 });
        expect(many.embeddings).toEqual(['first', 'second', 'third'].map((v) => fakeEmbedding(v, 8)));
        expect(many.usage.tokens).toBeGreaterThan(0);
      });
    }
  });
}

/** The Anthropic provider speaks /v1/messages; the gateway translates to each upstream. */
for (const f of protocolFixtures().filter((x) => ['openai', 'anthropic', 'gemini'].includes(x.protocol))) {
  describe(`vercel ai sdk (anthropic) → switchyard /v1/messages → ${f.protocol} fake`, () => {
    const ctx = useFixtureGateway(f);
    chatCases(f, () => createAnthropic({ baseURL: ctx.gw.baseURL, apiKey: ctx.gw.key })(ctx.model), f.fake);
  });
}

describe('vercel ai sdk: a bad gateway key', () => {
  const openai = new FakeOpenAI();
  let gw: TestGateway;

  beforeAll(async () => {
    await openai.start();
    gw = await startTestGateway({
      deployments: [
        { publicModel: 'chat', protocol: 'openai', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' },
        { publicModel: 'embed', protocol: 'openai', baseUrl: `${openai.url}/v1`, model: 'text-embedding-3-small' },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await openai.stop();
  });

  const expect401 = (err: unknown) => {
    expect(APICallError.isInstance(err)).toBe(true);
    expect((err as APICallError).statusCode).toBe(401);
    expect((err as APICallError).isRetryable).toBe(false);
  };

  it('is a 401 APICallError from both providers and for embeddings, never sent upstream', async () => {
    const compat = createOpenAICompatible({ name: 'switchyard', baseURL: gw.baseURL, apiKey: 'sk-wrong' });
    expect401(await generateText({ model: compat.chatModel('chat'), prompt: 'hi', maxRetries: 0 }).catch((e: unknown) => e));
    expect401(await embed({ model: compat.embeddingModel('embed'), value: 'hi', maxRetries: 0 }).catch((e: unknown) => e));
    const anthropicErr = await generateText({ model: createAnthropic({ baseURL: gw.baseURL, apiKey: 'sk-wrong' })('chat'), prompt: 'hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect401(anthropicErr);
    // The Anthropic provider reads the error body in Anthropic's shape.
    expect(JSON.parse((anthropicErr as APICallError).responseBody ?? '{}')).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(openai.requests).toHaveLength(0);
  });
});
