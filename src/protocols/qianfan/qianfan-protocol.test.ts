import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallOptions, GatewayError, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { FakeQianfan } from '../../../test/fakes/qianfan-fake.js';
import { clearTokenCache } from './access-token-cache.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { qianfanProtocol } from './index.js';
import { mapErnieError, statusForErnieCode } from './map-qianfan-error.js';

const recorded = readFileSync(new URL('./__fixtures__/ernie-function-call.chunks.txt', import.meta.url), 'utf8');

async function decodeSplit(text: string, size: number): Promise<StreamPart[]> {
  const bytes = Buffer.from(text);
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: StreamPart[] = [];
  for await (const p of decodeStream(pieces(), { model: 'ernie-4.0-8k', provider: 'qianfan-legacy' })) out.push(p);
  return out;
}

describe('ERNIE stream decoding', () => {
  it('decodes a recorded function-call stream identically at every split size', async () => {
    const whole = await decodeSplit(recorded, recorded.length);
    expect(whole.map((p) => p.type)).toEqual(['start', 'text-delta', 'reasoning-delta', 'tool-call-start', 'tool-call-delta', 'finish', 'usage']);
    expect(whole[3]).toEqual({ type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_as-fx8ty9cb1k', name: 'get_weather' });
    expect(whole[5]).toEqual({ type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'function_call' } });
    expect(whole[6]).toEqual({ type: 'usage', usage: { inputTokens: 40, outputTokens: 20, totalTokens: 60 } });
    for (const size of [1, 3, 8, 50]) expect(await decodeSplit(recorded, size)).toEqual(whole);
  });

  it('an error_code event after the 200 ends the stream with the mapped error', async () => {
    const parts = await decodeSplit('data: {"id":"a","sentence_id":0,"is_end":false,"result":"x"}\n\ndata: {"error_code":336100,"error_msg":"try again later"}\n\n', 4);
    const last = parts.at(-1) as { type: string; error: GatewayError };
    expect(last.error).toMatchObject({ code: 'upstream_overloaded', retryable: true, message: 'try again later' });
  });
});

describe('ERNIE request encoding', () => {
  it('moves system text to `system`, sends tools as functions, and names each function result', () => {
    const warnings: string[] = [];
    const body = encodeRequest(
      {
        model: 'x',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"北京"}' }] },
          { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":3}' }] },
        ],
        tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }],
        maxOutputTokens: 100,
        seed: 1,
        user: 'u1',
      },
      false,
      (m) => warnings.push(m),
    );
    expect(body).toEqual({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: '', function_call: { name: 'get_weather', arguments: '{"city":"北京"}' } },
        { role: 'function', name: 'get_weather', content: '{"temp":3}' },
      ],
      functions: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }],
      max_output_tokens: 100,
      user_id: 'u1',
    });
    expect(warnings).toEqual(['qianfan: seed is not supported and was not sent']);
  });
});

describe('ERNIE error codes', () => {
  it('maps Baidu codes by what the router should do', () => {
    expect([110, 111, 14].map(statusForErnieCode)).toEqual([401, 401, 401]);
    expect([4, 17, 18, 336501].map(statusForErnieCode)).toEqual([429, 429, 429, 429]);
    expect(statusForErnieCode(6)).toBe(403);
    expect(statusForErnieCode(2)).toBe(503);
    expect(statusForErnieCode(336003)).toBe(400);
    expect(mapErnieError('q', 336103, 'prompt tokens too long', {}, '{}').code).toBe('context_length_exceeded');
    expect(mapErnieError('q', 18, 'Open api qps request limit reached', {}, '{}')).toMatchObject({ code: 'upstream_rate_limited', clientCode: '18' });
  });
});

describe('the access-token flow against the fake', () => {
  const fake = new FakeQianfan({ clients: { ak1: 'sk1' } });
  let target: UpstreamTarget;
  const opts: CallOptions = { requestId: 'r', signal: new AbortController().signal, warn: () => {} };
  const ask = { model: 'ernie-speed-128k', messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
  beforeAll(async () => {
    await fake.start();
    target = { provider: 'qianfan-legacy', baseUrl: `${fake.url}/rpc/2.0/ai_custom/v1/wenxinworkshop`, model: 'ernie-speed-128k', apiKey: 'ak1', credentials: { secretKey: 'sk1' }, auth: { kind: 'baidu-access-token' } };
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.tokenRequests = 0;
    clearTokenCache();
  });

  it('fetches one token for concurrent calls and reuses it afterwards', async () => {
    await Promise.all([qianfanProtocol.chat(ask, target, opts), qianfanProtocol.chat(ask, target, opts), qianfanProtocol.chat(ask, target, opts)]);
    await qianfanProtocol.chat(ask, target, opts);
    expect(fake.tokenRequests).toBe(1);
    expect(fake.requestsTo('/oauth/2.0/token')[0]!.url).toContain('grant_type=client_credentials&client_id=ak1&client_secret=sk1');
  });

  it('drops a token Baidu no longer accepts (110) and retries once with a new one', async () => {
    await qianfanProtocol.chat(ask, target, opts);
    fake.expireTokens();
    const res = await qianfanProtocol.chat(ask, target, opts);
    expect(res.choices[0]!.content).toEqual([{ type: 'text', text: 'Hello from qianfan model ernie-speed-128k.' }]);
    expect(fake.tokenRequests).toBe(2);
  });

  it('a wrong secret is an auth failure naming Baidu\'s words; "AK:SK" in one api_key works too', async () => {
    const err = (await qianfanProtocol.chat(ask, { ...target, credentials: { secretKey: 'bad' } }, opts).catch((e: unknown) => e)) as GatewayError;
    expect(err).toMatchObject({ code: 'upstream_auth', clientCode: 'invalid_client' });
    expect(err.message).toContain('Client authentication failed');
    const { credentials: _, ...oneKey } = target;
    expect((await qianfanProtocol.chat(ask, { ...oneKey, apiKey: 'ak1:sk1' }, opts)).choices).toHaveLength(1);
  });

  it('a ready access token skips the OAuth exchange', async () => {
    const { access_token } = (await (await fetch(`${fake.url}/oauth/2.0/token?grant_type=client_credentials&client_id=ak1&client_secret=sk1`, { method: 'POST' })).json()) as { access_token: string };
    fake.tokenRequests = 0;
    await qianfanProtocol.chat(ask, { ...target, apiKey: undefined, credentials: { accessToken: access_token } }, opts);
    expect(fake.tokenRequests).toBe(0);
    expect(fake.lastRequest()!.url).toContain(`access_token=${access_token}`);
  });
});
