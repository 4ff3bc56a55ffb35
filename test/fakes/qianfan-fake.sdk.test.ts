import { ChatCompletion, Embedding } from '@baiducloud/qianfan';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeQianfan } from './qianfan-fake.js';
import { fakeEmbedding } from './scenario.js';

const AK = 'qf-sdk-ak';
const SK = 'qf-sdk-sk';

interface ChatResp {
  result: string;
  is_end?: boolean;
  finish_reason?: string;
  function_call?: { name: string; arguments: string };
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/**
 * @baiducloud/qianfan 0.2.4 speaks the legacy wenxinworkshop API with AK/SK:
 * it POSTs /oauth/2.0/token?grant_type=client_credentials&client_id&client_secret
 * on QIANFAN_BASE_URL, then `…/wenxinworkshop/chat/<endpoint>?access_token=`,
 * mapping the model name to its endpoint itself (ERNIE-4.0-8K →
 * completions_pro). Its body carries `extra_parameters.request_source`.
 * The constructor's QIANFAN_BASE_URL points it at the fake; retries are off
 * so an error surfaces once.
 */
describe('FakeQianfan against @baiducloud/qianfan', () => {
  const fake = new FakeQianfan({ clients: { [AK]: SK } });
  const opts = (sk = SK) => ({ QIANFAN_AK: AK, QIANFAN_SK: sk, QIANFAN_BASE_URL: fake.url, QIANFAN_CONSOLE_API_BASE_URL: fake.url, QIANFAN_LLM_API_RETRY_COUNT: '0', ENABLE_OAUTH: false });

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('gets a token with AK/SK, then chats with ERNIE on its mapped endpoint, reusing the token', async () => {
    fake.script('completions_pro', { text: 'Hello from the fake.', usage: { input: 6, output: 4 } });
    const client = new ChatCompletion(opts());
    const before = fake.tokenRequests;
    const res = (await client.chat({ messages: [{ role: 'user', content: '你好' }], system: 'Be brief.', temperature: 0.5 }, 'ERNIE-4.0-8K')) as ChatResp;
    expect(res.result).toBe('Hello from the fake.');
    expect(res.usage).toEqual({ prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
    const sent = fake.lastRequest()!;
    expect(sent.url).toMatch(/^\/rpc\/2\.0\/ai_custom\/v1\/wenxinworkshop\/chat\/completions_pro\?access_token=24\./);
    expect(sent.body).toMatchObject({ messages: [{ role: 'user', content: '你好' }], system: 'Be brief.', extra_parameters: { request_source: expect.stringMatching(/^qianfan_js_sdk_v/) } });
    await client.chat({ messages: [{ role: 'user', content: 'again' }] }, 'ERNIE-4.0-8K');
    expect(fake.tokenRequests).toBe(before + 1);
  });

  it('returns a function_call with string arguments', async () => {
    fake.script('ernie-lite-8k', { toolCalls: [{ name: 'get_weather', arguments: { city: '北京' } }] });
    const res = (await new ChatCompletion(opts()).chat(
      { messages: [{ role: 'user', content: 'Weather?' }], functions: [{ name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }] },
      'ERNIE-Lite-8K',
    )) as ChatResp;
    expect(res.finish_reason).toBe('function_call');
    expect(res.function_call).toMatchObject({ name: 'get_weather', arguments: '{"city":"北京"}' });
  });

  it('streams with stream: true as the SDK\'s async iterable, ending with is_end and usage', async () => {
    fake.script('ernie_speed', { text: 'one two three', usage: { input: 2, output: 3 } });
    const stream = (await new ChatCompletion(opts()).chat({ messages: [{ role: 'user', content: 'count' }], stream: true }, 'ERNIE-Speed-8K')) as AsyncIterable<ChatResp>;
    const events: ChatResp[] = [];
    for await (const e of stream) events.push(e);
    expect(events.map((e) => e.result).join('')).toBe('one two three');
    expect(events.at(-1)).toMatchObject({ is_end: true, finish_reason: 'normal', usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } });
  });

  it('embeds with Embedding-V1', async () => {
    fake.script('embedding-v1', { embeddingDims: 4 });
    const res = await new Embedding(opts()).embedding({ input: ['hello world', 'bye'] }, 'Embedding-V1');
    expect(res.data.map((d: { embedding: number[] }) => d.embedding)).toEqual([fakeEmbedding('hello world', 4), fakeEmbedding('bye', 4)]);
    expect(fake.lastRequest()!.url).toMatch(/^\/rpc\/2\.0\/ai_custom\/v1\/wenxinworkshop\/embeddings\/embedding-v1\?access_token=/);
  });

  it('surfaces a wrong secret key as a failed token request, and ERNIE error_code bodies as errors', async () => {
    const bad = await new ChatCompletion(opts('wrong')).chat({ messages: [{ role: 'user', content: 'x' }] }, 'ERNIE-4.0-8K').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Error);
    // The SDK words every non-2xx as "Request timed out." followed by the status and the body.
    expect((bad as Error).message).toMatch(/^Failed to get access token: [\s\S]*status = 401[\s\S]*"error":"invalid_client"/);
    expect(fake.lastRequest()!.url).toMatch(/^\/oauth\/2\.0\/token\?grant_type=client_credentials&client_id=qf-sdk-ak&client_secret=wrong$/);

    const order = await new ChatCompletion(opts()).chat({ messages: [{ role: 'assistant', content: 'x' }] }, 'ERNIE-4.0-8K').catch((e: unknown) => e);
    expect(JSON.parse((order as Error).message)).toMatchObject({ error_code: 336003 });

    fake.script('completions_pro', { error: { status: 403, message: 'No permission to access data' } });
    const denied = await new ChatCompletion(opts()).chat({ messages: [{ role: 'user', content: 'x' }] }, 'ERNIE-4.0-8K').catch((e: unknown) => e);
    expect(JSON.parse((denied as Error).message)).toMatchObject({ error_code: 6, error_msg: 'No permission to access data' });
  });
});
