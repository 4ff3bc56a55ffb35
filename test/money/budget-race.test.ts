/**
 * The budget race: 200 concurrent chat requests (JSON and streams, with and
 * without a usage chunk) on one key whose budget covers exactly 10 of them,
 * through the real server, on every storage driver. LiteLLM's budgets are
 * bypassed this way under load, and One-API's balances go negative; here
 * admission is one synchronous reserve per request, so the bound holds.
 *
 * The bound, stated: each admitted request holds H (estimated prompt at the
 * input price + max_tokens at the output price) and is admitted only if
 * spent + held + H ≤ limit. A request's actual cost A may exceed H only by
 * δ = max(0, A − H). So at most ⌊limit / H⌋ requests are ever admitted, and
 * spend ≤ limit + ⌊limit / H⌋ · δ (the over-run of requests in flight when
 * the limit was reached). With the fake scripted to report exactly the
 * estimate, δ = 0: spend never passes the limit at all.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { ALL_TEST_DATABASE_KINDS, describeWithDatabase, testDatabaseTarget, type DatabaseSuiteContext } from '../store/test-databases.js';
import type { TestGateway } from '../e2e/harness.js';
import { estimatedInputTokens, ledgerRowsOfKey, minUserBalance, startMoneyGateway, sum } from './money-harness.js';

const REQUESTS = 200;
const AFFORDABLE = 10;
const MAX_TOKENS = 40;
/** $1 per 1M input tokens, $4 per 1M output tokens: 1,000 and 4,000 nano-USD per token. */
const INPUT_NANOS = 1_000;
const OUTPUT_NANOS = 4_000;
const MODEL_INFO = { inputCostPerToken: 0.000001, outputCostPerToken: 0.000004 };

const BODY = { model: 'metered', messages: [{ role: 'user' as const, content: 'Count the sheep in the field, please.' }], max_tokens: MAX_TOKENS };
const EST_INPUT = estimatedInputTokens(BODY);
/** H: what the gateway holds per request. */
const HOLD = EST_INPUT * INPUT_NANOS + MAX_TOKENS * OUTPUT_NANOS;

interface RaceOutcome {
  ok: string[];
  refused: { status: number; type: unknown; code: unknown; message: string }[];
  other: string[];
  /** Highest spent + held the in-memory book showed during the race, per account kind sampled. */
  maxCommittedInMemory: number;
  minBalanceInMemory: number;
  minBalanceInDatabase: number;
  maxKeySpendInDatabase: number;
}

type Mode = { kind: 'key-budget' } | { kind: 'prepaid'; userId: string };

/** Fires every request at once; samples memory and the database while they run. */
async function race(gw: TestGateway, secret: string, keyId: string, mode: Mode, label: string): Promise<RaceOutcome> {
  const client = new OpenAI({ apiKey: secret, baseURL: gw.baseURL, maxRetries: 0 });
  const { book, store } = gw.gateway.accounts;
  const out: RaceOutcome = { ok: [], refused: [], other: [], maxCommittedInMemory: 0, minBalanceInMemory: Infinity, minBalanceInDatabase: Infinity, maxKeySpendInDatabase: 0 };
  const sampleMemory = () => {
    const key = book.get('key', keyId);
    if (key && key.kind === 'key') out.maxCommittedInMemory = Math.max(out.maxCommittedInMemory, key.spentNanos + key.reservedNanos);
    if (mode.kind === 'prepaid') {
      const bal = book.get('balance', mode.userId);
      if (bal && bal.kind === 'balance') {
        out.maxCommittedInMemory = Math.max(out.maxCommittedInMemory, HOLD * AFFORDABLE - bal.balanceNanos + bal.reservedNanos);
        out.minBalanceInMemory = Math.min(out.minBalanceInMemory, bal.balanceNanos, bal.balanceNanos - bal.reservedNanos);
      }
    }
  };
  let sampling = true;
  const dbSampler = (async () => {
    while (sampling) {
      out.minBalanceInDatabase = Math.min(out.minBalanceInDatabase, await minUserBalance(store));
      const key = await store.keys.get(keyId);
      out.maxKeySpendInDatabase = Math.max(out.maxKeySpendInDatabase, key?.spendNanos ?? 0);
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  const memSampler = setInterval(sampleMemory, 1);

  const one = async (i: number): Promise<void> => {
    const id = `${label}-${i}`;
    const opts = { headers: { 'x-request-id': id } };
    try {
      // Four shapes: JSON twice, a stream asking for usage, a stream that does not (the gateway must still bill it).
      if (i % 4 < 2) {
        const res = await client.chat.completions.create(BODY, opts);
        expect(res.usage?.completion_tokens).toBe(MAX_TOKENS);
      } else {
        const stream = await client.chat.completions.create({ ...BODY, stream: true, ...(i % 4 === 2 ? { stream_options: { include_usage: true } } : {}) }, opts);
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        expect(text).toBe('one two three four five');
      }
      out.ok.push(id);
    } catch (err) {
      if (err instanceof OpenAI.APIError && err.status === 429) {
        const body = err.error as { type?: unknown; code?: unknown } | undefined;
        out.refused.push({ status: err.status, type: body?.type, code: body?.code, message: err.message });
      } else out.other.push(`${id}: ${(err as Error).message}`);
    } finally {
      sampleMemory();
    }
  };
  await Promise.all(Array.from({ length: REQUESTS }, (_, i) => one(i)));
  clearInterval(memSampler);
  sampling = false;
  await dbSampler;
  return out;
}

function raceSuite(ctx: DatabaseSuiteContext) {
  const fake = new FakeOpenAI();
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startMoneyGateway({
      databaseUrl: ctx.testDatabase().url,
      deployments: [{ publicModel: 'metered', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'metered-up', modelInfo: MODEL_INFO }],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });

  /** The fake is slow enough that dozens of requests are in flight at once. */
  const script = (inputTokens: number) =>
    fake.script('metered-up', { text: 'one two three four five', usage: { input: inputTokens, output: MAX_TOKENS }, latencyMs: 80, chunkDelayMs: 5 });

  it('a key budget of exactly 10 requests admits 10 of 200 concurrent ones; the rest get 429 budget_exceeded; the database agrees with the ledger', async () => {
    script(EST_INPUT);
    const limit = AFFORDABLE * HOLD;
    const { store, directory, ledger } = gw.gateway.accounts;
    const { key, secret } = await store.keys.create({ alias: 'race-key', maxBudgetNanos: limit });
    await directory.refreshKey(key.id);

    const r = await race(gw, secret, key.id, { kind: 'key-budget' }, `${ctx.testDatabase().kind}-key`);
    const overrunBound = 0; // δ = 0: the fake reports exactly the held tokens
    expect(r.other).toEqual([]);
    expect(r.ok.length).toBeLessThanOrEqual(AFFORDABLE + overrunBound);
    // Nothing failed upstream, so the whole budget is usable: exactly 10, not fewer.
    expect(r.ok.length).toBe(AFFORDABLE);
    expect(r.refused).toHaveLength(REQUESTS - AFFORDABLE);
    for (const f of r.refused) {
      expect(f.type).toBe('budget_exceeded');
      expect(f.code).toBe('budget_exceeded');
      expect(f.message).toMatch(/Budget exceeded for key/);
    }
    // A real race: some refusals came while admitted requests still held their reservations.
    expect(r.refused.some((f) => !/ \$0 held by requests in flight/.test(f.message))).toBe(true);
    expect(r.maxCommittedInMemory).toBeLessThanOrEqual(limit);

    await ledger.flush();
    const rows = await ledgerRowsOfKey(store, key.id);
    expect(rows.map((x) => x.requestId).sort()).toEqual([...r.ok].sort());
    for (const row of rows) {
      expect(row.status).toBe('success');
      expect(row.costNanos).toBe(HOLD);
    }
    const spent = (await store.keys.get(key.id))!.spendNanos;
    expect(spent).toBe(sum(rows.map((x) => x.costNanos)));
    expect(spent).toBe(limit);
    expect(r.maxKeySpendInDatabase).toBeLessThanOrEqual(limit);
    expect(gw.gateway.accounts.book.get('key', key.id)).toMatchObject({ spentNanos: limit, reservedNanos: 0 });
  }, 60_000);

  it('when the upstream bills more than the hold, the over-run stays within ⌊limit/H⌋ · δ', async () => {
    const extraInput = 250; // the estimator under-counted the prompt by 250 tokens
    const delta = extraInput * INPUT_NANOS;
    script(EST_INPUT + extraInput);
    const limit = AFFORDABLE * HOLD;
    const { store, directory, ledger } = gw.gateway.accounts;
    const { key, secret } = await store.keys.create({ alias: 'race-key-overrun', maxBudgetNanos: limit });
    await directory.refreshKey(key.id);

    const r = await race(gw, secret, key.id, { kind: 'key-budget' }, `${ctx.testDatabase().kind}-overrun`);
    const admittedBound = Math.floor(limit / HOLD);
    const spendBound = limit + admittedBound * delta;
    expect(r.other).toEqual([]);
    expect(r.ok.length).toBeGreaterThan(0);
    expect(r.ok.length).toBeLessThanOrEqual(admittedBound);
    expect(r.refused).toHaveLength(REQUESTS - r.ok.length);
    expect(r.refused.every((f) => f.type === 'budget_exceeded')).toBe(true);

    await ledger.flush();
    const rows = await ledgerRowsOfKey(store, key.id);
    expect(rows.map((x) => x.requestId).sort()).toEqual([...r.ok].sort());
    expect(rows.every((x) => x.costNanos === HOLD + delta)).toBe(true);
    const spent = (await store.keys.get(key.id))!.spendNanos;
    expect(spent).toBe(sum(rows.map((x) => x.costNanos)));
    expect(spent).toBeLessThanOrEqual(spendBound);
    expect(r.maxKeySpendInDatabase).toBeLessThanOrEqual(spendBound);
  }, 60_000);

  it('a prepaid balance covering 10 requests (One-API style) admits 10, refuses the rest with 429 insufficient_quota, and never goes below zero in memory or in the database', async () => {
    script(EST_INPUT);
    const credit = AFFORDABLE * HOLD;
    const { store, directory, ledger, book } = gw.gateway.accounts;
    const user = await store.users.create({ username: `prepaid-${ctx.testDatabase().kind}`, balanceNanos: credit, metadata: { prepaid: true } });
    await directory.refreshUser(user.id);
    const { key, secret } = await store.keys.create({ alias: 'prepaid-key', userId: user.id });
    await directory.refreshKey(key.id);

    const r = await race(gw, secret, key.id, { kind: 'prepaid', userId: user.id }, `${ctx.testDatabase().kind}-prepaid`);
    expect(r.other).toEqual([]);
    expect(r.ok.length).toBe(AFFORDABLE);
    expect(r.refused).toHaveLength(REQUESTS - AFFORDABLE);
    for (const f of r.refused) {
      expect(f.type).toBe('insufficient_quota');
      expect(f.code).toBe('insufficient_quota');
      expect(f.message).toMatch(/Insufficient credit/);
    }
    expect(r.minBalanceInMemory).toBeGreaterThanOrEqual(0);
    expect(r.minBalanceInDatabase).toBeGreaterThanOrEqual(0);
    expect(book.get('balance', user.id)).toMatchObject({ balanceNanos: 0, reservedNanos: 0, unpaidNanos: 0 });

    await ledger.flush();
    const rows = await ledgerRowsOfKey(store, key.id);
    expect(rows.map((x) => x.requestId).sort()).toEqual([...r.ok].sort());
    const charged = sum(rows.map((x) => x.costNanos));
    expect(charged).toBe(credit);
    const stored = (await store.users.get(user.id))!;
    expect(stored.spendNanos).toBe(charged);
    // The credit spent is gone from the database too, so a restart cannot hand it out again.
    expect(stored.balanceNanos).toBe(credit - charged);
    expect(await minUserBalance(store)).toBeGreaterThanOrEqual(0);
  }, 60_000);
}

for (const kind of ALL_TEST_DATABASE_KINDS) {
  describeWithDatabase(await testDatabaseTarget(kind), 'budget race through the server', raceSuite);
}

