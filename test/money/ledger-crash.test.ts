/**
 * The ledger's promise, tested on the real process: a request the client saw
 * complete is billed exactly once, whatever happens to the server after.
 * `switchyard --config` runs as a child on a SQLite data dir in front of a
 * fake OpenAI with exact usage; it is killed with SIGKILL mid-load at three
 * different moments (early, when most rows are only in the journal; later,
 * when some batches reached the database and some did not), restarted on the
 * same data dir, and the database is checked row by row. Then a SIGTERM
 * under load must finish the requests in flight, exit 0 and leave nothing to
 * replay.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, migrate, openDatabase, type Store } from '../../src/store/index.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { buildCli, startCli, stopCli, type CliChild } from './cli-child.js';
import { startLoad, type CompletedRequest, type LoadKey } from './load-driver.js';
import { ledgerRowsOfKey, sum } from './money-harness.js';

const MASTER = 'sk-crash-master-0123456789';
const INPUT_TOKENS = 120;
const OUTPUT_TOKENS = 30;
/** $1/M input, $4/M output: 120 · 1,000 + 30 · 4,000 nano-USD = $0.00024 per request. */
const COST_NANOS = 240_000;
const COST_USD = '0.00024';
const PREPAID_CREDIT = 1_000_000_000; // $1: room for 4,166 requests, far more than the load sends
const BODY = { model: 'metered', messages: [{ role: 'user', content: 'Tell me about the ledger.' }], max_tokens: OUTPUT_TOKENS };

/** Rows the start-up replay shipped from the journal, from the gateway's log line (0 when there was nothing to replay). */
function replayedRows(stderr: string): number {
  const m = /"msg":"ledger journal replayed","rows":(\d+)/.exec(stderr);
  return m ? Number(m[1]) : 0;
}

describe('ledger survives kill -9 and SIGTERM of the real server', () => {
  const fake = new FakeOpenAI();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-money-crash-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'switchyard.yaml');
  const env = { SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_MASTER_KEY: MASTER, SWITCHYARD_LOG_LEVEL: 'info' };
  let child: CliChild | undefined;
  let keys: LoadKey[] = [];
  const ids = { budgetKey: '', prepaidKey: '', user: '' };
  /** Every request any client saw complete, across all phases. */
  const seen: CompletedRequest[] = [];

  beforeAll(async () => {
    await fake.start();
    fake.script('metered-up', { text: 'a b c d e f', usage: { input: INPUT_TOKENS, output: OUTPUT_TOKENS }, latencyMs: 10, chunkDelayMs: 8 });
    const build = buildCli();
    expect(build.ok, build.output).toBe(true);
    writeFileSync(
      configPath,
      [
        'models:',
        '  metered:',
        '    provider: openai',
        '    model: metered-up',
        `    api_base: ${fake.url}/v1`,
        '    api_key: sk-upstream',
        '    model_info:',
        '      input_cost_per_token: 0.000001',
        '      output_cost_per_token: 0.000004',
        '',
      ].join('\n'),
    );
    // Accounts are created in the SQLite file before the first start, the way an operator's earlier admin session would have.
    mkdirSync(dataDir, { recursive: true });
    await withStore(async (store) => {
      const budget = await store.keys.create({ alias: 'crash-budget', maxBudgetNanos: 100 * 1_000_000_000 });
      const user = await store.users.create({ username: 'crash-prepaid', balanceNanos: PREPAID_CREDIT, metadata: { prepaid: true } });
      const prepaid = await store.keys.create({ alias: 'crash-prepaid', userId: user.id });
      Object.assign(ids, { budgetKey: budget.key.id, prepaidKey: prepaid.key.id, user: user.id });
      keys = [
        { name: 'budget', secret: budget.secret },
        { name: 'prepaid', secret: prepaid.secret },
      ];
    });
  }, 180_000); // a first, non-incremental build takes ~40 s on a busy 2-core machine

  afterAll(async () => {
    await stopCli(child);
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const database = await openDatabase(undefined, { dataDir });
    try {
      await migrate(database);
      return await fn(createStore(database));
    } finally {
      await database.close();
    }
  }

  /** Every completed request is in spend_logs once with its exact cost; counters and balances equal the sum of rows. */
  async function expectLedgerExact(): Promise<void> {
    await withStore(async (store) => {
      const budgetRows = await ledgerRowsOfKey(store, ids.budgetKey);
      const prepaidRows = await ledgerRowsOfKey(store, ids.prepaidKey);
      const all = [...budgetRows, ...prepaidRows];
      const count = new Map<string, number>();
      for (const r of all) count.set(r.requestId, (count.get(r.requestId) ?? 0) + 1);
      const missing = seen.filter((c) => count.get(c.id) !== 1).map((c) => `${c.id}×${count.get(c.id) ?? 0}`);
      expect(missing, 'completed requests not in the ledger exactly once').toEqual([]);
      // Rows for requests whose answer was cut by the kill may exist too (billed work); each is still exact.
      for (const r of all) {
        expect(r).toMatchObject({ status: 'success', costNanos: COST_NANOS, inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS });
      }
      const budgetKey = await store.keys.get(ids.budgetKey);
      expect(budgetKey!.spendNanos).toBe(sum(budgetRows.map((r) => r.costNanos)));
      const prepaidKey = await store.keys.get(ids.prepaidKey);
      expect(prepaidKey!.spendNanos).toBe(sum(prepaidRows.map((r) => r.costNanos)));
      const user = await store.users.get(ids.user);
      expect(user!.spendNanos).toBe(sum(prepaidRows.map((r) => r.costNanos)));
      expect(user!.balanceNanos).toBe(PREPAID_CREDIT - sum(prepaidRows.map((r) => r.costNanos)));
    });
  }

  // Kill points, counted in completed requests rather than time so a slow machine moves them with it.
  for (const killAfter of [15, 120, 400]) {
    it(`SIGKILL after ${killAfter} completed requests: every completed request is billed once, at its exact cost, after a restart`, async () => {
      child ??= await startCli({ configPath, env });
      const victim = child;
      let killed = false;
      const load = startLoad({
        baseURL: victim.baseURL,
        keys,
        body: BODY,
        label: `kill${killAfter}`,
        concurrency: 24,
        maxRequests: killAfter + 600,
        onComplete: (n) => {
          if (n >= killAfter && !killed) {
            killed = true;
            victim.proc.kill('SIGKILL');
          }
        },
      });
      const exit = await victim.exited;
      await load.done;
      expect(killed, `load ended before the kill point: ${load.failures.slice(0, 3).join('; ')}`).toBe(true);
      expect(exit.signal).toBe('SIGKILL');
      expect(load.completed.length).toBeGreaterThanOrEqual(killAfter);
      for (const c of load.completed) if (!c.stream) expect(c.costHeader).toBe(COST_USD);
      seen.push(...load.completed);

      child = await startCli({ configPath, env });
      // The rows recorded just before the kill had not reached the database: the restart shipped them from the journal.
      expect(replayedRows(child.stderr())).toBeGreaterThan(0);
      await expectLedgerExact();
    }, 60_000);
  }

  it('SIGTERM under load: requests in flight finish, the process exits 0, and every completed request is in the database with nothing left to replay', async () => {
    child ??= await startCli({ configPath, env });
    const victim = child;
    let inFlightAtSignal: string[] = [];
    let signalled = false;
    const load = startLoad({
      baseURL: victim.baseURL,
      keys,
      body: BODY,
      label: 'term',
      concurrency: 24,
      maxRequests: 700,
      onComplete: (n) => {
        if (n >= 100 && !signalled) {
          signalled = true;
          inFlightAtSignal = [...load.open];
          victim.proc.kill('SIGTERM');
        }
      },
    });
    const exit = await victim.exited;
    child = undefined;
    load.stop();
    await load.done;
    expect(signalled).toBe(true);
    expect(exit, victim.stderr()).toEqual({ code: 0, signal: null });
    // Streams already answering when the signal came were finished, not cut.
    const completedIds = new Set(load.completed.map((c) => c.id));
    expect(inFlightAtSignal.length).toBeGreaterThan(0);
    expect(inFlightAtSignal.filter((id) => !completedIds.has(id))).toEqual([]);
    seen.push(...load.completed);

    // A clean stop shipped everything: the journal is empty and the database already has every row, with no restart.
    const journal = join(dataDir, 'ledger-journal');
    expect(existsSync(journal) ? readdirSync(journal) : []).toEqual([]);
    await expectLedgerExact();
  }, 60_000);
});
