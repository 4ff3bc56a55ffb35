import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeVertex } from '../../../test/fakes/vertex-fake.js';
import { testPublicKeyPem, testServiceAccount } from '../../../test/fixtures/protocols/vertex-credentials.js';
import { GatewayError, type CallOptions, type ChatRequest, type UpstreamTarget } from '../../spec/index.js';
import { AccessTokenCache } from './access-token-cache.js';
import { vertexProtocol } from './index.js';
import { mapVertexAnthropicError } from './map-vertex-error.js';
import { loadServiceAccount } from './service-account.js';
import { publisherBase, publisherFor, rootUrl } from './vertex-url.js';

const EMAIL = 'unit@test-project.iam.gserviceaccount.com';
const ask = (text: string, model: string): ChatRequest => ({ model, messages: [{ role: 'user', content: [{ type: 'text', text }] }] });

describe('vertex URLs and publishers', () => {
  const t = (over: Partial<UpstreamTarget>): UpstreamTarget => ({ provider: 'vertex_ai', baseUrl: '', model: 'gemini-2.5-pro', auth: { kind: 'bearer' }, credentials: { accessToken: 'x' }, settings: { project: 'p' }, ...over });

  it('regional host for a region, the global host for "global", a custom base as given', () => {
    expect(rootUrl('https://aiplatform.googleapis.com/v1', 'us-east5')).toBe('https://us-east5-aiplatform.googleapis.com/v1');
    expect(rootUrl('https://aiplatform.googleapis.com', 'global')).toBe('https://aiplatform.googleapis.com/v1');
    expect(rootUrl('', 'europe-west4')).toBe('https://europe-west4-aiplatform.googleapis.com/v1');
    expect(rootUrl('https://proxy.internal/vertex/v1beta1/', 'us-central1')).toBe('https://proxy.internal/vertex/v1beta1');
    expect(publisherBase(t({ settings: { project: 'my-proj', location: 'global' } }), 'google')).toBe('https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global/publishers/google');
    expect(publisherBase(t({ settings: { project: 'p' } }), 'anthropic')).toBe('https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/anthropic');
  });

  it('the project comes from settings, else from the service account; none is a clear configuration error', () => {
    const sa = testServiceAccount('https://oauth2.googleapis.com/token', EMAIL).json;
    expect(publisherBase(t({ settings: {}, credentials: { serviceAccountJson: sa } }), 'google')).toContain('/projects/test-project/');
    const err = (() => { try { publisherBase(t({ settings: {} }), 'google'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).message).toContain('settings.project');
  });

  it('claude-* models go to the anthropic publisher unless settings say otherwise', () => {
    expect(publisherFor(t({ model: 'claude-opus-4-1@20250805' }))).toBe('anthropic');
    expect(publisherFor(t({ model: 'gemini-2.5-flash' }))).toBe('google');
    expect(publisherFor(t({ model: 'my-tuned-claude', settings: { project: 'p', publisher: 'anthropic' } }))).toBe('anthropic');
  });

  it('Claude errors in either voice: Google\'s front door or Anthropic\'s model server', () => {
    const google = mapVertexAnthropicError({ provider: 'vertex_ai', status: 429, headers: {}, body: JSON.stringify({ error: { code: 429, message: 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }] } }) });
    expect(google).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 3000, clientCode: 'RESOURCE_EXHAUSTED' });
    const anthropic = mapVertexAnthropicError({ provider: 'vertex_ai', status: 529, headers: {}, body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) });
    expect(anthropic).toMatchObject({ code: 'upstream_overloaded', message: 'Overloaded', retryable: true });
  });
});

describe('vertex service-account tokens against the fake token endpoint', () => {
  const fake = new FakeVertex({ project: 'test-project', location: 'us-central1', serviceAccount: { clientEmail: EMAIL, publicKeyPem: testPublicKeyPem() } });
  let sa: ReturnType<typeof loadServiceAccount>;
  let clock = 0;
  let cache: AccessTokenCache;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    await fake.start();
    sa = loadServiceAccount(testServiceAccount(`${fake.url}/token`, EMAIL).json, 'vertex_ai');
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    clock = Date.now();
    cache = new AccessTokenCache({ now: () => clock });
    fake.tokenDelayMs = 0;
    fake.tokenFailures = 0;
  });

  it('reuses a token until five minutes before expiry, then refreshes', async () => {
    const start = fake.tokenExchanges;
    const first = await cache.get(sa, 'vertex_ai', signal);
    expect(await cache.get(sa, 'vertex_ai', signal)).toBe(first);
    clock += 3599_000 - 5 * 60_000 - 1_000;
    expect(await cache.get(sa, 'vertex_ai', signal)).toBe(first);
    expect(fake.tokenExchanges).toBe(start + 1);
    clock += 2_000;
    const second = await cache.get(sa, 'vertex_ai', signal);
    expect(second).not.toBe(first);
    expect(fake.tokenExchanges).toBe(start + 2);
  });

  it('concurrent requests share one exchange (single-flight)', async () => {
    fake.tokenDelayMs = 50;
    const start = fake.tokenExchanges;
    const all = await Promise.all(Array.from({ length: 10 }, () => cache.get(sa, 'vertex_ai', signal)));
    expect(new Set(all).size).toBe(1);
    expect(fake.tokenExchanges).toBe(start + 1);
  });

  it('one caller giving up does not fail the others waiting on the same exchange', async () => {
    fake.tokenDelayMs = 80;
    const quitter = new AbortController();
    const a = cache.get(sa, 'vertex_ai', quitter.signal);
    const b = cache.get(sa, 'vertex_ai', signal);
    quitter.abort();
    await expect(a).rejects.toMatchObject({ code: 'client_closed' });
    expect(await b).toMatch(/^ya29\.fake-/);
  });

  it('a failed exchange is not cached: the error is typed and the next call tries again', async () => {
    fake.tokenFailures = 1;
    await expect(cache.get(sa, 'vertex_ai', signal)).rejects.toMatchObject({ code: 'upstream_error', retryable: true });
    expect(await cache.get(sa, 'vertex_ai', signal)).toMatch(/^ya29\.fake-/);
  });

  it('a refused grant is an auth error naming Google\'s reason', async () => {
    const stranger = { ...sa, clientEmail: 'someone-else@x.iam.gserviceaccount.com' };
    await expect(cache.get(stranger, 'vertex_ai', signal)).rejects.toMatchObject({ code: 'upstream_auth', message: expect.stringContaining('invalid_grant: Invalid JWT Signature.') });
  });
});

describe('vertexProtocol against FakeVertex', () => {
  const fake = new FakeVertex({ project: 'test-project', location: 'europe-west1', serviceAccount: { clientEmail: EMAIL, publicKeyPem: testPublicKeyPem() } });
  const warnings: string[] = [];
  const opts: CallOptions = { requestId: 'r', signal: new AbortController().signal, warn: (m) => warnings.push(m) };
  let target: (model: string, over?: Partial<UpstreamTarget>) => UpstreamTarget;

  beforeAll(async () => {
    await fake.start();
    const json = testServiceAccount(`${fake.url}/token`, EMAIL).json;
    const dir = mkdtempSync(join(tmpdir(), 'vertex-sa-'));
    writeFileSync(join(dir, 'key.json'), json);
    // The key as a file path in `apiKey` (GOOGLE_APPLICATION_CREDENTIALS style); project from the key.
    target = (model, over = {}) => ({ provider: 'vertex_ai', baseUrl: fake.url, model, apiKey: join(dir, 'key.json'), auth: { kind: 'bearer' }, settings: { location: 'europe-west1' }, ...over });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    warnings.length = 0;
  });

  it('Claude: the Messages body without model, with anthropic_version, at :rawPredict', async () => {
    fake.script('claude-sonnet-4-5@20250929', { text: 'Bonjour.' });
    const res = await vertexProtocol.chat({ ...ask('hi', 'claude-sonnet-4-5@20250929'), temperature: 0.5, providerOptions: { anthropic: { betas: ['context-1m-2025-08-07'] } } }, target('claude-sonnet-4-5@20250929'), opts);
    expect(res.choices[0]!.content).toEqual([{ type: 'text', text: 'Bonjour.' }]);
    const req = fake.lastRequest()!;
    expect(req.url).toBe('/v1/projects/test-project/locations/europe-west1/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict');
    expect(req.body).toEqual({ anthropic_version: 'vertex-2023-10-16', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], temperature: 0.5 });
    expect(req.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(req.headers['anthropic-version']).toBeUndefined();
    expect(String(req.headers.authorization)).toMatch(/^Bearer ya29\.fake-/);
  });

  it('Gemini: providerOptions.vertex are Gemini options; the Google error envelope is mapped', async () => {
    fake.script('gemini-2.5-pro', { text: 'ok' });
    await vertexProtocol.chat({ ...ask('hi', 'gemini-2.5-pro'), providerOptions: { vertex: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] } } }, target('gemini-2.5-pro'), opts);
    expect(fake.lastRequest()!.body.safetySettings).toHaveLength(1);
    expect(warnings).toEqual([]);
    fake.script('gemini-2.5-pro', { error: { status: 404, message: 'Publisher Model was not found' } });
    await expect(vertexProtocol.chat(ask('hi', 'gemini-2.5-pro'), target('gemini-2.5-pro'), opts)).rejects.toMatchObject({ code: 'upstream_not_found', message: 'Publisher Model was not found' });
  });

  it('Anthropic fields on a Gemini model: the thinking budget maps, the rest is reported', async () => {
    fake.script('gemini-2.5-pro', { text: 'ok' });
    const req: ChatRequest = { ...ask('hi', 'gemini-2.5-pro'), providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 2048 }, context_management: { edits: [] } } } };
    await vertexProtocol.chat(req, target('gemini-2.5-pro'), opts);
    expect(fake.lastRequest()!.body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 2048, includeThoughts: true });
    expect(warnings).toEqual(['vertex: context_management is an Anthropic field and gemini-2.5-pro is a Gemini model; not sent']);
  });

  it('embeddings: one :predict per input for gemini-embedding, one batch otherwise; task type passed on', async () => {
    fake.script('gemini-embedding-001', { embeddingDims: 3 });
    const one = await vertexProtocol.embed!({ model: 'gemini-embedding-001', input: ['a', 'b c'], providerOptions: { vertex: { task_type: 'RETRIEVAL_QUERY' } } }, target('gemini-embedding-001'), opts);
    expect(one.data).toHaveLength(2);
    expect(one.usage.inputTokens).toBe(3);
    expect(fake.requestsTo(':predict')).toHaveLength(2);
    expect(fake.requestsTo(':predict').map((r) => r.body.instances[0].task_type)).toEqual(['RETRIEVAL_QUERY', 'RETRIEVAL_QUERY']);
    fake.reset();
    const batch = await vertexProtocol.embed!({ model: 'text-embedding-005', input: ['a', 'b', 'c'], dimensions: 5 }, target('text-embedding-005'), opts);
    expect(batch.data.map((d) => (d.embedding as number[]).length)).toEqual([5, 5, 5]);
    expect(fake.requestsTo(':predict')).toHaveLength(1);
    expect(fake.lastRequest()!.body.parameters).toEqual({ outputDimensionality: 5 });
  });

  it('a deployment without credentials fails clearly before any call', async () => {
    const before = fake.requests.length;
    await expect(vertexProtocol.chat(ask('hi', 'gemini-2.5-pro'), target('gemini-2.5-pro', { apiKey: undefined, settings: { project: 'test-project' } }), opts)).rejects.toMatchObject({ message: expect.stringContaining('no credentials') });
    expect(fake.requests.length).toBe(before);
  });
});
