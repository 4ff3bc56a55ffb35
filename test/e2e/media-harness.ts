/**
 * Shared set-up for the endpoint suites (images, audio, moderations,
 * rerank, Gemini-native, pass-through): a gateway whose deployments carry
 * model_info prices, virtual keys made in its store, and the ledger rows a
 * key produced once the ledger is flushed.
 */
import type { ModelInfo } from '../../src/router/index.js';
import { deployment, startTestGateway, type DeploymentSpec, type TestGateway } from './harness.js';

export interface PricedSpec extends DeploymentSpec {
  modelInfo?: ModelInfo;
}

export async function startPricedGateway(opts: { deployments: PricedSpec[]; uploadLimitBytes?: number }): Promise<TestGateway> {
  const deployments = opts.deployments.map((spec, i) => ({ ...deployment(spec, i), modelInfo: spec.modelInfo ?? {} }));
  return startTestGateway({
    deployments: [],
    config: {
      deployments,
      server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1024 * 1024, ...(opts.uploadLimitBytes !== undefined ? { uploadLimitBytes: opts.uploadLimitBytes } : {}) },
    },
  });
}

/** A fresh virtual key, live in the gateway's in-memory directory. */
export async function newKey(gw: TestGateway, opts: { allowedModels?: string[]; budgetNanos?: number } = {}): Promise<{ id: string; secret: string }> {
  const { store, directory } = gw.gateway.accounts;
  const { key, secret } = await store.keys.create({
    maxBudgetNanos: opts.budgetNanos ?? 1_000_000_000,
    ...(opts.allowedModels ? { allowedModels: opts.allowedModels } : {}),
  });
  await directory.refreshKey(key.id);
  return { id: key.id, secret };
}

export interface Row {
  requestId: string;
  publicModel: string;
  provider: string | null;
  costNanos: number;
  status: string;
  inputTokens: number;
  outputTokens: number;
  warning: string | null;
}

/** Every spend_logs row of one key, after flushing the ledger. */
export async function ledgerRows(gw: TestGateway, keyId: string): Promise<Row[]> {
  await gw.gateway.accounts.ledger.flush();
  const rows = await gw.gateway.accounts.store.database.db
    .selectFrom('spend_logs')
    .select(['request_id', 'public_model', 'provider', 'cost_nanos', 'status', 'input_tokens', 'output_tokens', 'warning'])
    .where('key_id', '=', keyId)
    .execute();
  return rows.map((r) => ({
    requestId: r.request_id,
    publicModel: r.public_model,
    provider: r.provider,
    costNanos: Number(r.cost_nanos),
    status: r.status,
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    warning: r.warning,
  }));
}

/** The one row a key produced (fails the test otherwise). */
export async function onlyRow(gw: TestGateway, keyId: string): Promise<Row> {
  const rows = await ledgerRows(gw, keyId);
  if (rows.length !== 1) throw new Error(`expected exactly one ledger row for key ${keyId}, found ${rows.length}`);
  return rows[0]!;
}
