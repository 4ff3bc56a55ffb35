import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { deployment, startTestGateway, type TestGateway } from './harness.js';

/**
 * /v1/responses goes through the same admission as chat: keys from memory,
 * model access, budgets (reserve before, settle after) and one ledger row
 * per request with the upstream's tokens — for JSON answers and streams.
 */
describe('responses: auth, model access, budgets and the ledger', () => {
  const fake = new FakeOpenAI();
  let gw: TestGateway;
  const USD_PER_TOKEN = 1e-6; // 1,000 nano-USD per token

  beforeAll(async () => {
    await fake.start();
    const priced = deployment({ publicModel: 'priced', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-priced' });
    priced.modelInfo = { inputCostPerToken: USD_PER_TOKEN, outputCostPerToken: USD_PER_TOKEN };
    const other = deployment({ publicModel: 'other', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-other' }, 1);
    gw = await startTestGateway({ deployments: [], router: { numRetries: 0 }, config: { deployments: [priced, other] } });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  async function key(opts: Parameters<TestGateway['gateway']['accounts']['store']['keys']['create']>[0]) {
    const { store, directory } = gw.gateway.accounts;
    const created = await store.keys.create(opts);
    await directory.refreshKey(created.key.id);
    return { id: created.key.id, client: new OpenAI({ apiKey: created.secret, baseURL: gw.baseURL, maxRetries: 0 }) };
  }

  it('refuses a request without a key, or with a wrong one, in OpenAI error JSON', async () => {
    const noKey = await fetch(`${gw.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'priced', input: 'hi' }) });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: gw.baseURL, maxRetries: 0 });
    expect(await wrong.responses.create({ model: 'priced', input: 'hi' }).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await wrong.responses.retrieve('resp_x').catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a model the key may not use (403) before any upstream call', async () => {
    const { client } = await key({ allowedModels: ['other'] });
    const err = (await client.responses.create({ model: 'priced', input: 'hi' }).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(err.code).toBe('model_not_allowed');
    expect(fake.requests).toHaveLength(0);
  });

  it('writes one ledger row per request with the upstream tokens and cost, JSON and streamed', async () => {
    const { id, client } = await key({});
    fake.script('gpt-priced', { text: 'priced answer', usage: { input: 40, output: 10 } });
    await client.responses.create({ model: 'priced', input: 'hello' });
    const stream = await client.responses.create({ model: 'priced', input: 'hello', stream: true });
    for await (const _ of stream) void _;
    await gw.gateway.accounts.ledger.flush();
    const rows = (
      await gw.gateway.accounts.store.database.db
        .selectFrom('spend_logs')
        .select(['public_model', 'status', 'input_tokens', 'output_tokens', 'cost_nanos'])
        .where('key_id', '=', id)
        .execute()
    ).map((r) => ({ publicModel: r.public_model, status: r.status, inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens), costNanos: Number(r.cost_nanos) }));
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ publicModel: 'priced', status: 'success', inputTokens: 40, outputTokens: 10, costNanos: 50_000 });
  });

  it('stops a key at its budget with a 429 budget_exceeded', async () => {
    // One answer costs 220,000 nano-USD; the next one's reservation no longer fits in 230,000.
    const { client } = await key({ maxBudgetNanos: 230_000 });
    fake.script('gpt-priced', { text: 'expensive', usage: { input: 200, output: 20 } });
    await client.responses.create({ model: 'priced', input: 'one', max_output_tokens: 20 });
    await gw.gateway.accounts.ledger.flush();
    const err = (await client.responses.create({ model: 'priced', input: 'two', max_output_tokens: 20 }).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('budget_exceeded');
    expect(fake.requests).toHaveLength(1);
  });
});
