import { describe, expect, it } from 'vitest';
import { buildTarget, getProvider } from '../../src/catalog/index.js';
import { getProtocol } from '../../src/protocols/index.js';
import { zhipuJwt } from '../../src/protocols/http/index.js';
import { alnum9 } from '../../src/protocols/openai/apply-quirks.js';
import { decodeChatResponse, encodeChatRequest } from '../../src/protocols/openai/index.js';
import type { CallOptions } from '../../src/spec/index.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';

const warn = (): void => {};

describe('Mistral: nine-character alphanumeric tool-call ids', () => {
  const target = buildTarget(getProvider('mistral')!, { model: 'mistral-large-latest', apiKey: 'k' });

  it('rewrites other clients\' ids the same way in the call and its result, and keeps ids Mistral issued', () => {
    const body = encodeChatRequest(
      {
        model: 'm',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'call_abc123XYZ_long-id', name: 'w', arguments: '{}' }, { type: 'tool-call', id: 'D681PevKs', name: 'w', arguments: '{}' }] },
          { role: 'tool', toolCallId: 'call_abc123XYZ_long-id', content: [{ type: 'text', text: '1' }] },
          { role: 'tool', toolCallId: 'D681PevKs', content: [{ type: 'text', text: '2' }] },
        ],
      },
      target,
      { warn },
    );
    const msgs = body.messages as { tool_calls?: { id: string }[]; tool_call_id?: string }[];
    const [rewritten, kept] = msgs[1]!.tool_calls!.map((c) => c.id);
    expect(rewritten).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(rewritten).toBe(alnum9('call_abc123XYZ_long-id'));
    expect(msgs[2]!.tool_call_id).toBe(rewritten);
    expect(kept).toBe('D681PevKs');
    expect(msgs[3]!.tool_call_id).toBe('D681PevKs');
  });

  it('rewrites on the relay path too, and safe_prompt travels in providerOptions.mistral', async () => {
    const fake = new FakeOpenAI();
    await fake.start();
    try {
      const t = buildTarget(getProvider('mistral')!, { model: 'mistral-small-latest', apiKey: 'k', apiBase: `${fake.url}/v1` });
      const opts: CallOptions = { requestId: 'r', signal: new AbortController().signal, warn };
      const relay = await getProtocol('openai')!.relay!(
        { path: '/chat/completions', method: 'POST', stream: false, body: { model: 'x', messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01A', type: 'function', function: { name: 'w', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'toolu_01A', content: 'ok' }] } },
        t,
        opts,
      );
      relay.body.resume();
      await relay.done;
      const sent = fake.lastRequest()!.body as { messages: { tool_calls?: { id: string }[]; tool_call_id?: string }[] };
      expect(sent.messages[0]!.tool_calls![0]!.id).toBe(alnum9('toolu_01A'));
      expect(sent.messages[1]!.tool_call_id).toBe(alnum9('toolu_01A'));

      await getProtocol('openai')!.chat({ model: 'x', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], providerOptions: { mistral: { safe_prompt: true } } }, t, opts);
      expect(fake.lastRequest()!.body.safe_prompt).toBe(true);
    } finally {
      await fake.stop();
    }
  });
});

describe('MiniMax reasoning_split', () => {
  it('reads reasoning_details text as reasoning', () => {
    const res = decodeChatResponse(
      { id: 'x', model: 'MiniMax-M2', created: 1, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Four.', reasoning_details: [{ type: 'reasoning.text', text: 'Two plus two…' }] } }], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
      'minimax',
      'MiniMax-M2',
    );
    expect(res.choices[0]!.content).toEqual([{ type: 'reasoning', text: 'Two plus two…' }, { type: 'text', text: 'Four.' }]);
  });
});

describe('Zhipu JWT', () => {
  it('signs id.secret into HS256 with sign_type SIGN and millisecond claims; a key without a dot is sent as is', () => {
    const jwt = zhipuJwt('myid.mysecret', 1_700_000_000_000, 60_000);
    const [h, p] = jwt.split('.') as [string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'HS256', sign_type: 'SIGN' });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({ api_key: 'myid', exp: 1_700_000_060_000, timestamp: 1_700_000_000_000 });
    expect(zhipuJwt('plainkey')).toBe('plainkey');
  });
});

describe('catalog inputs beyond the key', () => {
  it('Cloudflare fills the account id into its path, and says how to set it when missing', () => {
    const cf = getProvider('cloudflare')!;
    expect(buildTarget(cf, { model: '@cf/meta/llama-3.1-8b-instruct', settings: { accountId: 'abc123' } }).baseUrl).toBe('https://api.cloudflare.com/client/v4/accounts/abc123/ai/v1');
    expect(() => buildTarget(cf, { model: 'm' })).toThrow(/cloudflare_account_id or account_id or CLOUDFLARE_ACCOUNT_ID/);
  });

  it('Hunyuan and Qianfan legacy name their LiteLLM params and env vars for config loaders', () => {
    expect(getProvider('hunyuan')!.extraInputs!.map((i) => [i.key, i.slot, i.envVars[0]])).toEqual([
      ['secretId', 'credentials', 'TENCENTCLOUD_SECRET_ID'],
      ['secretKey', 'credentials', 'TENCENTCLOUD_SECRET_KEY'],
      ['region', 'settings', 'TENCENTCLOUD_REGION'],
    ]);
    expect(getProvider('qianfan-legacy')!.extraInputs!.map((i) => i.litellmParams[0])).toEqual(['qianfan_sk', 'qianfan_access_token']);
    expect(buildTarget(getProvider('qianfan-legacy')!, { model: 'ernie-4.0-8k', apiBase: 'https://aip.baidubce.com' }).baseUrl).toBe('https://aip.baidubce.com/rpc/2.0/ai_custom/v1/wenxinworkshop');
  });

  it('MiniMax keeps a LiteLLM Anthropic-style api_base working on the OpenAI route', () => {
    expect(buildTarget(getProvider('minimax')!, { model: 'MiniMax-M2', apiBase: 'https://api.minimax.io/anthropic/v1/messages' }).baseUrl).toBe('https://api.minimax.io/v1');
  });
});
