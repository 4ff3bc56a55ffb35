import { join } from 'node:path';
import { AccountingInterceptor, BudgetBook, createPriceResolvers, LedgerWriter, PriceBook, type PricedDeployment } from '../../accounting/index.js';
import { getProvider } from '../../catalog/index.js';
import type { GatewayConfig } from '../../config/types.js';
import type { Deployment, ModelRegistry } from '../../router/index.js';
import { createStore, loadSecretBox, migrate, openDatabase, type Store } from '../../store/index.js';
import type { Logger } from '../log.js';
import { AccountDirectory } from './account-directory.js';
import { startBudgetResets } from './budget-reset-job.js';
import { storeLedgerSink } from './ledger-sink.js';
import { loadPriceOverrides } from './price-overrides.js';
import { UnflushedSpend } from './unflushed-spend.js';

/** Everything money- and identity-related, opened once at start. */
export interface Accounts {
  store: Store;
  directory: AccountDirectory;
  book: BudgetBook;
  prices: PriceBook;
  ledger: LedgerWriter;
  interceptor: AccountingInterceptor;
  /** Re-reads price overrides after the admin API changed one. */
  reloadPrices(): Promise<void>;
  /** Re-registers deployments' model_info prices after the model list changed. */
  refreshDeploymentPrices(deployments: Deployment[]): void;
  /** Printed once at start when something needs the operator's attention (e.g. a generated encryption key). */
  notices: string[];
  close(): Promise<void>;
}

// Deployments are replaced, never edited, when the registry changes: their
// priced views can be kept per object instead of rebuilt on every request.
const pricedViews = new WeakMap<Deployment, PricedDeployment>();
const pricedGroups = new WeakMap<readonly Deployment[], PricedDeployment[]>();

function priced(d: Deployment): PricedDeployment {
  let view = pricedViews.get(d);
  if (view === undefined) {
    const pricingProviderId = getProvider(d.provider)?.pricingProviderId;
    view = { id: d.id, provider: d.provider, model: d.target.model, ...(pricingProviderId ? { pricingProviderId } : {}) };
    pricedViews.set(d, view);
  }
  return view;
}

function pricedGroup(group: readonly Deployment[]): PricedDeployment[] {
  let views = pricedGroups.get(group);
  if (views === undefined) {
    views = group.map(priced);
    pricedGroups.set(group, views);
  }
  return views;
}

/**
 * Opens the database (embedded SQLite by default), migrates it, replays any
 * ledger rows a crash left in the journal, and loads keys, users, teams and
 * budgets into memory — all before the first request is accepted.
 */
export async function openAccounts(config: GatewayConfig, registry: ModelRegistry, log: Logger): Promise<Accounts> {
  const database = await openDatabase(config.databaseUrl, { dataDir: config.dataDir });
  await migrate(database);
  const { box, notice } = loadSecretBox({ dataDir: config.dataDir });
  const store = createStore(database, { secretBox: box });
  const notices = notice ? [notice] : [];

  // Memory runs ahead of the database by the rows the writer has not shipped; reloads add them back.
  const unflushed = new UnflushedSpend();
  const ledger = new LedgerWriter({
    dir: join(config.dataDir, 'ledger-journal'),
    sink: unflushed.sink(storeLedgerSink(store)),
    onError: (err, context) => log.warn('ledger', { context, message: (err as Error).message }),
  });
  const replayed = await ledger.replay();
  if (replayed.rows > 0) log.info('ledger journal replayed', { rows: replayed.rows, segments: replayed.segments });

  const book = new BudgetBook({ onEvent: (e) => log.info('budget event', { ...e }) });
  const directory = new AccountDirectory(store, book, log, Date.now, unflushed);
  await directory.load();

  const prices = new PriceBook();
  const refreshDeploymentPrices = (deployments: Deployment[]): void => prices.setDeployments(deployments.map((d) => ({ id: d.id, modelInfo: d.modelInfo })));
  refreshDeploymentPrices(registry.deployments());
  const reloadPrices = await loadPriceOverrides(store, prices);
  const resolvers = createPriceResolvers(
    prices,
    (publicModel) => (registry.has(publicModel) ? pricedGroup(registry.resolve(publicModel)) : []),
    (id) => {
      const d = registry.deployment(id);
      return d ? priced(d) : undefined;
    },
  );
  const interceptor = new AccountingInterceptor({
    book,
    ledger: unflushed.recorder(ledger),
    priceFor: resolvers.priceFor,
    estimatePriceFor: resolvers.estimatePriceFor,
    unknownPrice: config.accounting.unknownPrice,
    multiplierFor: (identity) => {
      const team = identity.teamId ? directory.team(identity.teamId) : undefined;
      return team && team.priceMultiplierPpm !== 1_000_000 ? team.priceMultiplierPpm / 1_000_000 : undefined;
    },
  });
  const resets = startBudgetResets(store, directory, log);

  return {
    store,
    directory,
    book,
    prices,
    ledger,
    interceptor,
    reloadPrices,
    refreshDeploymentPrices,
    notices,
    async close() {
      resets.stop();
      await directory.close();
      const flushed = await ledger.close();
      if (!flushed.ok) log.warn('ledger rows left in the journal; they are replayed at next start', { pendingSegments: flushed.pendingSegments });
      await store.close();
    },
  };
}
