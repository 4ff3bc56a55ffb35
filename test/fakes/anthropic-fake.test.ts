import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropic } from './anthropic-fake.js';

// The official SDK is the judge: if it reads the fake correctly, the fake speaks Anthropic.
describe('FakeAnthropic against @anthropic-ai/sdk', () => {
  const fake = new FakeAnthropic({ apiKey: 'sk-ant-test' });
  let client: Anthropic;

  beforeAll(async () => {
    const url = await fake.start();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: url, maxRetries: 0 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers messages.create with text, stop_reason and cache usage', async () => {
    fake.script('claude-test', { text: 'Hi there friend.', usage: { input: 100, output: 3, cacheRead: 60, cacheWrite: 30 } });
    const msg = await client.messages.create({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'Hi there friend.' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 60, cache_creation_input_tokens: 30, output_tokens: 3 });
    expect(msg._request_id).toMatch(/^req_/);
    const sent = fake.lastRequest()!;
    expect(sent.headers['anthropic-version']).toBeDefined();
  });

  it('answers messages.create with a tool_use block', async () => {
    fake.script('claude-tools', { toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    const msg = await client.messages.create({
      model: 'claude-tools',
      max_tokens: 64,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]);
  });

  it('streams text with messages.stream and finalMessage()', async () => {
    fake.script('claude-stream', { text: 'One two three four.', usage: { input: 12, output: 4 } });
    const stream = client.messages.stream({ model: 'claude-stream', max_tokens: 64, messages: [{ role: 'user', content: 'Count' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('One two three four.');
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'One two three four.' })]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 12, output_tokens: 4 });
  });

  it('streams thinking with a signature before the text', async () => {
    fake.script('claude-think', { reasoning: 'Let me think.', text: 'Done.' });
    const final = await client.messages
      .stream({ model: 'claude-think', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Q' }] })
      .finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'Let me think.' });
    expect((final.content[0] as { signature: string }).signature).toMatch(/^sig_/);
    expect(final.content[1]).toMatchObject({ type: 'text', text: 'Done.' });
  });

  it('streams tool input as input_json_delta fragments the SDK reassembles', async () => {
    const input = { city: 'São Paulo', units: 'celsius', days: [1, 2, 3], note: 'quote " and \\ backslash' };
    fake.script('claude-tool-stream', { toolCalls: [{ id: 'toolu_9', name: 'forecast', arguments: input }] });
    const stream = client.messages.stream({ model: 'claude-tool-stream', max_tokens: 64, messages: [{ role: 'user', content: 'Forecast' }] });
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const final = await stream.finalMessage();
    expect(partials.length).toBeGreaterThan(3);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([expect.objectContaining({ type: 'tool_use', id: 'toolu_9', name: 'forecast', input })]);
  });

  it('raises RateLimitError for a scripted 429 with retry-after', async () => {
    fake.script('claude-limited', { error: { status: 429, retryAfterS: 7 } });
    const err = await client.messages.create({ model: 'claude-limited', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const e = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('7');
    expect((e.error as { error: { type: string } }).error.type).toBe('rate_limit_error');
  });

  it('raises a 529 overloaded error', async () => {
    fake.script('claude-busy', { error: { status: 529 } });
    const err = await client.messages.create({ model: 'claude-busy', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  });

  it('rejects a wrong key with authentication_error', async () => {
    const bad = new Anthropic({ apiKey: 'wrong', baseURL: fake.url, maxRetries: 0 });
    const err = await bad.messages.create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('rejects a request without max_tokens and non-alternating roles like the real API', async () => {
    const noMax = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(noMax.status).toBe(400);
    expect(await noMax.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
    const err = await client.messages
      .create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('requires anthropic-version', async () => {
    const res = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('counts tokens and lists models', async () => {
    const count = await client.messages.countTokens({ model: 'claude-test', messages: [{ role: 'user', content: 'one two three' }] });
    expect(count.input_tokens).toBe(6);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain('claude-sonnet-4-5');
  });

  it('resets the connection mid-stream when scripted', async () => {
    fake.script('claude-reset', { text: 'a b c d e f g h', resetAfterChunks: 4 });
    const stream = client.messages.stream({ model: 'claude-reset', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
    await expect(stream.finalMessage()).rejects.toThrow();
  });
});
