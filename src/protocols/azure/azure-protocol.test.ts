import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAzure } from '../../../test/fakes/azure-fake.js';
import type { CallOptions, ChatRequest, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { azureProtocol } from './index.js';

describe('azure protocol against the fake', () => {
  const fake = new FakeAzure({ apiKey: 'key-1', adToken: 'entra-1' });
  let target: UpstreamTarget;
  const opts = (): CallOptions => ({ requestId: 'r', signal: new AbortController().signal, warn: () => {} });
  const ask = (text = 'hi'): ChatRequest => ({ model: 'dep', messages: [{ role: 'user', content: [{ type: 'text', text }] }] });
  const collect = async (req: ChatRequest, t: UpstreamTarget): Promise<StreamPart[]> => {
    const parts: StreamPart[] = [];
    for await (const p of await azureProtocol.stream({ ...req, stream: true }, t, opts())) parts.push(p);
    return parts;
  };

  beforeAll(async () => {
    await fake.start();
    target = { provider: 'azure', baseUrl: fake.url, model: 'dep', apiKey: 'key-1', auth: { kind: 'header', name: 'api-key' }, apiVersion: '2024-10-21' };
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  it('types a prompt refused by the content filter as content_filtered, keeping Azure\'s message', async () => {
    fake.script('dep', { error: { status: 400, type: 'content_filter' } });
    const err = await azureProtocol.chat(ask(), target, opts()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'content_filtered', status: 400, clientCode: 'content_filter', retryable: false });
    expect((err as Error).message).toContain('content management policy');
  });

  it('gives the stream a real start time although Azure opens with created: 0, and maps a filtered finish', async () => {
    fake.script('dep', { text: 'partial', finish: 'content_filter' });
    const parts = await collect(ask(), target);
    expect(parts[0]).toMatchObject({ type: 'start', model: 'dep' });
    expect((parts[0] as { created: number }).created).toBeGreaterThan(1_600_000_000);
    expect(parts.find((p) => p.type === 'finish')).toMatchObject({ finishReason: { unified: 'content-filter', raw: 'content_filter' } });
  });

  it('authenticates with an Entra ID token and calls the v1 API with the deployment as the model', async () => {
    fake.script('dep', { text: 'v1' });
    const res = await azureProtocol.chat(ask(), { ...target, apiKey: undefined, apiVersion: 'v1', credentials: { azureAdToken: 'entra-1' } }, opts());
    expect(res.choices[0]!.content).toEqual([{ type: 'text', text: 'v1' }]);
    const sent = fake.lastRequest()!;
    expect(sent.url).toBe('/openai/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer entra-1');
    expect(sent.body.model).toBe('dep');
  });

  it('sends max_tokens and no stream_options to api-versions that predate them', async () => {
    fake.script('dep', { text: 'old' });
    await collect({ ...ask(), maxOutputTokens: 50 }, { ...target, apiVersion: '2024-02-01' });
    const body = fake.lastRequest()!.body;
    expect(body.max_tokens).toBe(50);
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(body).not.toHaveProperty('stream_options');
    expect(fake.lastRequest()!.url).toBe('/openai/deployments/dep/chat/completions?api-version=2024-02-01');
  });

  it('relays an OpenAI body on the deployment URL (the fast path), api-version kept', async () => {
    fake.script('dep', { text: 'relayed' });
    const res = await azureProtocol.relay!({ path: '/chat/completions', method: 'POST', body: { model: 'public-name', messages: [{ role: 'user', content: 'x' }] }, stream: false }, target, opts());
    const text = Buffer.concat(await Readable.from(res.body).toArray()).toString('utf8');
    expect(JSON.parse(text).choices[0].message.content).toBe('relayed');
    expect((await res.done).usage).toMatchObject({ inputTokens: expect.any(Number) });
    expect(fake.lastRequest()!.url).toBe('/openai/deployments/dep/chat/completions?api-version=2024-10-21');
    expect(fake.lastRequest()!.body.model).toBe('dep');
  });

  it('lists the one deployment of a classic target, and the models of a v1 target', async () => {
    expect(await azureProtocol.listModels!(target, opts())).toEqual(['dep']);
    fake.script('other-dep', { text: 'x' });
    expect(await azureProtocol.listModels!({ ...target, apiVersion: 'v1' }, opts())).toContain('other-dep');
  });

  it('maps a missing deployment to upstream_not_found with Azure\'s code', async () => {
    const err = await azureProtocol.chat(ask(), { ...target, model: 'nope' }, opts()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_not_found', clientCode: 'DeploymentNotFound' });
  });
});
