import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeGemini } from '../fakes/gemini-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { bedrockFixture } from '../fixtures/protocols/bedrock.js';
import { vertexFixture } from '../fixtures/protocols/vertex.js';
import type { RecordedRequest } from '../fakes/scenario.js';
import type { TestGateway } from './harness.js';
import { newKey, onlyRow, startPricedGateway } from './media-harness.js';

/** $1 per million input tokens, $2 per million output tokens: a row costs input·1,000 + output·2,000 nano-USD. */
const PRICES = { inputCostPerToken: 0.000001, outputCostPerToken: 0.000002 };

/** No header of an upstream request carries the caller's secret. */
function expectNoClientSecret(r: RecordedRequest, secret: string): void {
  for (const [name, v] of Object.entries(r.headers)) expect(String(v), `header ${name}`).not.toContain(secret);
  expect(r.url).not.toContain(secret);
}

/**
 * The provider pass-through routes with each provider's own SDK pointed at
 * `/openai`, `/anthropic` and `/gemini`: the virtual key is checked and
 * swapped for the deployment's real credential (verified on the fakes,
 * which refuse anything else), bodies pass untouched, usage is priced.
 */
describe('pass-through routes', () => {
  const openai = new FakeOpenAI({ apiKey: 'sk-real-openai' });
  const anthropic = new FakeAnthropic({ apiKey: 'sk-ant-real' });
  const gemini = new FakeGemini({ apiKey: 'gemini-real' });
  let gw: TestGateway;

  beforeAll(async () => {
    await Promise.all([openai.start(), anthropic.start(), gemini.start()]);
    gw = await startPricedGateway({
      deployments: [
        { publicModel: 'gpt-4o-mini', protocol: 'openai', provider: 'openai', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini', apiKey: 'sk-real-openai', modelInfo: PRICES },
        { publicModel: 'claude', protocol: 'anthropic', provider: 'anthropic', baseUrl: `${anthropic.url}/v1`, model: 'claude-sonnet-4-5', apiKey: 'sk-ant-real', modelInfo: PRICES },
        { publicModel: 'flash', protocol: 'gemini', provider: 'gemini', baseUrl: `${gemini.url}/v1beta`, model: 'gemini-2.5-flash', apiKey: 'gemini-real', modelInfo: PRICES },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([openai.stop(), anthropic.stop(), gemini.stop()]);
  });
  beforeEach(() => {
    openai.reset();
    anthropic.reset();
    gemini.reset();
  });

  it('/openai: the openai client gets the upstream answer; the fake sees the real key, never the virtual one; usage priced', async () => {
    const key = await newKey(gw);
    const client = new OpenAI({ apiKey: key.secret, baseURL: `${gw.url}/openai/v1`, maxRetries: 0 });
    openai.script('gpt-4o-mini', { text: 'Straight through.', usage: { input: 20, output: 3 } });
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], metadata: { passthrough: 'yes' }, store: false });
    expect(res.choices[0]?.message.content).toBe('Straight through.');
    expect(res.id).toMatch(/^chatcmpl-fake/);
    const sent = openai.lastRequest()!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-real-openai');
    expectNoClientSecret(sent, key.secret);
    // Untouched: fields the gateway's own dialect would not send arrive as the client wrote them.
    expect(sent.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], metadata: { passthrough: 'yes' }, store: false });
    expect(await onlyRow(gw, key.id)).toMatchObject({ publicModel: 'gpt-4o-mini', provider: 'openai', costNanos: 20 * 1_000 + 3 * 2_000, status: 'success' });
  });

  it('/openai: a stream passes through byte for byte and its usage chunk is priced', async () => {
    const key = await newKey(gw);
    const client = new OpenAI({ apiKey: key.secret, baseURL: `${gw.url}/openai/v1`, maxRetries: 0 });
    openai.script('gpt-4o-mini', { text: 'a b c d', usage: { input: 8, output: 4 } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      usage ??= c.usage;
    }
    expect(text).toBe('a b c d');
    expect(usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 4 });
    expect(await onlyRow(gw, key.id)).toMatchObject({ costNanos: 8 * 1_000 + 4 * 2_000, status: 'success' });
  });

  it('/openai: an upstream error comes back as the upstream wrote it', async () => {
    const key = await newKey(gw);
    const client = new OpenAI({ apiKey: key.secret, baseURL: `${gw.url}/openai/v1`, maxRetries: 0 });
    openai.script('gpt-4o-mini', { error: { status: 429, message: 'Rate limit reached for gpt-4o-mini.', retryAfterS: 7 } });
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ message: 'Rate limit reached for gpt-4o-mini.', code: 'rate_limit_exceeded' });
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('7');
    expect(await onlyRow(gw, key.id)).toMatchObject({ costNanos: 0, status: 'error' });
  });

  it('/openai: a GET without usage passes through and is recorded at zero cost with a note', async () => {
    const key = await newKey(gw);
    const client = new OpenAI({ apiKey: key.secret, baseURL: `${gw.url}/openai/v1`, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('gpt-4o-mini');
    expect(openai.lastRequest()!.headers.authorization).toBe('Bearer sk-real-openai');
    const row = await onlyRow(gw, key.id);
    expect(row).toMatchObject({ costNanos: 0, status: 'success' });
    expect(row.warning).toContain('carried no usage');
  });

  it('/anthropic: the Anthropic client streams through with the real x-api-key; message_start + message_delta usage priced', async () => {
    const key = await newKey(gw);
    const client = new Anthropic({ apiKey: key.secret, baseURL: `${gw.url}/anthropic`, maxRetries: 0 });
    anthropic.script('claude-sonnet-4-5', { text: 'Hello through the pipe.', usage: { input: 30, output: 6 } });
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const msg = await stream.finalMessage();
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Hello through the pipe.' });
    const sent = anthropic.lastRequest()!;
    expect(sent.url).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant-real');
    // The client's own anthropic-version and beta headers travel as sent.
    expect(sent.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expectNoClientSecret(sent, key.secret);
    expect(await onlyRow(gw, key.id)).toMatchObject({ publicModel: 'claude', provider: 'anthropic', costNanos: 30 * 1_000 + 6 * 2_000, inputTokens: 30, outputTokens: 6 });
  });

  it('/anthropic: a caller that sends no anthropic-version (curl) gets the stable one added', async () => {
    const key = await newKey(gw);
    anthropic.script('claude-sonnet-4-5', { text: 'ok', usage: { input: 5, output: 1 } });
    const res = await fetch(`${gw.url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key.secret, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(anthropic.lastRequest()!.headers['anthropic-version']).toBe('2023-06-01');
    expect(anthropic.lastRequest()!.headers['x-api-key']).toBe('sk-ant-real');
    expect((await onlyRow(gw, key.id)).costNanos).toBe(5 * 1_000 + 1 * 2_000);
  });

  it('/gemini: the Gemini client with the virtual key as x-goog-api-key; the upstream gets the real one', async () => {
    const key = await newKey(gw);
    const ai = new GoogleGenAI({ apiKey: key.secret, httpOptions: { baseUrl: `${gw.url}/gemini` } });
    gemini.script('gemini-2.5-flash', { text: 'Gemini via pass-through.', usage: { input: 10, output: 4 } });
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    expect(res.text).toBe('Gemini via pass-through.');
    const sent = gemini.lastRequest()!;
    expect(sent.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe('gemini-real');
    expectNoClientSecret(sent, key.secret);
    expect(await onlyRow(gw, key.id)).toMatchObject({ publicModel: 'flash', costNanos: 10 * 1_000 + 4 * 2_000 });
  });

  it('refuses a key without access with 403 and a missing key with 401, before any upstream call', async () => {
    const onlyClaude = await newKey(gw, { allowedModels: ['claude'] });
    const client = new OpenAI({ apiKey: onlyClaude.secret, baseURL: `${gw.url}/openai/v1`, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    // Allowed Claude, but not an unlisted Claude model through the side door.
    const claude = new Anthropic({ apiKey: onlyClaude.secret, baseURL: `${gw.url}/anthropic`, maxRetries: 0 });
    await expect(claude.messages.create({ model: 'claude-opus-4-1', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    const anonymous = await fetch(`${gw.url}/openai/v1/models`);
    expect(anonymous.status).toBe(401);
    expect(openai.requests).toHaveLength(0);
    expect(anthropic.requests).toHaveLength(0);
  });

  it('answers 404 for a provider prefix with no deployment to take a credential from', async () => {
    const res = await fetch(`${gw.url}/cohere/v2/chat`, { method: 'POST', headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('No cohere deployment');
  });
});

/**
 * The two signed providers: Bedrock (SigV4, recomputed and checked by the
 * fake) and Vertex AI (a service-account token the fake issued), each with
 * the caller's own request body sent untouched.
 */
describe('pass-through routes to signed providers', () => {
  const bedrock = bedrockFixture();
  const vertex = vertexFixture();
  let gw: TestGateway;

  beforeAll(async () => {
    await Promise.all([bedrock.fake.start(), vertex.fake.start()]);
    gw = await startPricedGateway({
      deployments: [
        { publicModel: 'haiku-bedrock', protocol: 'bedrock', target: bedrock.target(bedrock.upstreamModel), modelInfo: PRICES },
        { publicModel: 'flash-vertex', protocol: 'vertex', target: vertex.target(vertex.upstreamModel), modelInfo: PRICES },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([bedrock.fake.stop(), vertex.fake.stop()]);
  });

  it('/bedrock: the converse call is SigV4-signed with the deployment keys and its usage priced', async () => {
    const key = await newKey(gw);
    bedrock.fake.script(bedrock.upstreamModel, { text: 'Signed and sent.', usage: { input: 14, output: 3 } });
    const res = await fetch(`${gw.url}/bedrock/model/${encodeURIComponent(bedrock.upstreamModel)}/converse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 50 } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { output: { message: { content: { text: string }[] } } };
    expect(body.output.message.content[0]?.text).toBe('Signed and sent.');
    const sent = bedrock.fake.lastRequest()!;
    expect(String(sent.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
    expectNoClientSecret(sent, key.secret);
    expect(sent.body).toEqual({ messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 50 } });
    expect(await onlyRow(gw, key.id)).toMatchObject({ publicModel: 'haiku-bedrock', costNanos: 14 * 1_000 + 3 * 2_000 });
  });

  it('/vertex_ai: a generateContent path gets a service-account token and its usageMetadata priced', async () => {
    const key = await newKey(gw);
    vertex.fake.script(vertex.upstreamModel, { text: 'Vertex says hi.', usage: { input: 9, output: 4 } });
    const path = `/v1/projects/test-project/locations/us-central1/publishers/google/models/${vertex.upstreamModel}:generateContent`;
    const res = await fetch(`${gw.url}/vertex_ai${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { candidates: { content: { parts: { text: string }[] } }[] }).candidates[0]?.content.parts[0]?.text).toBe('Vertex says hi.');
    const sent = vertex.fake.lastRequest()!;
    expect(sent.url).toBe(path);
    expectNoClientSecret(sent, key.secret);
    expect(await onlyRow(gw, key.id)).toMatchObject({ publicModel: 'flash-vertex', costNanos: 9 * 1_000 + 4 * 2_000 });
  });
});
