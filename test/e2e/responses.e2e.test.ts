import { rmSync } from 'node:fs';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploymentsFor, protocolFixtures, type ProtocolFixture } from './fakes.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * The Responses API (what Codex speaks) through the real server with the
 * official `openai` client, in front of chat-completion-style upstreams:
 * create (JSON and streamed through the SDK's helpers), a function-call
 * round trip, conversation state by previous_response_id that survives a
 * restart, scoping to the key that created it, and GET/DELETE/input_items.
 */
const PROTOCOLS = ['openai', 'anthropic', 'gemini'];

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

for (const f of protocolFixtures().filter((x) => PROTOCOLS.includes(x.protocol))) {
  describe(`openai responses client → switchyard → ${f.protocol} fake`, () => {
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

    it('creates a response: a message item with output_text, usage and the echoed settings', async () => {
      f.fake.script(f.upstreamModel, { text: 'The capital of France is Paris.', usage: { input: 11, output: 7 } });
      const res = await client.responses.create({ model, instructions: 'Be brief.', input: 'Capital of France?', temperature: 0.5, metadata: { run: 'r1' } });
      expect(res.id).toMatch(/^resp_/);
      expect(res.object).toBe('response');
      expect(res.status).toBe('completed');
      expect(res.model).toBe(model);
      expect(res.output_text).toBe('The capital of France is Paris.');
      expect(res.output).toHaveLength(1);
      const msg = res.output[0] as OpenAI.Responses.ResponseOutputMessage;
      expect(msg).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', annotations: [] }] });
      expect(msg.id).toMatch(/^msg_/);
      expect(res.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, total_tokens: 18, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } });
      expect(res).toMatchObject({ instructions: 'Be brief.', temperature: 0.5, metadata: { run: 'r1' }, store: true, previous_response_id: null, parallel_tool_calls: true });
      // The instructions reached the upstream as its system prompt, with the input.
      const sent = f.fake.lastRequest()?.rawBody ?? '';
      expect(sent).toContain('Be brief.');
      expect(sent).toContain('Capital of France?');
    });

    it('streams typed events that the SDK stream helper assembles, with usage in response.completed', async () => {
      f.fake.script(f.upstreamModel, { text: 'One two three four five.', usage: { input: 9, output: 5 } });
      const stream = client.responses.stream({ model, input: [{ role: 'user', content: 'Count to five' }] });
      const types: string[] = [];
      const seqs: number[] = [];
      let deltas = '';
      for await (const event of stream) {
        types.push(event.type);
        seqs.push(event.sequence_number);
        if (event.type === 'response.output_text.delta') deltas += event.delta;
      }
      const final = await stream.finalResponse();
      expect(deltas).toBe('One two three four five.');
      // The helper's final response is its own accumulation of the events (the SDK adds output_text only to create()).
      expect(textOf(final)).toBe('One two three four five.');
      expect(final.status).toBe('completed');
      expect(final.usage).toMatchObject({ input_tokens: 9, output_tokens: 5, total_tokens: 14 });
      expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
      expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
      expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThan(1);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    });

    it('round-trips a function call: function_call item, then function_call_output continues by previous_response_id', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } }], finish: 'tool_calls' });
      const first = await client.responses.create({ model, input: 'Weather in Paris?', tools: [weatherTool] });
      const call = first.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
      expect(call).toBeDefined();
      expect(call.id).toMatch(/^fc_/);
      expect(call.name).toBe('get_weather');
      expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
      expect(call.status).toBe('completed');
      expect(first.status).toBe('completed');

      f.fake.script(f.upstreamModel, { text: 'It is 21 degrees in Paris.' });
      const second = await client.responses.create({
        model,
        previous_response_id: first.id,
        tools: [weatherTool],
        input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temp_c":21}' }],
      });
      expect(second.output_text).toBe('It is 21 degrees in Paris.');
      expect(second.previous_response_id).toBe(first.id);
      // The upstream saw the whole turn: question, its own call, and the tool's result.
      const sent = f.fake.lastRequest()?.rawBody ?? '';
      expect(sent).toContain('Weather in Paris?');
      expect(sent).toContain('get_weather');
      expect(sent).toContain('temp_c');
    });

    it('streams a function call as output_item.added + arguments deltas, assembled by the SDK', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_s1', name: 'get_weather', arguments: { city: 'Lisbon' } }], finish: 'tool_calls' });
      const stream = client.responses.stream({ model, input: 'Weather in Lisbon?', tools: [weatherTool] });
      let done: OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent | undefined;
      stream.on('response.function_call_arguments.done', (e) => (done = e));
      const final = await stream.finalResponse();
      const call = final.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
      expect(JSON.parse(call.arguments)).toEqual({ city: 'Lisbon' });
      expect(done?.name).toBe('get_weather');
      expect(JSON.parse(done?.arguments ?? '')).toEqual({ city: 'Lisbon' });
    });

    it('stores the response: GET returns it, input_items lists the conversation, DELETE removes it', async () => {
      f.fake.script(f.upstreamModel, { text: 'Stored answer.' });
      const res = await client.responses.create({ model, input: [{ role: 'developer', content: 'Answer plainly.' }, { role: 'user', content: 'Store this' }] });
      const got = await client.responses.retrieve(res.id);
      expect(got.id).toBe(res.id);
      expect(got.output_text).toBe('Stored answer.');
      expect(got.usage).toEqual(res.usage);

      const items = await client.responses.inputItems.list(res.id);
      const page = items.data as Array<{ id: string; type: string; role?: string }>;
      expect(page.map((i) => i.role)).toEqual(['user', 'developer']); // newest first by default
      const asc = await client.responses.inputItems.list(res.id, { order: 'asc', limit: 1 });
      expect(asc.data.map((i) => (i as { role?: string }).role)).toEqual(['developer']);
      expect(asc.has_more).toBe(true);
      const next = await client.responses.inputItems.list(res.id, { order: 'asc', after: asc.data[0]!.id });
      expect(next.data.map((i) => (i as { role?: string }).role)).toEqual(['user']);

      const deleted: unknown = await client.responses.delete(res.id);
      expect(deleted).toEqual({ id: res.id, object: 'response', deleted: true });
      const err = await client.responses.retrieve(res.id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('answers without the /v1 prefix too', async () => {
      f.fake.script(f.upstreamModel, { text: 'bare path' });
      const auth = { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json' };
      const created = await fetch(`${gw.url}/responses`, { method: 'POST', headers: auth, body: JSON.stringify({ model, input: 'hi' }) });
      expect(created.status).toBe(200);
      const body = (await created.json()) as { id: string; output: unknown[] };
      expect(body.output).toHaveLength(1);
      const got = await fetch(`${gw.url}/responses/${body.id}`, { headers: auth });
      expect(((await got.json()) as { id: string }).id).toBe(body.id);
      const del = await fetch(`${gw.url}/responses/${body.id}`, { method: 'DELETE', headers: auth });
      expect(await del.json()).toEqual({ id: body.id, object: 'response', deleted: true });
    });

    it('does not keep a response created with store: false', async () => {
      f.fake.script(f.upstreamModel, { text: 'Ephemeral.' });
      const res = await client.responses.create({ model, input: 'hi', store: false });
      expect((res as unknown as { store: boolean }).store).toBe(false);
      expect(await client.responses.retrieve(res.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
      const cont = await client.responses.create({ model, input: 'again', previous_response_id: res.id }).catch((e: unknown) => e);
      expect(cont).toBeInstanceOf(OpenAI.BadRequestError);
      expect((cont as APIError).code).toBe('previous_response_not_found');
      expect((cont as APIError).param).toBe('previous_response_id');
    });

    it('marks a cut answer incomplete (max_output_tokens), in JSON and as response.incomplete', async () => {
      f.fake.script(f.upstreamModel, { text: 'This answer was cut', finish: 'length' });
      const res = await client.responses.create({ model, input: 'Write a lot', max_output_tokens: 16 });
      expect(res.status).toBe('incomplete');
      expect(res.incomplete_details).toEqual({ reason: 'max_output_tokens' });
      expect(res.max_output_tokens).toBe(16);
      const stream = await client.responses.create({ model, input: 'Write a lot', max_output_tokens: 16, stream: true });
      const types: string[] = [];
      for await (const e of stream) types.push(e.type);
      expect(types[types.length - 1]).toBe('response.incomplete');
    });

    it('ends a stream broken mid-way with error + response.failed, and stores nothing', async () => {
      // Paced, so the first words reach the client before the reset (a reset before the first token is a plain 502).
      f.fake.script(f.upstreamModel, { text: 'one two three four five six seven eight', resetAfterChunks: 4, chunkDelayMs: 5 });
      const stream = await client.responses.create({ model, input: 'go', stream: true });
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const e of stream) events.push(e);
      const types = events.map((e) => e.type);
      expect(types.slice(-2)).toEqual(['error', 'response.failed']);
      const failed = events[events.length - 1] as OpenAI.Responses.ResponseFailedEvent;
      expect(failed.response.status).toBe('failed');
      expect(failed.response.error?.code).toBe('server_error');
      expect(await client.responses.retrieve(failed.response.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('refuses a built-in tool it cannot run, naming it', async () => {
      const err = (await client.responses.create({ model, input: 'search', tools: [{ type: 'web_search' }] }).catch((e: unknown) => e)) as APIError;
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.param).toBe('tools[0].type');
      expect(err.code).toBe('unsupported_parameter');
      expect(err.message).toContain('web_search');
      expect(f.fake.requests).toHaveLength(0);
    });

    it('maps an upstream 429 to OpenAI error JSON', async () => {
      f.fake.script(f.upstreamModel, { error: { status: 429, message: 'Slow down please', retryAfterS: 3 } });
      const err = await client.responses.create({ model, input: 'hi' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect((err as APIError).message).toContain('Slow down please');
    });
  });
}

/** Conversation state lives in the database: a new gateway on the same data dir continues it. */
describe('responses state across a gateway restart (openai fake)', () => {
  const f = fixture('openai');
  const model = 'chat-openai';
  let first: TestGateway | undefined;
  let second: TestGateway | undefined;

  beforeAll(async () => {
    await f.fake.start();
  });
  afterAll(async () => {
    await second?.gateway.close();
    await first?.gateway.close();
    if (first) rmSync(first.dataDir, { recursive: true, force: true });
    if (second) rmSync(second.dataDir, { recursive: true, force: true });
    await f.fake.stop();
  });

  it('continues with previous_response_id after close and restart, and still scopes by key', async () => {
    first = await startTestGateway({ deployments: deploymentsFor(f) });
    const { store, directory } = first.gateway.accounts;
    const alice = await store.keys.create({ alias: 'alice' });
    const bob = await store.keys.create({ alias: 'bob' });
    await directory.refreshKey(alice.key.id);
    await directory.refreshKey(bob.key.id);
    const aliceClient = new OpenAI({ apiKey: alice.secret, baseURL: first.baseURL, maxRetries: 0 });
    f.fake.script(f.upstreamModel, { text: 'Your name is Ada.' });
    const r1 = await aliceClient.responses.create({ model, input: 'My name is Ada. What is my name?' });
    // The write is awaited before the answer is sent; nothing to wait for here.
    await first.gateway.close();

    second = await startTestGateway({ deployments: deploymentsFor(f), config: { dataDir: first.dataDir } });
    const aliceAgain = new OpenAI({ apiKey: alice.secret, baseURL: second.baseURL, maxRetries: 0 });
    const bobClient = new OpenAI({ apiKey: bob.secret, baseURL: second.baseURL, maxRetries: 0 });
    const master = new OpenAI({ apiKey: second.key, baseURL: second.baseURL, maxRetries: 0 });

    f.fake.script(f.upstreamModel, { text: 'You told me: Ada.' });
    const r2 = await aliceAgain.responses.create({ model, input: 'Say it again.', previous_response_id: r1.id });
    expect(r2.output_text).toBe('You told me: Ada.');
    const messages = f.fake.lastRequest()?.body.messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(messages)).toContain('My name is Ada.');
    expect(JSON.stringify(messages)).toContain('Your name is Ada.');

    // The chain is flattened: r2's input_items hold the whole conversation.
    const items = await aliceAgain.responses.inputItems.list(r2.id, { order: 'asc' });
    expect(items.data.map((i) => i.type)).toEqual(['message', 'message', 'message']);

    // Another key, and even the master key, find nothing.
    for (const other of [bobClient, master]) {
      expect(await other.responses.retrieve(r1.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
      expect(await other.responses.inputItems.list(r1.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
      expect(await other.responses.delete(r1.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
      const cont = await other.responses.create({ model, input: 'hi', previous_response_id: r1.id }).catch((e: unknown) => e);
      expect((cont as APIError).code).toBe('previous_response_not_found');
    }
    expect((await aliceAgain.responses.retrieve(r1.id)).output_text).toBe('Your name is Ada.');
  });
});

function textOf(r: OpenAI.Responses.Response): string {
  return r.output.flatMap((o) => (o.type === 'message' ? o.content.map((c) => (c.type === 'output_text' ? c.text : '')) : [])).join('');
}

function fixture(protocol: string): ProtocolFixture {
  const f = protocolFixtures().find((x) => x.protocol === protocol);
  if (!f) throw new Error(`no ${protocol} fixture`);
  return f;
}
