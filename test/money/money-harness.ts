/**
 * Shared set-up for the money suites: a gateway whose deployments carry
 * exact prices, accounts created straight in its store (then refreshed into
 * the in-memory directory, as the admin API does), and read-backs of what
 * the database holds once the ledger is flushed.
 */
import { sql } from 'kysely';
import { estimateInputTokens } from '../../src/accounting/count-tokens.js';
import { decodeChatRequest } from '../../src/dialects/openai/index.js';
import type { ModelInfo } from '../../src/router/index.js';
import type { Store } from '../../src/store/index.js';
import { deployment, startTestGateway, type DeploymentSpec, type TestGateway } from '../e2e/harness.js';

export interface PricedDeploymentSpec extends DeploymentSpec {
  modelInfo?: ModelInfo;
}

export async function startMoneyGateway(opts: { deployments: PricedDeploymentSpec[]; databaseUrl?: string }): Promise<TestGateway> {
  const deployments = opts.deployments.map((spec, i) => ({ ...deployment(spec, i), modelInfo: spec.modelInfo ?? {} }));
  return startTestGateway({
    deployments: [],
    config: { deployments, ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) },
  });
}

/**
 * The reservation the gateway will hold for this chat body, in input tokens:
 * computed with the gateway's own estimator, so a test can script the fake
 * to report exactly that many and make each request cost exactly its hold.
 */
export function estimatedInputTokens(body: Record<string, unknown>): number {
  return estimateInputTokens(decodeChatRequest(body).request);
}

export interface LedgerRowView {
  requestId: string;
  costNanos: number;
  status: string;
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  warning: string | null;
}

/** Every spend_logs row of one key, as numbers (drivers return BIGINT differently). */
export async function ledgerRowsOfKey(store: Store, keyId: string): Promise<LedgerRowView[]> {
  const rows = await store.database.db
    .selectFrom('spend_logs')
    .select(['request_id', 'cost_nanos', 'status', 'stream', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'warning'])
    .where('key_id', '=', keyId)
    .execute();
  return rows.map((r) => ({
    requestId: r.request_id,
    costNanos: Number(r.cost_nanos),
    status: r.status,
    stream: Number(r.stream) === 1,
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    cacheReadTokens: Number(r.cache_read_tokens),
    cacheWriteTokens: Number(r.cache_write_tokens),
    warning: r.warning,
  }));
}

/** The smallest balance any user row holds right now (a negative one would be a broken guarantee). */
export async function minUserBalance(store: Store): Promise<number> {
  const r = await store.database.db.selectFrom('users').select(sql<number>`min(balance_nanos)`.as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}

export function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Parses an OpenAI-style SSE body into its data payloads (the `[DONE]` marker kept as a string). */
export function sseData(text: string): (Record<string, unknown> | '[DONE]')[] {
  const out: (Record<string, unknown> | '[DONE]')[] = [];
  for (const block of text.split(/\n\n/)) {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '') continue;
    out.push(data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Record<string, unknown>));
  }
  return out;
}
