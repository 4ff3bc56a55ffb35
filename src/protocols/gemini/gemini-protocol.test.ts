import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGemini } from '../../../test/fakes/gemini-fake.js';
import { GatewayError, type CallOptions, type ChatRequest, type StreamPart, type UpstreamTarget } from '../../spec/index.js';
import { closePools } from '../http/index.js';
import { geminiProtocol } from './index.js';

const KEY = 'AIza-protocol-test';

/** The protocol driven end to end against the fake over real HTTP. */
describe('geminiProtocol against FakeGemini', () => {
  const fake = new FakeGemini({ apiKey: KEY, models: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash'] });
  let target: UpstreamTarget;
  let warnings: string[];
  let opts: CallOptions;

  beforeAll(async () => {
    await fake.start();
    target = { provider: 'gemini', baseUrl: `${fake.url}/v1beta`, model: 'gemini-2.5-flash', apiKey: KEY, auth: { kind: 'header', name: 'x-goog-api-key' } };
  });
  afterAll(async () => {
    await closePools();
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    warnings = [];
    opts = { requestId: 'req-1', signal: new AbortController().signal, warn: (w) => warnings.push(w) };
  });

  const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra });

  async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
    const parts: StreamPart[] = [];
    for await (const p of stream) parts.push(p);
    return parts;
  }

  it('chats: text, reasoning with its signature, usage, and the key in x-goog-api-key', async () => {
    fake.script('gemini-2.5-flash', { text: 'Paris.', reasoning: 'Easy one.', usage: { input: 9, output: 7, reasoning: 5 } });
    const res = await geminiProtocol.chat(ask('Capital of France?', { reasoningEffort: 'low' }), target, opts);
    expect(res.choices[0]!.content).toEqual([
      { type: 'reasoning', text: 'Easy one.' },
      { type: 'reasoning', text: '', signature: expect.any(String) },
      { type: 'text', text: 'Paris.' },
    ]);
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 7, totalTokens: 16, reasoningTokens: 5 });
    const sent = fake.lastRequest()!;
    expect(sent.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    expect(sent.body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 1024, includeThoughts: true });
    expect(warnings).toEqual([]);
  });

  it('runs a full tool round trip: the call, then the result named and the signature sent back', async () => {
    fake.script('gemini-2.5-flash', { reasoning: 'Need the tool.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const tools: ChatRequest['tools'] = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const first = await geminiProtocol.chat(ask('Weather in Oslo?', { tools }), target, opts);
    const call = first.choices[0]!.content.find((p) => p.type === 'tool-call');
    expect(call).toMatchObject({ type: 'tool-call', name: 'get_weather', arguments: '{"city":"Oslo"}' });
    expect(first.choices[0]!.finishReason.unified).toBe('tool-calls');

    fake.script('gemini-2.5-flash', { text: 'It is 4°C in Oslo.' });
    const second = await geminiProtocol.chat(
      {
        ...ask('Weather in Oslo?', { tools }),
        messages: [
          ...ask('Weather in Oslo?').messages,
          { role: 'assistant', content: first.choices[0]!.content },
          { role: 'tool', toolCallId: (call as { id: string }).id, content: [{ type: 'text', text: '{"celsius":4}' }] },
        ],
      },
      target,
      opts,
    );
    expect(second.choices[0]!.content).toEqual([{ type: 'text', text: 'It is 4°C in Oslo.' }]);
    const sent = fake.lastRequest()!.body;
    expect(sent.contents[1]).toEqual({
      role: 'model',
      parts: [{ text: 'Need the tool.', thought: true }, { functionCall: { name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: expect.any(String) }],
    });
    expect(sent.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { celsius: 4 } } }] });
  });

  it('streams text word by word with a finish and usage', async () => {
    fake.script('gemini-2.5-flash', { text: 'one two three', usage: { input: 4, output: 3 } });
    const parts = await collect(await geminiProtocol.stream(ask('count'), target, opts));
    expect(parts[0]).toMatchObject({ type: 'start', model: 'gemini-2.5-flash' });
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('one two three');
    expect(parts.slice(-2)).toEqual([
      { type: 'finish', choice: 0, finishReason: { unified: 'stop', raw: 'STOP' } },
      { type: 'usage', usage: { inputTokens: 4, outputTokens: 3, totalTokens: 7 } },
    ]);
    expect(fake.lastRequest()!.url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('streams a safety block as a content-filter finish', async () => {
    fake.script('gemini-2.5-flash', { finish: 'content_filter' });
    const parts = await collect(await geminiProtocol.stream(ask('bad'), target, opts));
    expect(parts.find((p) => p.type === 'finish')).toEqual({ type: 'finish', choice: 0, finishReason: { unified: 'content-filter', raw: 'SAFETY' } });
  });

  it('reports a mid-stream reset as an error part, after the stream was accepted', async () => {
    fake.script('gemini-2.5-flash', { text: 'a b c d e f', resetAfterChunks: 2 });
    const parts = await collect(await geminiProtocol.stream(ask('go'), target, opts));
    expect(parts.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    const last = parts[parts.length - 1];
    expect(last).toMatchObject({ type: 'error', error: { code: 'upstream_connection', retryable: true } });
  });

  it('rejects before streaming on a 429, with the RetryInfo delay', async () => {
    fake.script('gemini-2.5-flash', { error: { status: 429, retryAfterS: 3 } });
    const err = await geminiProtocol.stream(ask('hi'), target, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'upstream_rate_limited', status: 429, retryable: true, retryAfterMs: 3000 });
  });

  it('maps a wrong key (400 API_KEY_INVALID) to an upstream auth error', async () => {
    const err = await geminiProtocol.chat(ask('hi'), { ...target, apiKey: 'wrong' }, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_auth', upstreamStatus: 400, clientCode: 'API_KEY_INVALID' });
  });

  it('times out a hung upstream with a typed, retryable error', async () => {
    fake.script('gemini-2.5-flash', { hang: true });
    const err = await geminiProtocol.chat(ask('hi'), { ...target, timeoutMs: 200 }, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_timeout', retryable: true });
  });

  it('embeds through batchEmbedContents, with dimensions, base64 and estimated usage', async () => {
    const embTarget = { ...target, model: 'gemini-embedding-001' };
    const res = await geminiProtocol.embed!({ model: 'gemini-embedding-001', input: ['hello world', 'bye'], dimensions: 4, providerOptions: { gemini: { taskType: 'RETRIEVAL_QUERY' } } }, embTarget, opts);
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    expect(res.data[0]!.embedding).toHaveLength(4);
    expect(res.usage).toEqual({ inputTokens: 4, outputTokens: 0, totalTokens: 4 });
    expect(res.usageSource).toBe('estimated');
    expect(fake.lastRequest()!.body.requests[0]).toEqual({ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello world' }] }, taskType: 'RETRIEVAL_QUERY', outputDimensionality: 4 });

    const b64 = await geminiProtocol.embed!({ model: 'gemini-embedding-001', input: ['hello world'], dimensions: 4, encodingFormat: 'base64' }, embTarget, opts);
    const floats = new Float32Array(Uint8Array.from(Buffer.from(b64.data[0]!.embedding as string, 'base64')).buffer);
    expect([...floats].map((f) => Number(f.toFixed(4)))).toEqual(res.data[0]!.embedding);
    await expect(geminiProtocol.embed!({ model: 'x', input: [[1, 2, 3]] }, embTarget, opts)).rejects.toMatchObject({ status: 400, param: 'input[0]' });
  });

  it('lists models across pages without the models/ prefix', async () => {
    const names = await geminiProtocol.listModels!(target, opts);
    expect(names).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash']);
  });
});
