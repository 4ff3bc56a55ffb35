import { GoogleGenAI } from '@google/genai';
import { OAuth2Client } from 'google-auth-library';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadServiceAccount } from '../../src/protocols/vertex/service-account.js';
import { signAssertion } from '../../src/protocols/vertex/sign-jwt.js';
import { testPublicKeyPem, testServiceAccount } from '../fixtures/protocols/vertex-credentials.js';
import { FakeVertex } from './vertex-fake.js';
import { fakeEmbedding } from './scenario.js';

const EMAIL = 'fake-check@test-project.iam.gserviceaccount.com';
const TOKEN = 'ya29.sdk-test-token';

/**
 * The fake checked against the official @google/genai client in Vertex
 * mode (Gemini, embeddings, errors) and against the documented raw HTTP
 * shapes where no SDK installs here (Claude on Vertex, the token endpoint).
 * The SDK gets its token from an OAuth2Client holding a ready access token,
 * so google-auth-library makes no network call.
 */
describe('fake Vertex AI against @google/genai (Vertex mode) and the documented wire format', () => {
  const fake = new FakeVertex({ project: 'p1', location: 'us-central1', staticTokens: [TOKEN], serviceAccount: { clientEmail: EMAIL, publicKeyPem: testPublicKeyPem() } });
  let ai: GoogleGenAI;
  const authClient = new OAuth2Client();

  beforeAll(async () => {
    await fake.start();
    authClient.setCredentials({ access_token: TOKEN, expiry_date: Date.now() + 3_600_000 });
    ai = new GoogleGenAI({ vertexai: true, project: 'p1', location: 'us-central1', apiVersion: 'v1', googleAuthOptions: { authClient }, httpOptions: { baseUrl: fake.url } });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('generateContent through the SDK reaches the publisher path with the bearer token', async () => {
    fake.script('gemini-2.5-flash', { text: 'Paris.', usage: { input: 7, output: 1 } });
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Capital of France?' });
    expect(res.text).toBe('Paris.');
    expect(res.usageMetadata?.promptTokenCount).toBe(7);
    const req = fake.lastRequest()!;
    expect(req.url).toBe('/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('generateContentStream: SSE pieces in order', async () => {
    fake.script('gemini-2.5-flash', { text: 'one two three' });
    let text = '';
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'count' })) text += chunk.text ?? '';
    expect(text).toBe('one two three');
    expect(fake.lastRequest()!.url).toContain(':streamGenerateContent?alt=sse');
  });

  it('embedContent uses :predict (instances → predictions[].embeddings.values)', async () => {
    fake.script('text-embedding-005', { embeddingDims: 4 });
    const res = await ai.models.embedContent({ model: 'text-embedding-005', contents: ['a b', 'c'] });
    expect(res.embeddings?.map((e) => e.values)).toEqual([fakeEmbedding('a b', 4), fakeEmbedding('c', 4)]);
    expect(res.embeddings?.[0]?.statistics?.tokenCount).toBe(2);
    expect(fake.lastRequest()!.url).toMatch(/\/publishers\/google\/models\/text-embedding-005:predict$/);
  });

  it('errors in Google\'s envelope: scripted 429, a wrong token 401, a wrong project 403', async () => {
    fake.script('gemini-2.5-flash', { error: { status: 429, message: 'Resource exhausted. Please try again later.' } });
    const limited = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }).catch((e: unknown) => e);
    expect((limited as { status?: number }).status).toBe(429);
    expect((limited as Error).message).toContain('Resource exhausted');
    const wrongProject = new GoogleGenAI({ vertexai: true, project: 'other', location: 'us-central1', apiVersion: 'v1', googleAuthOptions: { authClient }, httpOptions: { baseUrl: fake.url } });
    const denied = await wrongProject.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }).catch((e: unknown) => e);
    expect((denied as { status?: number }).status).toBe(403);
    const res = await fetch(`${fake.url}/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
  });

  it('Claude on Vertex per the documented example: rawPredict without model, with anthropic_version', async () => {
    fake.script('claude-sonnet-4-5@20250929', { text: 'Hi there.', usage: { input: 9, output: 2 } });
    const url = `${fake.url}/v1/projects/p1/locations/us-central1/publishers/anthropic/models/claude-sonnet-4-5@20250929`;
    const body = { anthropic_version: 'vertex-2023-10-16', messages: [{ role: 'user', content: 'Hey Claude!' }], max_tokens: 100 };
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' };
    const ok = await fetch(`${url}:rawPredict`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-sonnet-4-5@20250929', content: [{ type: 'text', text: 'Hi there.' }], usage: { input_tokens: 9, output_tokens: 2 } });

    const stream = await fetch(`${url}:streamRawPredict`, { method: 'POST', headers, body: JSON.stringify({ ...body, stream: true }) });
    const events = [...(await stream.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');

    const withModel = await fetch(`${url}:rawPredict`, { method: 'POST', headers, body: JSON.stringify({ ...body, model: 'claude-sonnet-4-5' }) });
    expect(withModel.status).toBe(400);
    const noVersion = await fetch(`${url}:rawPredict`, { method: 'POST', headers, body: JSON.stringify({ messages: body.messages, max_tokens: 10 }) });
    expect(noVersion.status).toBe(400);
  });

  it('/token: the JWT-bearer grant, checked by signature and claims', async () => {
    const sa = loadServiceAccount(testServiceAccount(`${fake.url}/token`, EMAIL).json, 'vertex');
    const assertion = signAssertion(sa, Math.floor(Date.now() / 1000));
    // The assertion is a JWT google-auth-library itself accepts.
    const ticket = await new OAuth2Client().verifySignedJwtWithCertsAsync(assertion, { [sa.privateKeyId!]: testPublicKeyPem() }, `${fake.url}/token`, [EMAIL]);
    expect(ticket.getPayload()?.iss).toBe(EMAIL);

    const exchange = (a: string, grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer') =>
      fetch(`${fake.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: grant, assertion: a }).toString() });
    const before = fake.tokenExchanges;
    const ok = await exchange(assertion);
    expect(ok.status).toBe(200);
    const token = (await ok.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(token).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    expect(fake.tokenExchanges).toBe(before + 1);
    // The issued token opens the API.
    fake.script('gemini-2.5-flash', { text: 'ok' });
    const api = await fetch(`${fake.url}/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(api.status).toBe(200);

    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = await exchange(signAssertion({ ...sa, privateKey: otherKey }, Math.floor(Date.now() / 1000)));
    expect(forged.status).toBe(400);
    expect(await forged.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const wrongAudience = await exchange(signAssertion({ ...sa, tokenUri: 'https://oauth2.googleapis.com/token' }, Math.floor(Date.now() / 1000)));
    expect(((await wrongAudience.json()) as { error_description: string }).error_description).toContain('audience');
    expect((await exchange(assertion, 'client_credentials')).status).toBe(400);
  });
});
