import http from 'node:http';
import net from 'node:net';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-hunyuan';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeHunyuan } from './hunyuan-fake.js';

const ID = 'AKIDsdkCheck0001';
const KEY = 'sdkCheckSecretKey';
const HOST = 'hunyuan.tencentcloudapi.com';

interface SdkError extends Error {
  code?: string;
  requestId: string;
}
interface SseMessage {
  data: string;
}

/**
 * The official Node SDK signs `host:<hostname>` (never the port) and takes
 * the credential-scope service from the endpoint's first label. Real Tencent
 * is only reached on the default port at hunyuan.tencentcloudapi.com, so the
 * SDK is given exactly that endpoint and an agent that opens every connection
 * to the fake on loopback: the SDK signs and sends what it would in production.
 */
class LoopbackAgent extends http.Agent {
  constructor(private readonly port: number) {
    super({ keepAlive: false });
  }
  override createConnection(_opts: unknown, cb?: (err: Error | null, s: net.Socket) => void): net.Socket {
    const socket = net.connect(this.port, '127.0.0.1');
    cb?.(null, socket);
    return socket;
  }
}

describe('FakeHunyuan against tencentcloud-sdk-nodejs-hunyuan', () => {
  const fake = new FakeHunyuan({ keys: { [ID]: KEY } });
  let agent: LoopbackAgent;
  const client = (secretKey = KEY) =>
    new tencentcloud.hunyuan.v20230901.Client({
      credential: { secretId: ID, secretKey },
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: HOST, protocol: 'http://', agent, reqTimeout: 10 } },
    });

  beforeAll(async () => {
    await fake.start();
    agent = new LoopbackAgent(Number(new URL(fake.url).port));
  });
  afterAll(async () => {
    agent.destroy();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('verifies the SDK\'s TC3 signature and returns Choices, Usage and RequestId through the SDK', async () => {
    fake.script('hunyuan-lite', { text: 'Hello from the fake.', usage: { input: 4, output: 5 } });
    const res = await client().ChatCompletions({ Model: 'hunyuan-lite', Messages: [{ Role: 'system', Content: 'Be brief.' }, { Role: 'user', Content: '你好 there' }], Temperature: 0.5 });
    expect(res.Choices).toEqual([{ FinishReason: 'stop', Message: { Role: 'assistant', Content: 'Hello from the fake.' }, Index: 0 }]);
    expect(res.Usage).toEqual({ PromptTokens: 4, CompletionTokens: 5, TotalTokens: 9 });
    expect(typeof res.RequestId).toBe('string');
    const sent = fake.lastRequest()!;
    expect(sent.headers.host).toBe(HOST);
    expect(sent.headers['x-tc-action']).toBe('ChatCompletions');
    expect(sent.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(String(sent.headers.authorization)).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${ID}/\\d{4}-\\d{2}-\\d{2}/hunyuan/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`));
    expect(sent.body).toMatchObject({ Model: 'hunyuan-lite', Temperature: 0.5 });
  });

  it('returns tool calls in the SDK\'s ToolCalls shape', async () => {
    fake.script('hunyuan-functioncall', { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: '深圳' } }] });
    const res = await client().ChatCompletions({
      Model: 'hunyuan-functioncall',
      Messages: [{ Role: 'user', Content: 'Weather?' }],
      Tools: [{ Type: 'function', Function: { Name: 'get_weather', Parameters: '{"type":"object","properties":{"city":{"type":"string"}}}' } }],
    });
    expect(res.Choices?.[0]?.FinishReason).toBe('tool_calls');
    expect(res.Choices?.[0]?.Message?.ToolCalls?.[0]).toMatchObject({ Id: 'call_1', Type: 'function', Function: { Name: 'get_weather', Arguments: '{"city":"深圳"}' } });
  });

  it('streams with Stream: true as the SDK\'s async iterable of SSE messages', async () => {
    fake.script('hunyuan-turbo', { reasoning: 'Think first.', text: 'one two three', usage: { input: 3, output: 6 } });
    const res = (await client().ChatCompletions({ Model: 'hunyuan-turbo', Messages: [{ Role: 'user', Content: 'count' }], Stream: true })) as unknown as AsyncIterable<SseMessage>;
    expect(Symbol.asyncIterator in res).toBe(true);
    let text = '';
    let reasoning = '';
    const frames: { Choices: { Delta: { Content?: string; ReasoningContent?: string }; FinishReason: string }[]; Usage?: unknown }[] = [];
    for await (const m of res) {
      const f = JSON.parse(m.data) as (typeof frames)[number];
      frames.push(f);
      text += f.Choices[0]?.Delta.Content ?? '';
      reasoning += f.Choices[0]?.Delta.ReasoningContent ?? '';
    }
    expect(text).toBe('one two three');
    expect(reasoning).toBe('Think first.');
    expect(frames.at(-1)).toMatchObject({ Choices: [{ FinishReason: 'stop' }], Usage: { PromptTokens: 3, CompletionTokens: 6, TotalTokens: 9 } });
  });

  it('surfaces a wrong secret as the SDK error with code AuthFailure.SignatureFailure', async () => {
    const err = (await client('not-the-key').ChatCompletions({ Model: 'hunyuan-lite', Messages: [{ Role: 'user', Content: 'x' }] }).catch((e: unknown) => e)) as SdkError;
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('AuthFailure.SignatureFailure');
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('surfaces scripted provider errors and parameter errors with Tencent\'s codes', async () => {
    fake.script('m429', { error: { status: 429, message: 'slow down' } });
    const limited = (await client().ChatCompletions({ Model: 'm429', Messages: [{ Role: 'user', Content: 'x' }] }).catch((e: unknown) => e)) as SdkError;
    expect(limited.code).toBe('RequestLimitExceeded');
    expect(limited.message).toBe('slow down');
    const order = (await client().ChatCompletions({ Model: 'm', Messages: [{ Role: 'user', Content: 'a' }, { Role: 'system', Content: 'b' }] }).catch((e: unknown) => e)) as SdkError;
    expect(order.code).toBe('InvalidParameterValue');
  });
});
