/**
 * The store: one query layer over SQLite, PostgreSQL and MySQL/MariaDB.
 *
 *   const database = await openDatabase(config.databaseUrl, { dataDir });
 *   await migrate(database);
 *   const { box, notice } = loadSecretBox({ dataDir });   // print `notice` if set
 *   const store = createStore(database, { secretBox: box });
 *
 * Conventions (see schema.ts): money in integer nano-USD, times in epoch ms,
 * unique violations thrown as StoreConflictError.
 */
import type { Database } from './open-database.js';
import { AuditLogRepository } from './repositories/audit-log-repository.js';
import { BudgetsRepository } from './repositories/budgets-repository.js';
import { ChannelsRepository } from './repositories/channels-repository.js';
import { CreditsRepository } from './repositories/credits-repository.js';
import { PriceOverridesRepository } from './repositories/price-overrides-repository.js';
import type { RepositoryContext } from './repositories/repository-context.js';
import { ResponsesRepository } from './repositories/responses-repository.js';
import { SettingsRepository } from './repositories/settings-repository.js';
import { SpendLedgerRepository } from './repositories/spend-ledger-repository.js';
import { SpendReportsRepository } from './repositories/spend-reports-repository.js';
import { TeamsRepository } from './repositories/teams-repository.js';
import { UsersRepository } from './repositories/users-repository.js';
import { VirtualKeysRepository } from './repositories/virtual-keys-repository.js';
import type { SecretBox } from './secret-box.js';

export interface Store {
  database: Database;
  users: UsersRepository;
  teams: TeamsRepository;
  keys: VirtualKeysRepository;
  channels: ChannelsRepository;
  credits: CreditsRepository;
  ledger: SpendLedgerRepository;
  reports: SpendReportsRepository;
  budgets: BudgetsRepository;
  audit: AuditLogRepository;
  prices: PriceOverridesRepository;
  settings: SettingsRepository;
  responses: ResponsesRepository;
  close(): Promise<void>;
}

export interface CreateStoreOptions {
  /** Needed for channel keys (encrypted at rest). */
  secretBox?: SecretBox;
  /** Clock in epoch ms; tests move time with it. */
  now?: () => number;
}

export function createStore(database: Database, opts: CreateStoreOptions = {}): Store {
  const ctx: RepositoryContext = { database, now: opts.now ?? Date.now, ...(opts.secretBox ? { secretBox: opts.secretBox } : {}) };
  return {
    database,
    users: new UsersRepository(ctx),
    teams: new TeamsRepository(ctx),
    keys: new VirtualKeysRepository(ctx),
    channels: new ChannelsRepository(ctx),
    credits: new CreditsRepository(ctx),
    ledger: new SpendLedgerRepository(ctx),
    reports: new SpendReportsRepository(ctx),
    budgets: new BudgetsRepository(ctx),
    audit: new AuditLogRepository(ctx),
    prices: new PriceOverridesRepository(ctx),
    settings: new SettingsRepository(ctx),
    responses: new ResponsesRepository(ctx),
    close: () => database.close(),
  };
}

export { openDatabase, DEFAULT_SQLITE_FILE, type Database, type DatabaseDialect, type OpenDatabaseOptions } from './open-database.js';
export { migrate, migrateDownAll, type MigrateResult } from './migrations/index.js';
export { SecretBox, SecretBoxError, loadSecretBox, parseEncryptionKey, ENCRYPTION_KEY_ENV, type LoadedSecretBox } from './secret-box.js';
export { StoreConflictError, StoreReferenceError } from './store-errors.js';
export { hashSecret, hashSecretBytes, generateSecret, newId, newOrderedId } from './ids.js';
export { hashPassword, verifyPassword } from './password-hash.js';
export type { Schema } from './schema.js';
export * from './repositories/users-repository.js';
export * from './repositories/teams-repository.js';
export * from './repositories/virtual-keys-repository.js';
export * from './repositories/channels-repository.js';
export * from './repositories/credits-repository.js';
export * from './repositories/spend-log-types.js';
export * from './repositories/spend-ledger-repository.js';
export * from './repositories/spend-reports-repository.js';
export * from './repositories/budgets-repository.js';
export * from './repositories/audit-log-repository.js';
export * from './repositories/price-overrides-repository.js';
export * from './repositories/settings-repository.js';
export * from './repositories/responses-repository.js';
export type { Page } from './repositories/repository-context.js';
