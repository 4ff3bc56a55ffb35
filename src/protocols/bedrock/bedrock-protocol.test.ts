import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_AWS_KEY, FAKE_BEDROCK_API_KEY, FakeBedrock } from '../../../test/fakes/bedrock-fake.js';
import { fakeEmbedding } from '../../../test/fakes/scenario.js';
import { GatewayError, type CallOptions, type ChatRequest, type StreamPart, type UpstreamTarget } from '../../spec/index.js';
import { fromBase64 } from '../openai/embed.js';
import { bedrockProtocol } from './index.js';

describe('bedrock protocol against the fake', () => {
  const fake = new FakeBedrock();
  let signed: UpstreamTarget;
  let bearer: UpstreamTarget;
  const warnings: string[] = [];
  const opts = (signal = new AbortController().signal): CallOptions => ({ requestId: 'r', signal, warn: (m) => warnings.push(m) });
  const ask = (model: string, text = 'hi'): ChatRequest => ({ model, messages: [{ role: 'user', content: [{ type: 'text', text }] }] });

  beforeAll(async () => {
    await fake.start();
    signed = {
      provider: 'bedrock',
      baseUrl: fake.url,
      model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      auth: { kind: 'aws-sigv4', service: 'bedrock' },
      credentials: { accessKeyId: FAKE_AWS_KEY.accessKeyId, secretAccessKey: FAKE_AWS_KEY.secretAccessKey },
      settings: { region: 'us-east-1' },
    };
    bearer = { provider: 'bedrock', baseUrl: fake.url, model: 'amazon.nova-lite-v1:0', apiKey: FAKE_BEDROCK_API_KEY, auth: { kind: 'aws-sigv4', service: 'bedrock' } };
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    warnings.length = 0;
  });

  it('calls with a Bedrock API key as a bearer token when no AWS keys are set', async () => {
    fake.script('amazon.nova-lite-v1:0', { text: 'via api key' });
    const res = await bedrockProtocol.chat(ask('amazon.nova-lite-v1:0'), bearer, opts());
    expect(res.choices[0]!.content).toEqual([{ type: 'text', text: 'via api key' }]);
    expect(fake.lastRequest()!.headers.authorization).toBe(`Bearer ${FAKE_BEDROCK_API_KEY}`);
  });

  it('signs inference-profile ARNs and sends the model id as one encoded path segment', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    fake.script(arn, { text: 'arn ok' });
    const res = await bedrockProtocol.chat(ask(arn), { ...signed, model: arn }, opts());
    expect(res.choices[0]!.content).toEqual([{ type: 'text', text: 'arn ok' }]);
    expect(fake.lastRequest()!.url).toBe('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123/converse');
  });

  it('is refused by AWS with a wrong secret, surfacing as an upstream auth failure', async () => {
    const err = await bedrockProtocol.chat(ask(signed.model), { ...signed, credentials: { ...signed.credentials!, secretAccessKey: 'wrong' } }, opts()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_auth', clientCode: 'InvalidSignatureException' });
  });

  it('fails clearly, before any call, without credentials or a region', async () => {
    const before = fake.requests.length;
    const none = await bedrockProtocol.chat(ask('m'), { ...bearer, apiKey: undefined }, opts()).catch((e: unknown) => e);
    expect((none as GatewayError).message).toContain('aws_access_key_id');
    const noRegion = await bedrockProtocol.chat(ask('m'), { ...signed, settings: {} }, opts()).catch((e: unknown) => e);
    expect((noRegion as GatewayError).message).toContain('aws_region_name');
    expect(fake.requests.length).toBe(before);
  });

  it('delivers an in-stream throttling exception as a retryable error part after the text so far', async () => {
    fake.script(signed.model, { text: 'one two three four' }).failStream(signed.model, 'throttlingException', 'Too many tokens', 3);
    const parts: StreamPart[] = [];
    for await (const p of await bedrockProtocol.stream({ ...ask(signed.model), stream: true }, signed, opts())) parts.push(p);
    expect(parts.map((p) => p.type)).toEqual(['start', 'text-delta', 'text-delta', 'error']);
    expect((parts[3] as { error: GatewayError }).error).toMatchObject({ code: 'upstream_rate_limited', retryable: true, message: 'Too many tokens' });
  });

  it('streams reasoning with its signature and reports cache usage in unified terms', async () => {
    fake.script(signed.model, { reasoning: 'think hard', text: 'done', usage: { input: 100, output: 4, cacheRead: 70, cacheWrite: 20 } });
    const parts: StreamPart[] = [];
    for await (const p of await bedrockProtocol.stream({ ...ask(signed.model), stream: true, reasoningEffort: 'low' }, signed, opts())) parts.push(p);
    expect(parts.filter((p) => p.type === 'reasoning-delta').map((p) => (p as { text: string }).text).join('')).toBe('think hard');
    expect(parts.find((p) => p.type === 'reasoning-signature')).toMatchObject({ signature: expect.stringMatching(/^sig_/) });
    expect(parts.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 100, outputTokens: 4, totalTokens: 104, cacheReadTokens: 70, cacheWriteTokens: 20 } });
    expect(fake.lastRequest()!.body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });
  });

  it('embeds with Cohere in batches of 96, in order, as base64 when asked', async () => {
    const model = 'cohere.embed-multilingual-v3';
    fake.script(model, { embeddingDims: 4 });
    const input = Array.from({ length: 100 }, (_, i) => `text number ${i}`);
    const res = await bedrockProtocol.embed!({ model, input, encodingFormat: 'base64', providerOptions: { bedrock: { input_type: 'search_query' } } }, { ...signed, model }, opts());
    expect(fake.requestsTo('/invoke').map((r) => r.body.texts.length)).toEqual([96, 4]);
    expect(fake.lastRequest()!.body.input_type).toBe('search_query');
    expect(res.data).toHaveLength(100);
    const v = fromBase64(res.data[99]!.embedding as string);
    expect(v.map((x) => Number(x.toFixed(4)))).toEqual(fakeEmbedding('text number 99', 4));
    expect(res.usage.inputTokens).toBe(300);
  });

  it('passes Titan v2 dimensions through and refuses token-array input and unknown embedding models', async () => {
    const model = 'amazon.titan-embed-text-v2:0';
    const res = await bedrockProtocol.embed!({ model, input: ['a'], dimensions: 256 }, { ...signed, model }, opts());
    expect((res.data[0]!.embedding as number[]).length).toBe(256);
    expect(fake.lastRequest()!.body).toEqual({ inputText: 'a', dimensions: 256 });
    await expect(bedrockProtocol.embed!({ model, input: [[1, 2]] }, { ...signed, model }, opts())).rejects.toMatchObject({ param: 'input' });
    await expect(bedrockProtocol.embed!({ model: 'x', input: ['a'] }, { ...signed, model: 'meta.llama3-8b-instruct-v1:0' }, opts())).rejects.toMatchObject({ param: 'model' });
  });

  it('releases the upstream stream when the consumer stops early', async () => {
    fake.script(signed.model, { text: Array.from({ length: 50 }, (_, i) => `w${i}`).join(' '), chunkDelayMs: 10 });
    for await (const p of await bedrockProtocol.stream({ ...ask(signed.model), stream: true }, signed, opts())) if (p.type === 'text-delta') break;
    for (let i = 0; i < 50 && fake.aborts.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.aborts).toHaveLength(1);
  });
});
