import { Ollama, type ChatResponse } from 'ollama';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOllama } from './ollama-fake.js';
import { fakeEmbedding } from './scenario.js';

/** The fake checked against the official `ollama` client, so it is right and not just consistent with our adapter. */
describe('fake Ollama against the official ollama client', () => {
  const fake = new FakeOllama();
  let client: Ollama;

  beforeAll(async () => {
    await fake.start();
    client = new Ollama({ host: fake.url });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('chat: message, done reason and eval counts', async () => {
    fake.script('llama3.2', { text: 'Paris is the capital.', usage: { input: 12, output: 4 } });
    const res = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Capital of France?' }] });
    expect(res.message.content).toBe('Paris is the capital.');
    expect(res.done).toBe(true);
    expect(res.done_reason).toBe('stop');
    expect(res.prompt_eval_count).toBe(12);
    expect(res.eval_count).toBe(4);
    expect(fake.lastRequest()!.body.stream).toBe(false);
  });

  it('chat stream: NDJSON pieces, then one done line with counts', async () => {
    fake.script('llama3.2', { text: 'one two three', reasoning: 'hmm ok', usage: { input: 5, output: 3 } });
    const stream = await client.chat({ model: 'llama3.2', stream: true, messages: [{ role: 'user', content: 'count' }] });
    const chunks: ChatResponse[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.message.content).join('')).toBe('one two three');
    expect(chunks.map((c) => c.message.thinking ?? '').join('')).toBe('hmm ok');
    expect(chunks.filter((c) => c.done)).toHaveLength(1);
    const last = chunks[chunks.length - 1]!;
    expect(last.done).toBe(true);
    expect(last.eval_count).toBe(3);
    expect(fake.lastRequest()!.headers['content-type']).toContain('application/json');
  });

  it('tool calls come back with object arguments and are accepted back', async () => {
    fake.script('llama3.2', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const res = await client.chat({ model: 'llama3.2', tools, messages: [{ role: 'user', content: 'weather?' }] });
    expect(res.message.tool_calls?.[0]?.function).toMatchObject({ name: 'get_weather', arguments: { city: 'Oslo' } });
    fake.script('llama3.2', { text: 'Cold.' });
    const next = await client.chat({
      model: 'llama3.2',
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: '', tool_calls: res.message.tool_calls },
        { role: 'tool', content: '{"temp":-3}', tool_name: 'get_weather' },
      ],
    });
    expect(next.message.content).toBe('Cold.');
  });

  it('rejects string tool arguments like the real server', async () => {
    const bad = { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: '{"a":1}' as unknown as Record<string, unknown> } }] };
    const err = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }, bad] }).catch((e: unknown) => e);
    expect((err as { status_code?: number }).status_code).toBe(400);
    expect((err as Error).message).toContain('cannot unmarshal string');
  });

  it('embed and list', async () => {
    fake.script('nomic-embed-text', { embeddingDims: 4 });
    const res = await client.embed({ model: 'nomic-embed-text', input: ['a b', 'c'] });
    expect(res.embeddings).toEqual([fakeEmbedding('a b', 4), fakeEmbedding('c', 4)]);
    expect(res.prompt_eval_count).toBe(3);
    const list = await client.list();
    expect(list.models.map((m) => m.name)).toContain('llama3.2:latest');
  });

  it('errors as {"error"} with Ollama statuses: unknown model 404, scripted 503', async () => {
    const missing = await client.chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((missing as { status_code?: number }).status_code).toBe(404);
    expect((missing as Error).message).toBe('model "nope" not found, try pulling it first');
    fake.script('llama3.2', { error: { status: 503, message: 'server busy, please try again.  maximum pending requests exceeded' } });
    const busy = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((busy as { status_code?: number }).status_code).toBe(503);
  });
});
