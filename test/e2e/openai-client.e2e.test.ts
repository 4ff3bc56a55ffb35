import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeEmbedding } from '../fakes/scenario.js';
import { deploymentsFor, protocolFixtures } from './fakes.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * The official `openai` client against the real server, in front of each
 * protocol's fake: exact content, streams, usage, tool round trips,
 * embeddings and upstream errors.
 */
for (const f of protocolFixtures()) {
  describe(`openai client → switchyard → ${f.label ?? f.protocol} fake`, () => {
    let gw: TestGateway;
    let client: OpenAI;
    const model = `chat-${f.protocol}`;

    beforeAll(async () => {
      await f.fake.start();
      gw = await startTestGateway({ deployments: deploymentsFor(f), router: { numRetries: 0 } });
      client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    });
    afterAll(async () => {
      await gw?.close();
      await f.fake.stop();
    });
    beforeEach(() => f.fake.reset());

    it('answers a chat completion with the exact text and usage', async () => {
      f.fake.script(f.upstreamModel, { text: 'The capital of France is Paris.', usage: { input: 11, output: 7 } });
      const res = await client.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }] });
      expect(res.choices[0]?.message.content).toBe('The capital of France is Paris.');
      expect(res.choices[0]?.finish_reason).toBe('stop');
      expect(res.usage?.prompt_tokens).toBe(11);
      expect(res.usage?.completion_tokens).toBe(7);
      expect(res.usage?.total_tokens).toBe(18);
    });

    it('streams the exact text and a final usage chunk', async () => {
      f.fake.script(f.upstreamModel, { text: 'One two three four five.', usage: { input: 9, output: 5 } });
      const stream = await client.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Count to five' }] });
      let text = '';
      let finish: string | null | undefined;
      let usage: OpenAI.CompletionUsage | undefined | null;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(chunks).toBeGreaterThan(2);
      expect(text).toBe('One two three four five.');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 });
    });

    it('does not send a usage chunk the client did not ask for', async () => {
      f.fake.script(f.upstreamModel, { text: 'Short answer.', usage: { input: 4, output: 2 } });
      const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] });
      const seen: unknown[] = [];
      for await (const chunk of stream) if (chunk.usage) seen.push(chunk.usage);
      expect(seen).toEqual([]);
    });

    it('round-trips a tool call and its result', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], finish: 'tool_calls' });
      const tools: OpenAI.ChatCompletionTool[] = [
        { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] } } },
      ];
      const first = await client.chat.completions.create({ model, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
      const call = first.choices[0]?.message.tool_calls?.[0];
      expect(first.choices[0]?.finish_reason).toBe('tool_calls');
      expect(call?.type).toBe('function');
      if (call?.type !== 'function') throw new Error('expected a function call');
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', unit: 'c' });

      f.fake.script(f.upstreamModel, { text: 'It is 21 degrees in Paris.' });
      const second = await client.chat.completions.create({
        model,
        tools,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' },
        ],
      });
      expect(second.choices[0]?.message.content).toBe('It is 21 degrees in Paris.');
      // The tool result reached the upstream in its own format.
      expect(f.fake.lastRequest()?.rawBody).toContain('21');
    });

    it('streams tool-call deltas that assemble into the arguments', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_s1', name: 'lookup', arguments: { query: 'switchyard gateway', limit: 3 } }], finish: 'tool_calls' });
      const stream = await client.chat.completions.create({
        model,
        stream: true,
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'number' } } } } }],
        messages: [{ role: 'user', content: 'look it up' }],
      });
      let name = '';
      let args = '';
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
          name += tc.function?.name ?? '';
          args += tc.function?.arguments ?? '';
        }
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(name).toBe('lookup');
      expect(JSON.parse(args)).toEqual({ query: 'switchyard gateway', limit: 3 });
      expect(finish).toBe('tool_calls');
    });

    if (f.embeddingModel) {
      it('returns embeddings exactly as the upstream computed them', async () => {
        f.fake.script(f.embeddingModel!, { embeddingDims: 8 });
        const res = await client.embeddings.create({ model: `embed-${f.protocol}`, input: ['hello world', 'second'], encoding_format: 'float' });
        expect(res.data.map((d) => d.embedding)).toEqual([fakeEmbedding('hello world', 8), fakeEmbedding('second', 8)]);
        expect(res.data.map((d) => d.index)).toEqual([0, 1]);
      });
    }

    it('maps an upstream 429 to a 429 that keeps the upstream message', async () => {
      f.fake.script(f.upstreamModel, { error: { status: 429, message: 'Slow down: quota for this minute is used up', retryAfterS: 7 } });
      const err = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect((err as APIError).message).toContain('Slow down: quota for this minute is used up');
    });

    it('maps an upstream 500 to a 5xx and stays up', async () => {
      f.fake.script(f.upstreamModel, { error: { status: 500, message: 'upstream exploded' } });
      const err = (await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as APIError;
      expect(err.status).toBeGreaterThanOrEqual(500);
      expect(err.message).toContain('upstream exploded');
      f.fake.script(f.upstreamModel, { text: 'still here' });
      const ok = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      expect(ok.choices[0]?.message.content).toBe('still here');
    });
  });
}
