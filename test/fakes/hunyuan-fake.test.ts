import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeHunyuan } from './hunyuan-fake.js';

/**
 * The fake against Tencent's documented wire format, with a client written
 * from the "Signature v3" steps (not the gateway's signer): headers, the
 * HTTP-200 error envelope, SSE frames, and that a wrong or stale signature is
 * refused as Tencent does. The official SDK's check is hunyuan-fake.sdk.test.ts.
 */
const ID = 'AKIDdocExample0001';
const KEY = 'docExampleSecretKey';

function sign(host: string, body: string, ts: number, key = KEY): string {
  const sha = (x: string) => createHash('sha256').update(x).digest('hex');
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  const canonical = `POST\n/\n\ncontent-type:application/json\nhost:${host}\n\ncontent-type;host\n${sha(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/hunyuan/tc3_request\n${sha(canonical)}`;
  const h = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest();
  const sig = createHmac('sha256', h(h(h(`TC3${key}`, date), 'hunyuan'), 'tc3_request')).update(toSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${ID}/${date}/hunyuan/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`;
}

describe('FakeHunyuan against the documented Tencent Cloud API 3.0 wire format', () => {
  const fake = new FakeHunyuan({ keys: { [ID]: KEY } });
  let host = '';
  beforeAll(async () => {
    await fake.start();
    host = new URL(fake.url).host;
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function post(body: unknown, opts: { ts?: number; key?: string; action?: string; tamper?: boolean } = {}): Promise<Response> {
    const text = JSON.stringify(body);
    const ts = opts.ts ?? Math.floor(Date.now() / 1000);
    return fetch(`${fake.url}/`, {
      method: 'POST',
      headers: {
        authorization: sign(host, text, ts, opts.key),
        'content-type': 'application/json',
        'x-tc-action': opts.action ?? 'ChatCompletions',
        'x-tc-version': '2023-09-01',
        'x-tc-timestamp': String(ts),
      },
      body: opts.tamper ? text.replace('hi', 'ho') : text,
    });
  }
  const ask = { Model: 'hunyuan-lite', Messages: [{ Role: 'user', Content: 'hi' }] };

  it('answers a signed request in the Response envelope with Choices[].Message and Usage', async () => {
    fake.script('hunyuan-lite', { text: 'Hi there.', usage: { input: 3, output: 2 } });
    const res = await post(ask);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { Response: Record<string, unknown> };
    expect(json.Response).toMatchObject({ Choices: [{ FinishReason: 'stop', Message: { Role: 'assistant', Content: 'Hi there.' } }], Usage: { PromptTokens: 3, CompletionTokens: 2, TotalTokens: 5 } });
    expect(typeof json.Response.RequestId).toBe('string');
  });

  it('streams data: frames with Choices[].Delta, no [DONE], the last with FinishReason and Usage', async () => {
    fake.script('hunyuan-lite', { text: 'one two', usage: { input: 3, output: 2 } });
    const res = await post({ ...ask, Stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = (await res.text()).split('\n\n').filter(Boolean).map((f) => JSON.parse(f.replace(/^data: /, '')) as { Choices: { Delta: { Content: string }; FinishReason: string }[]; Usage: object });
    expect(frames.map((f) => f.Choices[0]!.Delta.Content).join('')).toBe('one two');
    expect(frames.at(-1)).toMatchObject({ Choices: [{ FinishReason: 'stop' }], Usage: { PromptTokens: 3, CompletionTokens: 2 } });
  });

  it('refuses a wrong key, a changed body and a stale timestamp with HTTP 200 and Response.Error', async () => {
    for (const [opts, code] of [
      [{ key: 'wrong' }, 'AuthFailure.SignatureFailure'],
      [{ tamper: true }, 'AuthFailure.SignatureFailure'],
      [{ ts: Math.floor(Date.now() / 1000) - 3600 }, 'AuthFailure.SignatureExpire'],
      [{ action: 'Nope' }, 'InvalidAction'],
    ] as const) {
      const res = await post(ask, opts);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { Response: { Error: { Code: string } } }).Response.Error.Code).toBe(code);
    }
  });

  it('rejects parameters Tencent does not know and messages that break the Role rules', async () => {
    const unknown = (await (await post({ ...ask, max_tokens: 5 })).json()) as { Response: { Error: { Code: string } } };
    expect(unknown.Response.Error.Code).toBe('UnknownParameter');
    const order = (await (await post({ Model: 'm', Messages: [{ Role: 'user', Content: 'a' }, { Role: 'system', Content: 'b' }] })).json()) as { Response: { Error: { Code: string } } };
    expect(order.Response.Error.Code).toBe('InvalidParameterValue');
  });
});
