/**
 * The in-memory book is ahead of the database by the ledger rows not yet
 * flushed (up to a second of traffic). An admin change reloads the account
 * from the database; it must not forget that unflushed spend, or every key
 * edit and every credit top-up would hand out money already spent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNanosAsUsd } from '../../src/accounting/index.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { TEST_MASTER_KEY, type TestGateway } from '../e2e/harness.js';
import { estimatedInputTokens, ledgerRowsOfKey, startMoneyGateway, sum } from './money-harness.js';

const MAX_TOKENS = 40;
const BODY = { model: 'metered', messages: [{ role: 'user' as const, content: 'Count the sheep in the field, please.' }], max_tokens: MAX_TOKENS };
const EST_INPUT = estimatedInputTokens(BODY);
/** Each request costs exactly its hold (see budget-race.test.ts): $1/M input, $4/M output. */
const COST = EST_INPUT * 1_000 + MAX_TOKENS * 4_000;

describe('admin edits while spend is still in flight to the database', () => {
  const fake = new FakeOpenAI();
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    fake.script('metered-up', { text: 'one two three', usage: { input: EST_INPUT, output: MAX_TOKENS } });
    gw = await startMoneyGateway({
      deployments: [{ publicModel: 'metered', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'metered-up', modelInfo: { inputCostPerToken: 0.000001, outputCostPerToken: 0.000004 } }],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });

  async function admin(method: string, path: string, body: unknown, on: TestGateway = gw): Promise<Record<string, unknown>> {
    const res = await fetch(`${on.url}${path}`, { method, headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, text).toBeLessThan(300);
    return JSON.parse(text) as Record<string, unknown>;
  }

  /** Sends `n` requests at once; returns how many were served. */
  async function spend(secret: string, n: number, on: TestGateway = gw): Promise<number> {
    const client = new OpenAI({ apiKey: secret, baseURL: on.baseURL, maxRetries: 0 });
    const results = await Promise.allSettled(Array.from({ length: n }, () => client.chat.completions.create(BODY)));
    for (const r of results) if (r.status === 'rejected') expect((r.reason as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  /**
   * Runs `scenario` until its edit landed while the database still lagged the
   * book (the ledger ships about once a second, so a run can miss the window).
   */
  async function whileDatabaseLags(scenario: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) if (await scenario()) return;
    throw new Error('the ledger flushed before every edit; the window this test needs never opened');
  }

  it('editing a key (PATCH /admin/keys/:id) keeps the spend not yet in the database: an exhausted budget stays exhausted', async () => {
    const { store, ledger } = gw.gateway.accounts;
    await whileDatabaseLags(async () => {
      const { key, secret } = await store.keys.create({ maxBudgetNanos: 10 * COST });
      await gw.gateway.accounts.directory.refreshKey(key.id);
      expect(await spend(secret, 10)).toBe(10);
      const lagging = (await store.keys.get(key.id))!.spendNanos < 10 * COST;
      await admin('PATCH', `/admin/keys/${key.id}`, { key_alias: `renamed-${key.id}` });
      expect(await spend(secret, 5)).toBe(0);
      await ledger.flush();
      const rows = await ledgerRowsOfKey(store, key.id);
      expect(rows).toHaveLength(10);
      expect((await store.keys.get(key.id))!.spendNanos).toBe(sum(rows.map((r) => r.costNanos)));
      return lagging;
    });
  });

  it('a credit top-up (POST /admin/users/:id/credits) adds exactly the top-up, not the credit spent but not yet written', async () => {
    const { store, ledger, book } = gw.gateway.accounts;
    await whileDatabaseLags(async () => {
      const user = await store.users.create({ username: `topup-${Math.random().toString(36).slice(2)}`, balanceNanos: 10 * COST, metadata: { prepaid: true } });
      await gw.gateway.accounts.directory.refreshUser(user.id);
      const { key, secret } = await store.keys.create({ userId: user.id });
      await gw.gateway.accounts.directory.refreshKey(key.id);
      expect(await spend(secret, 10)).toBe(10);
      const lagging = (await store.users.get(user.id))!.balanceNanos > 0;
      await admin('POST', `/admin/users/${user.id}/credits`, { action: 'topup', amount: formatNanosAsUsd(2 * COST) });
      expect(book.get('balance', user.id)).toMatchObject({ balanceNanos: 2 * COST });
      expect(await spend(secret, 6)).toBe(2);
      await ledger.flush();
      expect((await store.users.get(user.id))!.balanceNanos).toBe(0);
      expect(book.get('balance', user.id)).toMatchObject({ balanceNanos: 0, unpaidNanos: 0 });
      return lagging;
    });
  });

  it('a user credited through the admin API who spends it all stays refused after a restart (the balance is 0, not "unmetered")', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-prepaid-restart-'));
    const databaseUrl = `sqlite:${join(dir, 'shared.db')}`;
    const deployments = [{ publicModel: 'metered', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'metered-up', modelInfo: { inputCostPerToken: 0.000001, outputCostPerToken: 0.000004 } }];
    let first: TestGateway | undefined;
    let second: TestGateway | undefined;
    try {
      first = await startMoneyGateway({ databaseUrl, deployments });
      const user = await admin('POST', '/admin/users', { username: 'credited' }, first);
      await admin('POST', `/admin/users/${String(user['id'])}/credits`, { action: 'topup', amount: formatNanosAsUsd(2 * COST) }, first);
      const { key, secret } = await first.gateway.accounts.store.keys.create({ userId: String(user['id']) });
      await first.gateway.accounts.directory.refreshKey(key.id);
      expect(await spend(secret, 3, first)).toBe(2);
      await first.close();
      first = undefined;

      second = await startMoneyGateway({ databaseUrl, deployments });
      expect((await second.gateway.accounts.store.users.get(String(user['id'])))!.balanceNanos).toBe(0);
      expect(await spend(secret, 3, second)).toBe(0);
    } finally {
      await first?.close();
      await second?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
