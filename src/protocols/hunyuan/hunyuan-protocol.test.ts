import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, type CallOptions, type StreamPart, type UpstreamTarget } from '../../spec/index.js';
import { FakeHunyuan } from '../../../test/fakes/hunyuan-fake.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { hunyuanProtocol } from './index.js';
import { mapTencentError, statusForTencentCode } from './map-hunyuan-error.js';

const chunks = readFileSync(new URL('./__fixtures__/hunyuan-tool-call.chunks.txt', import.meta.url), 'utf8');

async function decodeSplit(text: string, size: number): Promise<StreamPart[]> {
  const bytes = Buffer.from(text);
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: StreamPart[] = [];
  for await (const p of decodeStream(pieces(), { model: 'hunyuan-turbos-latest', provider: 'hunyuan' })) out.push(p);
  return out;
}

describe('hunyuan stream decoding', () => {
  it('decodes a recorded reasoning + tool-call stream identically at every split size (multi-byte UTF-8 included)', async () => {
    const whole = await decodeSplit(chunks, chunks.length);
    expect(whole[0]).toMatchObject({ type: 'start', id: '2b3c-hy' });
    expect(whole.filter((p) => p.type === 'reasoning-delta').map((p) => (p as { text: string }).text).join('')).toBe('需要查天气');
    expect(whole.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('好的，');
    expect(whole.filter((p) => p.type === 'tool-call-start')).toEqual([{ type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_d1', name: 'get_weather' }]);
    const args = whole.filter((p) => p.type === 'tool-call-delta').map((p) => (p as { argumentsDelta: string }).argumentsDelta).join('');
    expect(JSON.parse(args)).toEqual({ city: '深圳' });
    expect(whole.at(-2)).toEqual({ type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } });
    expect(whole.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 21, outputTokens: 9, totalTokens: 30, cacheReadTokens: 16 } });
    for (const size of [1, 2, 3, 7, 64]) expect(await decodeSplit(chunks, size)).toEqual(whole);
  });

  it('reports an in-stream ErrorMsg as an error part and a cut stream as retryable', async () => {
    const failed = await decodeSplit('data: {"Id":"x","Choices":[{"Delta":{"Content":"a"},"FinishReason":""}]}\n\ndata: {"Id":"x","ErrorMsg":{"Code":4001,"Msg":"请求模型超时"}}\n\n', 5);
    const last = failed.at(-1) as { type: string; error: GatewayError };
    expect(last.type).toBe('error');
    expect(last.error.code).toBe('upstream_timeout');
    expect(last.error.message).toBe('请求模型超时');
    const cut = await decodeSplit('data: {"Id":"x","Choices":[{"Delta":{"Content":"a"},"FinishReason":""}]}\n\n', 9);
    expect((cut.at(-1) as { error: GatewayError }).error.retryable).toBe(true);
  });
});

describe('hunyuan request encoding', () => {
  it('writes PascalCase parameters, one leading system message, tools with JSON-text parameters, and reports what has no mapping', () => {
    const warnings: string[] = [];
    const body = encodeRequest(
      {
        model: 'm',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
          { role: 'assistant', content: [{ type: 'reasoning', text: 'hmm' }, { type: 'tool-call', id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
          { role: 'tool', toolCallId: 'c1', content: [{ type: 'text', text: '{"temp":3}' }] },
          { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] },
        ],
        tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }],
        toolChoice: { type: 'tool', name: 'get_weather' },
        temperature: 0.3,
        maxOutputTokens: 100,
        stop: ['END'],
      },
      'hunyuan-turbos-latest',
      true,
      (m) => warnings.push(m),
    );
    expect(body).toEqual({
      Model: 'hunyuan-turbos-latest',
      Stream: true,
      Messages: [
        { Role: 'system', Content: 'Be brief.' },
        { Role: 'user', Content: 'Weather?' },
        { Role: 'assistant', Content: '', ToolCalls: [{ Id: 'c1', Type: 'function', Function: { Name: 'get_weather', Arguments: '{"city":"Oslo"}' } }] },
        { Role: 'tool', ToolCallId: 'c1', Content: '{"temp":3}' },
        { Role: 'user', Contents: [{ Type: 'text', Text: 'Look:' }, { Type: 'image_url', ImageUrl: { Url: 'https://x/y.png' } }] },
      ],
      Tools: [{ Type: 'function', Function: { Name: 'get_weather', Parameters: '{"type":"object"}' } }],
      ToolChoice: 'custom',
      CustomTool: { Type: 'function', Function: { Name: 'get_weather', Parameters: '{"type":"object"}' } },
      Temperature: 0.3,
      Stop: ['END'],
    });
    expect(warnings.join('\n')).toMatch(/max_tokens is not supported/);
    expect(warnings.join('\n')).toMatch(/reasoning from earlier turns/);
    expect(warnings.join('\n')).toMatch(/stops after a stop sequence/);
    expect(() => encodeRequest({ model: 'm', messages: [], n: 2 }, 'm', false, () => {})).toThrow(/n > 1/);
  });
});

describe('hunyuan error mapping', () => {
  it('maps Tencent error-code families to the statuses the router reasons with', () => {
    expect(statusForTencentCode('AuthFailure.SignatureFailure')).toBe(401);
    expect(statusForTencentCode('AuthFailure.UnauthorizedOperation')).toBe(403);
    expect(statusForTencentCode('ResourceInsufficient.ChargeResourceExhaust')).toBe(403);
    expect(statusForTencentCode('InvalidParameterValue.Model')).toBe(404);
    expect(statusForTencentCode('LimitExceeded')).toBe(429);
    expect(statusForTencentCode('RequestLimitExceeded.GlobalRegionUinLimitExceeded')).toBe(429);
    expect(statusForTencentCode('FailedOperation.EngineServerError')).toBe(503);
    expect(statusForTencentCode('InternalError')).toBe(500);
    expect(statusForTencentCode('InvalidParameter')).toBe(400);
    const e = mapTencentError({ provider: 'hunyuan', code: 'RequestLimitExceeded', message: '请求频率超限', headers: {}, body: '{}' });
    expect(e).toMatchObject({ code: 'upstream_rate_limited', retryable: true, clientCode: 'RequestLimitExceeded', message: '请求频率超限' });
  });
});

describe('hunyuan against the signature-checking fake', () => {
  const fake = new FakeHunyuan({ keys: { AKIDgood: 'right-key' } });
  let base: UpstreamTarget;
  const opts: CallOptions = { requestId: 'r', signal: new AbortController().signal, warn: () => {} };
  beforeAll(async () => {
    await fake.start();
    base = { provider: 'hunyuan', baseUrl: fake.url, model: 'hunyuan-lite', auth: { kind: 'tencent-tc3', service: 'hunyuan' }, credentials: { secretId: 'AKIDgood', secretKey: 'right-key' } };
  });
  afterAll(() => fake.stop());
  const ask = { model: 'hunyuan-lite', messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };

  it('sends the Tencent headers and a signature the fake accepts', async () => {
    fake.script('hunyuan-lite', { text: 'ok' });
    const res = await hunyuanProtocol.chat(ask, { ...base, settings: { region: 'ap-guangzhou' } }, opts);
    expect(res.choices[0]!.content).toEqual([{ type: 'text', text: 'ok' }]);
    const h = fake.lastRequest()!.headers;
    expect(h).toMatchObject({ 'x-tc-action': 'ChatCompletions', 'x-tc-version': '2023-09-01', 'x-tc-region': 'ap-guangzhou', 'content-type': 'application/json; charset=utf-8' });
    expect(String(h.authorization)).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDgood\/\d{4}-\d{2}-\d{2}\/hunyuan\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
  });

  it('a wrong secret key is refused as AuthFailure.SignatureFailure → upstream_auth; an unknown id as SecretIdNotFound', async () => {
    const bad = await hunyuanProtocol.chat(ask, { ...base, credentials: { secretId: 'AKIDgood', secretKey: 'wrong' } }, opts).catch((e: unknown) => e as GatewayError);
    expect(bad).toMatchObject({ code: 'upstream_auth', clientCode: 'AuthFailure.SignatureFailure', retryable: false });
    const unknown = await hunyuanProtocol.stream(ask, { ...base, credentials: { secretId: 'AKIDnope', secretKey: 'x' } }, opts).catch((e: unknown) => e as GatewayError);
    expect(unknown).toMatchObject({ code: 'upstream_auth', clientCode: 'AuthFailure.SecretIdNotFound' });
  });

  it('takes "SecretId:SecretKey" as the api key and fails clearly with neither', async () => {
    fake.script('hunyuan-lite', { text: 'ok' });
    const { credentials: _, ...noCreds } = base;
    expect((await hunyuanProtocol.chat(ask, { ...noCreds, apiKey: 'AKIDgood:right-key' }, opts)).choices[0]!.content).toEqual([{ type: 'text', text: 'ok' }]);
    await expect(hunyuanProtocol.chat(ask, noCreds, opts)).rejects.toThrow(/SecretId and SecretKey/);
  });
});
