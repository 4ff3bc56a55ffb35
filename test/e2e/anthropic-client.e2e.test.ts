import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { deploymentsFor, protocolFixtures } from './fakes.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * The official `@anthropic-ai/sdk` against the real server, in front of each
 * protocol's fake: Anthropic → Anthropic takes the relay (body unchanged but
 * for the model), everything else is translated both ways.
 */
const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] },
};

for (const f of protocolFixtures()) {
  describe(`anthropic client → switchyard → ${f.label ?? f.protocol} fake`, () => {
    let gw: TestGateway;
    let client: Anthropic;
    const model = `chat-${f.protocol}`;

    beforeAll(async () => {
      await f.fake.start();
      gw = await startTestGateway({ deployments: deploymentsFor(f), router: { numRetries: 0 } });
      client = new Anthropic({ apiKey: gw.key, baseURL: gw.url, maxRetries: 0 });
    });
    afterAll(async () => {
      await gw?.close();
      await f.fake.stop();
    });
    beforeEach(() => f.fake.reset());

    it('answers messages.create with the exact text, stop_reason and usage', async () => {
      f.fake.script(f.upstreamModel, { text: 'The capital of France is Paris.', usage: { input: 11, output: 7 } });
      const msg = await client.messages.create({ model, max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: 'Capital of France?' }] });
      expect(msg.id).toMatch(/^msg_/);
      expect(msg.type).toBe('message');
      expect(msg.model).toBe(f.protocol === 'anthropic' ? f.upstreamModel : model);
      expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'The capital of France is Paris.' })]);
      expect(msg.stop_reason).toBe('end_turn');
      expect(msg.usage).toMatchObject({ input_tokens: 11, output_tokens: 7 });
    });

    it('streams with messages.stream().finalMessage()', async () => {
      f.fake.script(f.upstreamModel, { text: 'One two three four five.', usage: { input: 9, output: 5 } });
      const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'Count to five' }] });
      let deltas = 0;
      stream.on('text', () => deltas++);
      const msg = await stream.finalMessage();
      expect(deltas).toBeGreaterThan(1);
      expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'One two three four five.' })]);
      expect(msg.stop_reason).toBe('end_turn');
      expect(msg.usage).toMatchObject({ input_tokens: 9, output_tokens: 5 });
    });

    it('round-trips a tool call and its result', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'toolu_w1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }], finish: 'tool_calls' });
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.messages.create({ model, max_tokens: 256, tools: [weatherTool], messages });
      expect(first.stop_reason).toBe('tool_use');
      const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris', unit: 'c' } });

      f.fake.script(f.upstreamModel, { text: 'It is 21 degrees in Paris.' });
      messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.id, content: '{"temp":21}' }] });
      const second = await client.messages.create({ model, max_tokens: 256, tools: [weatherTool], messages });
      expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'It is 21 degrees in Paris.' })]);
      // The tool result reached the upstream in its own wire format.
      expect(f.fake.lastRequest()?.rawBody).toContain('temp');
    });

    const multiSkip = f.skip?.multipleToolCalls;
    (multiSkip ? it.skip : it)(`streams two tool calls as separate blocks whose input_json_delta assembles${multiSkip ? ` (skipped: ${multiSkip})` : ''}`, async () => {
      f.fake.script(f.upstreamModel, {
        text: 'Checking both.',
        toolCalls: [
          { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'toolu_b', name: 'get_weather', arguments: { city: 'Tokyo "east"', unit: 'f' } },
        ],
        finish: 'tool_calls',
      });
      const msg = await client.messages.stream({ model, max_tokens: 256, tools: [weatherTool], messages: [{ role: 'user', content: 'Paris and Tokyo?' }] }).finalMessage();
      expect(msg.stop_reason).toBe('tool_use');
      expect(msg.content.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
      expect(msg.content.slice(1)).toEqual([
        expect.objectContaining({ name: 'get_weather', input: { city: 'Paris' } }),
        expect.objectContaining({ name: 'get_weather', input: { city: 'Tokyo "east"', unit: 'f' } }),
      ]);
    });

    const reasoningSkip = f.skip?.reasoning;
    (reasoningSkip ? it.skip : it)(`streams thinking before the text and the thinking goes back on the next turn${reasoningSkip ? ` (skipped: ${reasoningSkip})` : ''}`, async () => {
      f.fake.script(f.upstreamModel, { reasoning: 'The user wants a greeting.', text: 'Hello!' });
      const msg = await client.messages.stream({ model, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Greet me' }] }).finalMessage();
      expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text']);
      expect(msg.content[0]).toMatchObject({ type: 'thinking', thinking: 'The user wants a greeting.' });
      expect(msg.content[1]).toMatchObject({ type: 'text', text: 'Hello!' });

      f.fake.script(f.upstreamModel, { text: 'Bye!' });
      const next = await client.messages.create({
        model,
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'Greet me' }, { role: 'assistant', content: msg.content }, { role: 'user', content: 'Now say bye' }],
      });
      expect(next.content).toEqual([expect.objectContaining({ type: 'text', text: 'Bye!' })]);
    });

    it('turns a mid-stream upstream failure into an SDK error, not a silent truncation', async () => {
      f.fake.script(f.upstreamModel, { text: 'one two three four five six seven eight', resetAfterChunks: 4 });
      const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: 'count' }] });
      const err = await stream.finalMessage().catch((e: unknown) => e);
      // The gateway's in-band `event: error` (Anthropic's shape) is what the SDK raises.
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    });

    it('maps an upstream 429 to the SDK RateLimitError in Anthropic shape', async () => {
      f.fake.script(f.upstreamModel, { error: { status: 429, message: 'Slow down: quota for this minute is used up', retryAfterS: 7 } });
      const err = await client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.RateLimitError);
      expect((err as APIError).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Slow down') } });
      expect((err as APIError).headers?.get('retry-after')).toBe('7');
    });

    it('counts tokens: exactly upstream for Anthropic, locally otherwise', async () => {
      const res = await client.messages.countTokens({ model, messages: [{ role: 'user', content: 'one two three four' }] });
      if (f.protocol === 'anthropic') {
        expect(res.input_tokens).toBe(7);
        expect(f.fake.lastRequest()?.url).toBe('/v1/messages/count_tokens');
      } else {
        expect(res.input_tokens).toBeGreaterThan(3);
        expect(f.fake.requests).toHaveLength(0);
      }
    });

    if (f.protocol === 'anthropic') {
      it('relays the body unchanged except the model, with anthropic-* headers', async () => {
        f.fake.script(f.upstreamModel, { text: 'ok' });
        const body = {
          model,
          max_tokens: 64,
          system: [{ type: 'text' as const, text: 'sys', cache_control: { type: 'ephemeral' as const } }],
          messages: [{ role: 'user' as const, content: 'hi' }],
          thinking: { type: 'enabled' as const, budget_tokens: 1024 },
          context_management: { edits: [{ type: 'clear_thinking_20251015' }] },
          stream: true as const,
        };
        const res = await fetch(`${gw.url}/v1/messages?beta=true`, {
          method: 'POST',
          headers: { 'x-api-key': gw.key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'context-management-2025-06-27' },
          body: JSON.stringify(body),
        });
        const text = await res.text();
        expect(res.headers.get('content-type')).toContain('text/event-stream');
        expect(text).toContain('event: message_stop');
        const sent = f.fake.lastRequest()!;
        expect(sent.body).toEqual({ ...body, model: f.upstreamModel });
        expect(sent.headers['anthropic-beta']).toBe('context-management-2025-06-27');
        expect(sent.headers['x-api-key']).toBe(f.target(f.upstreamModel).apiKey);
        expect(res.headers.get('x-switchyard-warning')).toBeNull();
      });
    } else {
      it('sends each Anthropic-only field or reports it by name, never drops one silently', async () => {
        f.fake.script(f.upstreamModel, { text: 'ok' });
        const res = await fetch(`${gw.url}/v1/messages?beta=true`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json', 'anthropic-beta': 'context-management-2025-06-27' },
          body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], context_management: { edits: [] }, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }),
        });
        expect(res.status).toBe(200);
        const warning = res.headers.get('x-switchyard-warning') ?? '';
        const upstream = f.fake.lastRequest()!;
        // Claude through another cloud receives them (its protocol reads Anthropic options); anything else names them.
        const sentContext = upstream.rawBody.includes('context_management');
        expect(sentContext || /context_management\b.*not sent/.test(warning), warning).toBe(true);
        const sentBeta = String(upstream.headers['anthropic-beta'] ?? '').includes('context-management-2025-06-27') || upstream.rawBody.includes('context-management-2025-06-27');
        expect(sentBeta || /(anthropic-beta|betas)\b.*not sent/.test(warning), warning).toBe(true);
        // A server tool runs only inside Anthropic's own API.
        expect(warning).toContain('web_search_20250305');
      });
    }
  });
}

describe('anthropic client: gateway errors in Anthropic shape', () => {
  const openai = new FakeOpenAI();
  let gw: TestGateway;
  let client: Anthropic;

  beforeAll(async () => {
    await openai.start();
    gw = await startTestGateway({ deployments: [{ publicModel: 'chat', protocol: 'openai', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }], bodyLimitBytes: 4096 });
    client = new Anthropic({ apiKey: gw.key, baseURL: gw.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.close();
    await openai.stop();
  });

  const post = (body: string, key = gw.key) => fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body });

  it('401 for a bad key', async () => {
    const err = await new Anthropic({ apiKey: 'sk-wrong', baseURL: gw.url, maxRetries: 0 }).messages.create({ model: 'chat', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as APIError).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect((err as APIError).requestID).toMatch(/^req_/);
  });

  it('404 for an unknown model', async () => {
    const err = await client.messages.create({ model: 'nope', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect((err as APIError).error).toMatchObject({ error: { type: 'not_found_error', message: expect.stringContaining("'nope'") } });
  });

  it('400 naming max_tokens when it is missing', async () => {
    const res = await post(JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  });

  it('400 for a body that is not JSON, 413 for one too large, both Anthropic-shaped', async () => {
    const bad = await post('{"model":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const big = await post(JSON.stringify({ model: 'chat', max_tokens: 8, messages: [{ role: 'user', content: 'x'.repeat(5000) }] }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  });

  it('answers the HEAD / and GET / probes', async () => {
    expect((await fetch(`${gw.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${gw.url}/`)).status).toBe(200);
  });
});
