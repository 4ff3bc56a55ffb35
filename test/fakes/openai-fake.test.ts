import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from './openai-fake.js';

/** The fake checked against the official SDK, so it is faithful to OpenAI and not just to our adapter. */
describe('FakeOpenAI against the official openai SDK', () => {
  const fake = new FakeOpenAI({ apiKey: 'sk-test' });
  let client: OpenAI;

  beforeAll(async () => {
    const url = await fake.start();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: `${url}/v1`, maxRetries: 0 });
  });
  afterAll(() => fake.stop());

  it('answers a chat completion', async () => {
    fake.script('m-text', { text: 'Hi there friend', usage: { input: 11, output: 3, cacheRead: 4 } });
    const res = await client.chat.completions.create({ model: 'm-text', messages: [{ role: 'user', content: 'hello' }] });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hi there friend' });
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14, prompt_tokens_details: { cached_tokens: 4 } });
  });

  it('streams with a final usage chunk when include_usage is set', async () => {
    fake.script('m-stream', { text: 'one two three' });
    const stream = await client.chat.completions.create({
      model: 'm-stream',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let roleFirst = false;
    let n = 0;
    for await (const chunk of stream) {
      if (n++ === 0) roleFirst = chunk.choices[0]?.delta.role === 'assistant';
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(roleFirst).toBe(true);
    expect(text).toBe('one two three');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: 3 });
  });

  it('streams no usage chunk without include_usage', async () => {
    fake.script('m-nousage', { text: 'a b' });
    const stream = await client.chat.completions.create({ model: 'm-nousage', messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.every((c) => !c.usage)).toBe(true);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it('returns tool calls, streamed and not', async () => {
    fake.script('m-tools', { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_time', arguments: { tz: 'CET' } }] });
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const res = await client.chat.completions.create({ model: 'm-tools', messages: [{ role: 'user', content: 'weather?' }], tools });
    const calls = res.choices[0]?.message.tool_calls ?? [];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(res.choices[0]?.message.content).toBeNull();
    expect(calls.map((c) => (c.type === 'function' ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : null))).toEqual([
      ['call_1', 'get_weather', { city: 'Paris' }],
      ['call_fake1', 'get_time', { tz: 'CET' }],
    ]);

    // The SDK's own stream helper assembles the deltas: proof the fragments follow OpenAI's rules.
    const runner = client.chat.completions.stream({ model: 'm-tools', messages: [{ role: 'user', content: 'weather?' }], tools });
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls ?? [];
    expect(streamed.map((c) => (c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : null))).toEqual([
      ['call_1', 'get_weather', '{"city":"Paris"}'],
      ['call_fake1', 'get_time', '{"tz":"CET"}'],
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('creates embeddings (the SDK asks for base64 and decodes it)', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
    expect(fake.lastRequest()?.body.encoding_format).toBe('base64');
    expect(res.data).toHaveLength(2);
    expect(res.data[0]?.embedding).toHaveLength(8);
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha', encoding_format: 'float' });
    expect(res.data[0]?.embedding).toEqual(floats.data[0]?.embedding.map((v) => Math.fround(v)));
    expect(res.usage.prompt_tokens).toBe(2);
  });

  it('lists models and runs a legacy completion', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini');
    const done = await client.completions.create({ model: 'm-text', prompt: 'Say hi' });
    expect(done.choices[0]?.text).toBe('Hi there friend');
    const stream = await client.completions.create({ model: 'm-text', prompt: 'Say hi', stream: true, stream_options: { include_usage: true } });
    let text = '';
    let total = 0;
    for await (const c of stream) {
      text += c.choices[0]?.text ?? '';
      total = c.usage?.total_tokens ?? total;
    }
    expect(text).toBe('Hi there friend');
    expect(total).toBe(14);
  });

  it('raises RateLimitError for a scripted 429 with retry-after', async () => {
    fake.script('m-429', { error: { status: 429, message: 'Slow down', retryAfterS: 7 } });
    const err = await client.chat.completions.create({ model: 'm-429', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.message).toContain('Slow down');
    expect(e.headers.get('retry-after')).toBe('7');
    expect(e.requestID).toMatch(/^req_/);
  });

  it('rejects a wrong key with AuthenticationError', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    const err = await bad.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });

  it('serves the same routes without the /v1 prefix', async () => {
    const bare = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 });
    const res = await bare.chat.completions.create({ model: 'm-text', messages: [{ role: 'user', content: 'hello' }] });
    expect(res.choices[0]?.message.content).toBe('Hi there friend');
  });

  it('streams reasoning_content deltas before the answer', async () => {
    fake.script('m-think', { reasoning: 'let me think', text: 'done' });
    const stream = await client.chat.completions.create({ model: 'm-think', messages: [{ role: 'user', content: 'q' }], stream: true });
    const kinds: string[] = [];
    for await (const c of stream) {
      const d = c.choices[0]?.delta as Record<string, unknown> | undefined;
      if (d?.reasoning_content) kinds.push('r');
      if (d?.content) kinds.push('t');
    }
    expect(kinds.join('')).toBe('rrrt');
  });
});
