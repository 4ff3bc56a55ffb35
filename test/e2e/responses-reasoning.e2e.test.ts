import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploymentsFor, protocolFixtures, type ProtocolFixture } from './fakes.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * Reasoning through /v1/responses: thinking comes back as a `reasoning`
 * item (summary text when the client asks for summaries, streamed as
 * reasoning_summary_* events), and what must round-trip — Anthropic's
 * thinking signature — survives the next turn both ways a client can keep
 * it: in `encrypted_content` (stateless, `store: false`, as Codex runs)
 * and in our stored state (`previous_response_id`).
 */
type Json = Record<string, any>;

const tool: OpenAI.Responses.FunctionTool = { type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false };

function fixture(protocol: string): ProtocolFixture {
  const f = protocolFixtures().find((x) => x.protocol === protocol);
  if (!f) throw new Error(`no ${protocol} fixture`);
  return f;
}

describe('responses reasoning → anthropic fake (thinking with signatures)', () => {
  const f = fixture('anthropic');
  const model = 'chat-anthropic';
  let gw: TestGateway;
  let client: OpenAI;

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

  /** The thinking blocks the upstream received in the assistant turn of its last request. */
  function thinkingSent(): Json[] {
    const messages = f.fake.lastRequest()?.body.messages as Json[];
    return messages.filter((m) => m.role === 'assistant').flatMap((m) => (Array.isArray(m.content) ? (m.content as Json[]) : [])).filter((b) => b.type === 'thinking');
  }

  it('returns reasoning as a summary item and hides the payload unless included', async () => {
    f.fake.script(f.upstreamModel, { reasoning: 'Let me think about Paris.', text: 'Paris.' });
    const plain = await client.responses.create({ model, input: 'Capital of France?', reasoning: { effort: 'low', summary: 'auto' } });
    const item = plain.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(item.type).toBe('reasoning');
    expect(item.id).toMatch(/^rs_/);
    expect(item.summary).toEqual([{ type: 'summary_text', text: 'Let me think about Paris.' }]);
    expect(item.encrypted_content).toBeUndefined();
    expect(plain.output_text).toBe('Paris.');
    expect(plain.reasoning).toEqual({ effort: 'low', summary: 'auto' });

    const noSummary = await client.responses.create({ model, input: 'Capital of France?' });
    expect((noSummary.output[0] as OpenAI.Responses.ResponseReasoningItem).summary).toEqual([]);
  });

  it('stateless (store: false): the signature rides in encrypted_content and reaches the upstream on the next turn', async () => {
    f.fake.script(f.upstreamModel, { reasoning: 'I should look it up.', toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: { q: 'x' } }], finish: 'tool_calls' });
    const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: 'Look up x' }];
    const first = await client.responses.create({ model, input, tools: [tool], store: false, include: ['reasoning.encrypted_content'] });
    const reasoning = first.output.find((o) => o.type === 'reasoning') as OpenAI.Responses.ResponseReasoningItem;
    const call = first.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
    expect(reasoning.encrypted_content).toMatch(/^swy1\./);
    const signature = `sig_${Buffer.from('I should look it up.').toString('base64').slice(0, 24)}`;

    f.fake.script(f.upstreamModel, { text: 'x is 42.' });
    const second = await client.responses.create({
      model,
      tools: [tool],
      store: false,
      input: [...input, reasoning, call, { type: 'function_call_output', call_id: call.call_id, output: '42' }],
    });
    expect(second.output_text).toBe('x is 42.');
    expect(thinkingSent()).toEqual([{ type: 'thinking', thinking: 'I should look it up.', signature }]);
  });

  it('stateful (previous_response_id): the stored reasoning is replayed with its signature', async () => {
    f.fake.script(f.upstreamModel, { reasoning: 'Stored thought.', toolCalls: [{ id: 'toolu_2', name: 'lookup', arguments: { q: 'y' } }], finish: 'tool_calls' });
    const first = await client.responses.create({ model, input: 'Look up y', tools: [tool] });
    const call = first.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
    f.fake.script(f.upstreamModel, { text: 'y is 7.' });
    await client.responses.create({ model, tools: [tool], previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: '7' }] });
    expect(thinkingSent()).toEqual([{ type: 'thinking', thinking: 'Stored thought.', signature: `sig_${Buffer.from('Stored thought.').toString('base64').slice(0, 24)}` }]);
  });

  it('streams reasoning summary events the SDK assembles', async () => {
    f.fake.script(f.upstreamModel, { reasoning: 'Thinking in several words here.', text: 'Done.' });
    const stream = client.responses.stream({ model, input: 'go', reasoning: { summary: 'detailed' }, include: ['reasoning.encrypted_content'] });
    const types: string[] = [];
    let summaryDeltas = '';
    for await (const e of stream) {
      types.push(e.type);
      if (e.type === 'response.reasoning_summary_text.delta') summaryDeltas += e.delta;
    }
    const final = await stream.finalResponse();
    expect(summaryDeltas).toBe('Thinking in several words here.');
    expect(types.slice(0, 6)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.delta',
    ]);
    expect(types).toContain('response.reasoning_summary_text.done');
    expect(types).toContain('response.reasoning_summary_part.done');
    const reasoning = final.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: 'Thinking in several words here.' }]);
    expect(reasoning.encrypted_content).toMatch(/^swy1\./);
    expect(final.output[1]?.type).toBe('message');
  });

  it('drops reasoning encrypted by OpenAI with a warning instead of sending it', async () => {
    f.fake.script(f.upstreamModel, { text: 'ok' });
    const raw = await client.responses
      .create({
        model,
        store: false,
        input: [
          { role: 'user', content: 'hi' },
          { type: 'reasoning', id: 'rs_openai', summary: [], encrypted_content: 'gAAAAABopenai-ciphertext' },
          { role: 'assistant', content: 'hello' },
          { role: 'user', content: 'again' },
        ],
      })
      .withResponse();
    expect(raw.response.headers.get('x-switchyard-warning')).toContain('reasoning items encrypted by OpenAI');
    expect(JSON.stringify(f.fake.lastRequest()?.body)).not.toContain('gAAAAAB');
  });
});

describe('responses reasoning → openai fake (reasoning_content)', () => {
  const f = fixture('openai');
  let gw: TestGateway;

  beforeAll(async () => {
    await f.fake.start();
    gw = await startTestGateway({ deployments: deploymentsFor(f), router: { numRetries: 0 } });
  });
  afterAll(async () => {
    await gw?.close();
    await f.fake.stop();
  });

  it('turns reasoning text into a summary and reports reasoning tokens', async () => {
    f.fake.script(f.upstreamModel, { reasoning: 'Short thought.', text: 'Answer.', usage: { input: 5, output: 8, reasoning: 3 } });
    const client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    const res = await client.responses.create({ model: 'chat-openai', input: 'q', reasoning: { effort: 'high', summary: 'concise' } });
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect((res.output[0] as OpenAI.Responses.ResponseReasoningItem).summary[0]?.text).toBe('Short thought.');
    expect(res.usage?.output_tokens_details.reasoning_tokens).toBe(3);
    expect(f.fake.lastRequest()?.body.reasoning_effort).toBe('high');
  });
});
