import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAzure } from './azure-fake.js';
import { fakeEmbedding } from './scenario.js';

// The official client is the judge: AzureOpenAI builds Azure's deployment URLs
// and headers itself, so if it reads the fake's answers, the fake speaks Azure.
describe('FakeAzure against the openai package\'s AzureOpenAI client', () => {
  const fake = new FakeAzure({ apiKey: 'azure-key', adToken: 'entra-token', deployments: ['gpt-4o-prod'] });
  let client: AzureOpenAI;

  beforeAll(async () => {
    const url = await fake.start();
    client = new AzureOpenAI({ endpoint: url, apiKey: 'azure-key', apiVersion: '2024-10-21', maxRetries: 0 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('answers chat on the deployment URL with the api-key header, with content-filter annotations', async () => {
    fake.script('gpt-4o-prod', { text: 'Hi from Azure.', usage: { input: 9, output: 3 } });
    const res = await client.chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'Hello' }] });
    expect(res.choices[0]!.message.content).toBe('Hi from Azure.');
    expect(res.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3 });
    expect((res as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results).toHaveLength(1);
    const sent = fake.lastRequest()!;
    expect(sent.url).toBe('/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe('azure-key');
  });

  it('streams after Azure\'s empty prompt-filter chunk, which the client tolerates', async () => {
    fake.script('gpt-4o-prod', { text: 'one two three', usage: { input: 2, output: 3 } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-prod', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count' }] });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]).toMatchObject({ id: '', created: 0, choices: [] });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three');
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 3 });
  });

  it('serves embeddings on the deployment', async () => {
    fake.script('embed-small', { embeddingDims: 5 });
    const res = await client.embeddings.create({ model: 'embed-small', input: ['a b', 'c'], encoding_format: 'float' });
    expect(res.data.map((d) => d.embedding)).toEqual([fakeEmbedding('a b', 5), fakeEmbedding('c', 5)]);
  });

  it('accepts an Entra ID token from azureADTokenProvider as a bearer token', async () => {
    fake.script('gpt-4o-prod', { text: 'token ok' });
    const entra = new AzureOpenAI({ endpoint: fake.url, apiVersion: '2024-10-21', azureADTokenProvider: async () => 'entra-token', maxRetries: 0 });
    const res = await entra.chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x' }] });
    expect(res.choices[0]!.message.content).toBe('token ok');
    expect(fake.lastRequest()!.headers.authorization).toBe('Bearer entra-token');
  });

  it('answers the v1 API with the deployment in the body, through the plain OpenAI client', async () => {
    fake.script('gpt-4o-prod', { text: 'v1 ok' });
    const v1 = new OpenAI({ baseURL: `${fake.url}/openai/v1/`, apiKey: 'unused', defaultHeaders: { 'api-key': 'azure-key' }, maxRetries: 0 });
    const res = await v1.chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x' }] });
    expect(res.choices[0]!.message.content).toBe('v1 ok');
    expect(fake.lastRequest()!.url).toBe('/openai/v1/chat/completions');
  });

  it('rejects a wrong key with Azure\'s 401 and an unknown deployment with DeploymentNotFound', async () => {
    const bad = new AzureOpenAI({ endpoint: fake.url, apiKey: 'wrong', apiVersion: '2024-10-21', maxRetries: 0 });
    const auth = await bad.chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((auth as InstanceType<typeof OpenAI.AuthenticationError>).message).toContain('Access denied due to invalid subscription key');
    const missing = await client.chat.completions.create({ model: 'no-such-deployment', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('DeploymentNotFound');
  });

  it('refuses a dated route without api-version, like Azure', async () => {
    const res = await fetch(`${fake.url}/openai/deployments/gpt-4o-prod/chat/completions`, { method: 'POST', headers: { 'api-key': 'azure-key', 'content-type': 'application/json' }, body: '{"messages":[]}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });

  it('raises a content-filter refusal as a 400 with code content_filter and the filter results', async () => {
    fake.script('gpt-4o-prod', { error: { status: 400, type: 'content_filter' } });
    const err = await client.chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.code).toBe('content_filter');
    expect((e.error as { innererror: { content_filter_result: { violence: { filtered: boolean } } } }).innererror.content_filter_result.violence.filtered).toBe(true);
  });

  it('sends retry-after with a 429', async () => {
    fake.script('gpt-4o-prod', { error: { status: 429, retryAfterS: 7 } });
    const err = await client.chat.completions.create({ model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('7');
  });
});
