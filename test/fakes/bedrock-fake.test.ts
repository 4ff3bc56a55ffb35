import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_AWS_KEY, FAKE_BEDROCK_API_KEY, FakeBedrock } from './bedrock-fake.js';
import { fakeEmbedding } from './scenario.js';

const SESSION_KEY = { accessKeyId: 'ASIAFAKESESSION0001', secretAccessKey: 'sessionSecret/abc+def', sessionToken: 'FwoGZXIvYXdzEFAKE//session==' };

// The official SDK is the judge: its SigV4 signatures must verify in the fake
// (proving the verifier, and the signer it shares its canonicalisation with),
// and its deserialisers must read the fake's JSON and event-stream frames.
describe('FakeBedrock against @aws-sdk/client-bedrock-runtime', () => {
  const fake = new FakeBedrock({ keys: [FAKE_AWS_KEY, SESSION_KEY] });
  let client: BedrockRuntimeClient;
  const make = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region = 'us-east-1'): BedrockRuntimeClient =>
    new BedrockRuntimeClient({ endpoint: fake.url, region, credentials, maxAttempts: 1 });

  beforeAll(async () => {
    await fake.start();
    client = make(FAKE_AWS_KEY);
  });
  afterAll(async () => {
    client.destroy();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('answers Converse over HTTP/2 with a verified signature, for a model id with a colon', async () => {
    const model = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
    fake.script(model, { text: 'Hi there friend.', usage: { input: 100, output: 3, cacheRead: 60, cacheWrite: 30 } });
    const before = fake.h2Streams;
    const res = await client.send(
      new ConverseCommand({ modelId: model, system: [{ text: 'Be kind.' }], messages: [{ role: 'user', content: [{ text: 'Hello' }] }], inferenceConfig: { maxTokens: 64 } }),
    );
    expect(res.output?.message?.content).toEqual([{ text: 'Hi there friend.' }]);
    expect(res.stopReason).toBe('end_turn');
    expect(res.usage).toEqual({ inputTokens: 10, outputTokens: 3, totalTokens: 103, cacheReadInputTokens: 60, cacheWriteInputTokens: 30 });
    expect(fake.h2Streams).toBe(before + 1);
    const sent = fake.lastRequest()!;
    expect(sent.url).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(String(sent.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEBEDROCK0001\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
  });

  it('verifies inference-profile ARNs (slashes inside one path segment) and session tokens', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0';
    fake.script(arn, { text: 'profile ok' });
    const res = await make(SESSION_KEY).send(new ConverseCommand({ modelId: arn, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    expect(res.output?.message?.content).toEqual([{ text: 'profile ok' }]);
    expect(fake.lastRequest()!.url).toBe(`/model/${encodeURIComponent(arn)}/converse`);
  });

  it('answers with toolUse blocks and stopReason tool_use', async () => {
    fake.script('amazon.nova-pro-v1:0', { toolCalls: [{ id: 'tooluse_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    const res = await client.send(
      new ConverseCommand({
        modelId: 'amazon.nova-pro-v1:0',
        messages: [{ role: 'user', content: [{ text: 'Weather in Paris?' }] }],
        toolConfig: { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }] },
      }),
    );
    expect(res.stopReason).toBe('tool_use');
    expect(res.output?.message?.content).toEqual([{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }]);
  });

  it('streams text, reasoning, tool input and usage as event-stream frames the SDK decodes', async () => {
    const input = { city: 'São Paulo', days: [1, 2, 3], note: 'quote " and \\ backslash' };
    fake.script('m-stream', { reasoning: 'Let me think.', text: 'One two three.', toolCalls: [{ id: 'tu_9', name: 'forecast', arguments: input }], usage: { input: 12, output: 9 } });
    const res = await client.send(new ConverseStreamCommand({ modelId: 'm-stream', messages: [{ role: 'user', content: [{ text: 'go' }] }] }));
    const events: ConverseStreamOutput[] = [];
    for await (const e of res.stream!) events.push(e);
    const kinds = events.map((e) => Object.keys(e).find((k) => k !== '$unknown'));
    expect(kinds[0]).toBe('messageStart');
    expect(kinds.slice(-2)).toEqual(['messageStop', 'metadata']);
    let text = '';
    let reasoning = '';
    let signature = '';
    let args = '';
    for (const e of events) {
      text += e.contentBlockDelta?.delta?.text ?? '';
      reasoning += e.contentBlockDelta?.delta?.reasoningContent?.text ?? '';
      signature += e.contentBlockDelta?.delta?.reasoningContent?.signature ?? '';
      args += e.contentBlockDelta?.delta?.toolUse?.input ?? '';
    }
    expect(reasoning).toBe('Let me think.');
    expect(signature).toMatch(/^sig_/);
    expect(text).toBe('One two three.');
    expect(JSON.parse(args)).toEqual(input);
    expect(events.find((e) => e.contentBlockStart)?.contentBlockStart).toMatchObject({ contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tu_9', name: 'forecast' } } });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('tool_use');
    expect(events.at(-1)?.metadata?.usage).toMatchObject({ inputTokens: 12, outputTokens: 9, totalTokens: 21 });
  });

  it('ends a stream with an in-stream exception the SDK raises as its typed error', async () => {
    fake.script('m-throttled', { text: 'a b c d e f' }).failStream('m-throttled', 'throttlingException', 'Too many tokens, please wait before trying again.', 3);
    const res = await client.send(new ConverseStreamCommand({ modelId: 'm-throttled', messages: [{ role: 'user', content: [{ text: 'go' }] }] }));
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of res.stream!) seen.push(Object.keys(e)[0]!);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(ThrottlingException);
    expect((err as Error).message).toBe('Too many tokens, please wait before trying again.');
  });

  it('embeds with Titan and Cohere through InvokeModel, reporting the token count header', async () => {
    fake.script('amazon.titan-embed-text-v2:0', { embeddingDims: 4, usage: { input: 3 } });
    const titan = await client.send(
      new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', contentType: 'application/json', accept: 'application/json', body: JSON.stringify({ inputText: 'hello world' }) }),
    );
    expect(JSON.parse(Buffer.from(titan.body).toString('utf8'))).toMatchObject({ embedding: fakeEmbedding('hello world', 4), inputTextTokenCount: 3 });
    expect(titan.contentType).toBe('application/json');

    fake.script('cohere.embed-english-v3', { embeddingDims: 3 });
    const cohere = await client.send(
      new InvokeModelCommand({ modelId: 'cohere.embed-english-v3', body: JSON.stringify({ texts: ['a b', 'c'], input_type: 'search_document' }) }),
    );
    expect(JSON.parse(Buffer.from(cohere.body).toString('utf8')).embeddings).toEqual([fakeEmbedding('a b', 3), fakeEmbedding('c', 3)]);
  });

  it('raises the SDK\'s typed errors from x-amzn-errortype: throttling, validation, access, not found', async () => {
    const ask = (modelId: string) => client.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'x' }] }] })).catch((e: unknown) => e);
    fake.script('m429', { error: { status: 429 } });
    fake.script('m403', { error: { status: 403 } });
    fake.script('m404', { error: { status: 404 } });
    expect(await ask('m429')).toBeInstanceOf(ThrottlingException);
    expect(await ask('m403')).toBeInstanceOf(AccessDeniedException);
    expect(await ask('m404')).toBeInstanceOf(ResourceNotFoundException);
    const invalid = await client.send(new ConverseCommand({ modelId: 'm', messages: [{ role: 'assistant', content: [{ text: 'x' }] }] })).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationException);
    expect((invalid as Error).message).toContain('must start with a user message');
  });

  it('rejects a wrong secret, an unknown key, the wrong region, and a missing signature like AWS', async () => {
    type AwsError = Error & { $metadata: { httpStatusCode: number } };
    const ask = (c: BedrockRuntimeClient): Promise<AwsError> =>
      c.send(new ConverseCommand({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'x' }] }] })).then(
        () => {
          throw new Error('expected AWS to refuse the request');
        },
        (e: unknown) => e as AwsError,
      );
    const badSecret = await ask(make({ accessKeyId: FAKE_AWS_KEY.accessKeyId, secretAccessKey: 'not-the-secret' }));
    expect(badSecret.name).toBe('InvalidSignatureException');
    expect(badSecret.$metadata.httpStatusCode).toBe(403);
    expect((await ask(make({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }))).name).toBe('UnrecognizedClientException');
    expect((await ask(make(FAKE_AWS_KEY, 'eu-west-1'))).message).toContain("valid region, not 'eu-west-1'");
    const res = await fetch(`${fake.url}/model/m/converse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/);
  });

  it('accepts a Bedrock API key as a bearer token', async () => {
    fake.script('m-bearer', { text: 'bearer ok' });
    const bearer = new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1', token: { token: FAKE_BEDROCK_API_KEY }, authSchemePreference: ['httpBearerAuth'], maxAttempts: 1 });
    try {
      const res = await bearer.send(new ConverseCommand({ modelId: 'm-bearer', messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
      expect(res.output?.message?.content).toEqual([{ text: 'bearer ok' }]);
      expect(fake.lastRequest()!.headers.authorization).toBe(`Bearer ${FAKE_BEDROCK_API_KEY}`);
    } finally {
      bearer.destroy();
    }
  });
});
