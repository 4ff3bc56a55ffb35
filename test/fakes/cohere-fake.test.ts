import { CohereClientV2, CohereError } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeCohere } from './cohere-fake.js';
import { fakeEmbedding } from './scenario.js';

/** The fake checked against the official `cohere-ai` client (API v2), so it is right and not just consistent with our adapter. */
describe('fake Cohere against the official cohere-ai client', () => {
  const fake = new FakeCohere({ apiKey: 'co-test-key' });
  let client: CohereClientV2;

  beforeAll(async () => {
    await fake.start();
    client = new CohereClientV2({ token: 'co-test-key', environment: fake.url });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('chat: text, finish reason and billed usage', async () => {
    fake.script('command-a-03-2025', { text: 'Paris is the capital.', usage: { input: 12, output: 4 } });
    const res = await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Capital of France?' }] });
    expect(res.message.content?.[0]).toEqual({ type: 'text', text: 'Paris is the capital.' });
    expect(res.finishReason).toBe('COMPLETE');
    expect(res.usage?.billedUnits).toEqual({ inputTokens: 12, outputTokens: 4 });
    expect(fake.lastRequest()!.headers.authorization).toBe('Bearer co-test-key');
  });

  it('chatStream: the v2 event sequence, with tool plan and tool-call deltas', async () => {
    fake.script('command-a-03-2025', { reasoning: 'I will look up the weather.', toolCalls: [{ id: 'get_weather_1', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const stream = await client.chatStream({
      model: 'command-a-03-2025',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      messages: [{ role: 'user', content: 'weather?' }],
    });
    const types: string[] = [];
    let plan = '';
    let args = '';
    let finish: string | undefined;
    for await (const e of stream) {
      types.push(e.type);
      if (e.type === 'tool-plan-delta') plan += e.delta?.message?.toolPlan ?? '';
      if (e.type === 'tool-call-start') expect(e.delta?.message?.toolCalls?.function?.name).toBe('get_weather');
      if (e.type === 'tool-call-delta') args += e.delta?.message?.toolCalls?.function?.arguments ?? '';
      if (e.type === 'message-end') finish = e.delta?.finishReason;
    }
    expect(types[0]).toBe('message-start');
    expect(types).toContain('tool-call-end');
    expect(types.at(-1)).toBe('message-end');
    expect(plan).toBe('I will look up the weather.');
    expect(JSON.parse(args)).toEqual({ city: 'Oslo' });
    expect(finish).toBe('TOOL_CALL');
  });

  it('accepts the tool result back by call id', async () => {
    fake.script('command-a-03-2025', { text: 'Cold.' });
    const res = await client.chat({
      model: 'command-a-03-2025',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', toolPlan: 'look up', toolCalls: [{ id: 'get_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', toolCallId: 'get_weather_1', content: '{"temp":-3}' },
      ],
    });
    expect(res.message.content?.[0]).toEqual({ type: 'text', text: 'Cold.' });
  });

  it('embed (float by type) and rerank (ordered, top_n, search units)', async () => {
    fake.script('embed-v4.0', { embeddingDims: 4 });
    const emb = await client.embed({ model: 'embed-v4.0', texts: ['a b', 'c'], inputType: 'search_document', embeddingTypes: ['float'] });
    expect(emb.embeddings.float).toEqual([fakeEmbedding('a b', 4), fakeEmbedding('c', 4)]);
    expect(emb.meta?.billedUnits?.inputTokens).toBe(3);
    const ranked = await client.rerank({ model: 'rerank-v3.5', query: 'capital of france', documents: ['Berlin is in Germany', 'Paris is the capital of France', 'France has wine'], topN: 2 });
    expect(ranked.results.map((r) => r.index)).toEqual([1, 2]);
    expect(ranked.meta?.billedUnits?.searchUnits).toBe(1);
  });

  it('errors as {"id","message"} with Cohere statuses', async () => {
    fake.script('command-a-03-2025', { error: { status: 429, message: 'You are using a Trial key, which is limited to 10 API calls / minute.' } });
    const err = await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'x' }] }, { maxRetries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CohereError);
    expect((err as CohereError).statusCode).toBe(429);
    expect((err as CohereError).body).toMatchObject({ message: 'You are using a Trial key, which is limited to 10 API calls / minute.' });
    const noType = await client.embed({ model: 'embed-v4.0', texts: ['a'], inputType: 'nonsense' as 'search_query' }).catch((e: unknown) => e);
    expect((noType as CohereError).statusCode).toBe(400);
    const bad = new CohereClientV2({ token: 'wrong', environment: fake.url });
    const unauth = await bad.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((unauth as CohereError).statusCode).toBe(401);
  });
});
