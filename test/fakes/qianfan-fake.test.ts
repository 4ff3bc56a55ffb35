import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeQianfan } from './qianfan-fake.js';

/**
 * The fake against the documented two-step flow (POST /oauth/2.0/token with client
 * credentials in the query, then ?access_token= on the chat URL) and ERNIE's
 * documented bodies and HTTP-200 `error_code` failures. The official JS
 * SDK's check is qianfan-fake.sdk.test.ts.
 */
describe('FakeQianfan against the documented wenxinworkshop flow', () => {
  const fake = new FakeQianfan({ clients: { AK: 'SK' } });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const token = async (id = 'AK', secret = 'SK') => fetch(`${fake.url}/oauth/2.0/token?grant_type=client_credentials&client_id=${id}&client_secret=${secret}`, { method: 'POST' });
  const chat = (accessToken: string, body: unknown) =>
    fetch(`${fake.url}/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions_pro?access_token=${accessToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('issues an access_token with expires_in, and refuses unknown clients as invalid_client', async () => {
    const ok = (await (await token()).json()) as { access_token: string; expires_in: number };
    expect(ok.access_token).toMatch(/^24\./);
    expect(ok.expires_in).toBe(2_592_000);
    const bad = await token('AK', 'wrong');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
  });

  it('answers chat with result/is_truncated/usage, and error 110 for a token it did not issue', async () => {
    const { access_token } = (await (await token()).json()) as { access_token: string };
    fake.script('completions_pro', { text: '你好！', usage: { input: 2, output: 2 } });
    const res = (await (await chat(access_token, { messages: [{ role: 'user', content: '你好' }] })).json()) as Record<string, unknown>;
    expect(res).toMatchObject({ object: 'chat.completion', result: '你好！', is_truncated: false, need_clear_history: false, usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 } });
    const stale = await chat('24.bogus', { messages: [{ role: 'user', content: '你好' }] });
    expect(stale.status).toBe(200);
    expect(await stale.json()).toEqual({ error_code: 110, error_msg: 'Access token invalid or no longer valid' });
  });

  it('streams data: events with sentence_id and is_end, and enforces ERNIE message rules', async () => {
    const { access_token } = (await (await token()).json()) as { access_token: string };
    fake.script('completions_pro', { text: 'one two' });
    const text = await (await chat(access_token, { messages: [{ role: 'user', content: 'x' }], stream: true })).text();
    const events = text.split('\n\n').filter(Boolean).map((e) => JSON.parse(e.replace(/^data: /, '')) as { sentence_id: number; is_end: boolean; result: string });
    expect(events.map((e) => e.sentence_id)).toEqual([0, 1, 2]);
    expect(events.map((e) => e.is_end)).toEqual([false, false, true]);
    const even = (await (await chat(access_token, { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] })).json()) as { error_code: number };
    expect(even.error_code).toBe(336003);
  });
});
