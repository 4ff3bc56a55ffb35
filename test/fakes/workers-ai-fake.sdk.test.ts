import Cloudflare from 'cloudflare';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeWorkersAi } from './workers-ai-fake.js';
import { fakeEmbedding } from './scenario.js';

const TOKEN = 'cf-sdk-check-token';
const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const LLAMA = '@cf/meta/llama-3.1-8b-instruct';
const BGE = '@cf/baai/bge-base-en-v1.5';

interface RunText {
  response?: string;
  tool_calls?: { name: string; arguments: unknown }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

// The official SDK is the judge of the v4 envelope (it unwraps `result`),
// the URL it builds for a model name with `@` and `/`, and how errors and
// their `errors[]` reach the caller.
describe('FakeWorkersAi against the cloudflare SDK', () => {
  const fake = new FakeWorkersAi({ apiToken: TOKEN, models: [LLAMA, BGE] });
  let client: Cloudflare;
  const make = (apiToken = TOKEN) => new Cloudflare({ apiToken, baseURL: `${fake.url}/client/v4`, maxRetries: 0 });

  beforeAll(async () => {
    await fake.start();
    client = make();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('runs a chat model: the SDK unwraps result.response and usage from the v4 envelope', async () => {
    fake.script(LLAMA, { text: 'Hello from the fake.', usage: { input: 7, output: 4 } });
    const res = (await client.ai.run(LLAMA, { account_id: ACCOUNT, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 32 })) as RunText;
    expect(res).toEqual({ response: 'Hello from the fake.', usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 } });
    const sent = fake.lastRequest()!;
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(decodeURIComponent(sent.url)).toBe(`/client/v4/accounts/${ACCOUNT}/ai/run/${LLAMA}`);
    // account_id is a path parameter: the SDK must not leave it in the body.
    expect(sent.body).toEqual({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 32 });
  });

  it('returns flat tool calls with object arguments', async () => {
    fake.script(LLAMA, { toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }] });
    // The SDK's typings resolve this union member to another `Function` shape; the wire body is what is checked.
    const params = {
      account_id: ACCOUNT,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string', description: 'city' } }, required: ['city'] } } }],
    } as Parameters<Cloudflare['ai']['run']>[1];
    const res = (await client.ai.run(LLAMA, params)) as RunText;
    expect((fake.lastRequest()!.body as { tools: unknown[] }).tools).toHaveLength(1);
    expect(res.tool_calls).toEqual([{ name: 'get_weather', arguments: { city: 'Lisbon' } }]);
  });

  it('streams with stream: true, read through the SDK\'s raw response (run() itself only unwraps JSON)', async () => {
    fake.script(LLAMA, { text: 'one two three', usage: { input: 2, output: 3 } });
    const res = await client.ai.run(LLAMA, { account_id: ACCOUNT, messages: [{ role: 'user', content: 'count' }], stream: true }).asResponse();
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const frames = (await res.text()).split('\n\n').filter(Boolean).map((f) => f.replace(/^data: /, ''));
    expect(frames.at(-1)).toBe('[DONE]');
    const events = frames.slice(0, -1).map((f) => JSON.parse(f) as RunText);
    expect(events.map((e) => e.response).join('')).toBe('one two three');
    expect(events.at(-1)?.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  });

  it('embeds with a bge model: result is {shape, data}', async () => {
    fake.script(BGE, { embeddingDims: 4 });
    const res = (await client.ai.run(BGE, { account_id: ACCOUNT, text: ['hello world', 'bye'] })) as { shape: number[]; data: number[][] };
    expect(res.shape).toEqual([2, 4]);
    expect(res.data).toEqual([fakeEmbedding('hello world', 4), fakeEmbedding('bye', 4)]);
  });

  it('lists models through the SDK\'s v4 page pagination, which stops at the first empty page', async () => {
    const names: string[] = [];
    for await (const m of client.ai.models.list({ account_id: ACCOUNT })) names.push((m as { name: string }).name);
    expect(names).toEqual([LLAMA, BGE]);
    const paged: string[] = [];
    for await (const m of client.ai.models.list({ account_id: ACCOUNT, per_page: 1 })) paged.push((m as { name: string }).name);
    expect(paged).toEqual([LLAMA, BGE]);
    expect(fake.requestsTo('/ai/models/search').map((r) => new URL(r.url, 'http://x').searchParams.get('page'))).toEqual([null, '2', null, '2', '3']);
  });

  it('raises typed errors with status and Cloudflare\'s errors[]: 401, 429, 400', async () => {
    const bad = await make('wrong-token').ai.run(LLAMA, { account_id: ACCOUNT, prompt: 'x' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Cloudflare.AuthenticationError);
    expect((bad as InstanceType<typeof Cloudflare.APIError>).status).toBe(401);
    expect((bad as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([{ code: 10000, message: 'Authentication error' }]);

    fake.script(LLAMA, { error: { status: 429, message: 'Capacity temporarily exceeded', retryAfterS: 1 } });
    const limited = await client.ai.run(LLAMA, { account_id: ACCOUNT, prompt: 'x' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Cloudflare.RateLimitError);
    expect((limited as InstanceType<typeof Cloudflare.APIError>).status).toBe(429);
    expect((limited as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([{ code: 3036, message: 'Capacity temporarily exceeded' }]);

    const unknown = await client.ai.run('@cf/nope/model', { account_id: ACCOUNT, prompt: 'x' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Cloudflare.BadRequestError);
    expect((unknown as Error).message).toContain('No such model @cf/nope/model');
  });
});
