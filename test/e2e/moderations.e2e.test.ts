import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import type { TestGateway } from './harness.js';
import { newKey, onlyRow, startPricedGateway } from './media-harness.js';

/**
 * `/v1/moderations` through the real server with the official `openai`
 * client. OpenAI's moderation models are free (the catalog prices them at
 * zero); a deployment priced per token pays its input estimate.
 */
describe('moderations through switchyard (openai client)', () => {
  const fake = new FakeOpenAI({ apiKey: 'sk-upstream-mod' });
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    const base = { protocol: 'openai', provider: 'openai', baseUrl: `${fake.url}/v1`, apiKey: 'sk-upstream-mod' };
    gw = await startPricedGateway({
      deployments: [
        { ...base, publicModel: 'omni-moderation-latest', model: 'omni-moderation-latest' },
        { ...base, publicModel: 'paid-moderation', model: 'text-moderation-stable', modelInfo: { mode: 'moderation', inputCostPerToken: 0.000001 } },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('classifies one input with the default model, free of charge', async () => {
    const key = await newKey(gw);
    const client = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    const res = await client.moderations.create({ input: 'I will attack the castle' });
    expect(res.model).toBe('omni-moderation-latest-2024-09-26');
    expect(res.results[0]?.flagged).toBe(true);
    expect(res.results[0]?.categories.violence).toBe(true);
    expect(res.results[0]?.category_scores.violence).toBe(0.91);
    expect(fake.lastRequest()!.body).toEqual({ model: 'omni-moderation-latest', input: 'I will attack the castle' });
    expect(fake.lastRequest()!.headers.authorization).toBe('Bearer sk-upstream-mod');
    expect(await onlyRow(gw, key.id)).toMatchObject({ publicModel: 'omni-moderation-latest', costNanos: 0, status: 'success' });
  });

  it('answers one result per input and bills a priced deployment its token estimate', async () => {
    const key = await newKey(gw);
    const client = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    const res = await client.moderations.create({ model: 'paid-moderation', input: ['a calm sea', 'violent storm'] });
    expect(res.results.map((r) => r.flagged)).toEqual([false, true]);
    expect(fake.lastRequest()!.body.model).toBe('text-moderation-stable');
    // "a calm sea violent storm" = 24 characters → 6 tokens × $1/M
    expect(await onlyRow(gw, key.id)).toMatchObject({ costNanos: 6_000, inputTokens: 6 });
  });

  it('goes through the same key checks: an unknown key gets 401, a model outside the key 403', async () => {
    const bad = new OpenAI({ apiKey: 'sk-nope', baseURL: gw.baseURL, maxRetries: 0 });
    await expect(bad.moderations.create({ input: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const key = await newKey(gw, { allowedModels: ['paid-moderation'] });
    const limited = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    await expect(limited.moderations.create({ input: 'x' })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a body without input with a 400 naming it', async () => {
    const client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    const err = await client.moderations.create({} as OpenAI.ModerationCreateParams).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: 'input' });
  });
});
