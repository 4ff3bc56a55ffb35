import { Migrator, NO_MIGRATIONS, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database } from '../open-database.js';
import { createAccountTables } from './0001-accounts.js';
import { createChannelAndCreditTables } from './0001-channels-credits.js';
import { createLedgerTables } from './0001-ledger.js';
import { createResponsesTable, dropResponsesTable } from './0002-responses.js';
import { addSpendEndpoint, dropSpendEndpoint } from './0003-spend-endpoint.js';
import { makeOwnerIndexesFull, makeOwnerIndexesPartial } from './0004-partial-owner-indexes.js';
import { makeStatusIndexFull, makeStatusIndexPartial } from './0005-partial-status-index.js';
import { columnTypes, type AnyKysely } from './column-types.js';

/** Drop order respects foreign keys. */
const INITIAL_TABLES = [
  'settings', 'price_overrides', 'audit_log', 'spend_daily', 'spend_logs',
  'redemption_uses', 'redemption_codes', 'credit_transactions', 'channel_keys', 'channels',
  'virtual_keys', 'team_members', 'teams', 'users',
];

/**
 * Migrations live in code (not files read at run time) so the published
 * package and a single-file build carry them. Names sort in run order; never
 * edit a shipped migration — add the next one.
 */
function inCodeMigrations(database: Database): MigrationProvider {
  const ct = columnTypes(database.dialect);
  const migrations: Record<string, Migration> = {
    '0001_initial': {
      async up(db: AnyKysely) {
        await createAccountTables(db, ct);
        await createChannelAndCreditTables(db, ct);
        await createLedgerTables(db, ct);
      },
      async down(db: AnyKysely) {
        for (const t of INITIAL_TABLES) await db.schema.dropTable(t).ifExists().execute();
      },
    },
    '0002_responses': {
      up: (db: AnyKysely) => createResponsesTable(db, ct),
      down: (db: AnyKysely) => dropResponsesTable(db),
    },
    '0003_spend_endpoint': {
      up: (db: AnyKysely) => addSpendEndpoint(db),
      down: (db: AnyKysely) => dropSpendEndpoint(db),
    },
    '0004_partial_owner_indexes': {
      up: (db: AnyKysely) => makeOwnerIndexesPartial(db, ct),
      down: (db: AnyKysely) => makeOwnerIndexesFull(db, ct),
    },
    '0005_partial_status_index': {
      up: (db: AnyKysely) => makeStatusIndexPartial(db, ct),
      down: (db: AnyKysely) => makeStatusIndexFull(db, ct),
    },
  };
  return { getMigrations: async () => migrations };
}

export interface MigrateResult {
  /** Names of the migrations this run applied (empty when already up to date). */
  applied: string[];
}

/**
 * Brings the schema up to date; safe to run on every start and from
 * `switchyard migrate`. Kysely's migration lock keeps two instances starting
 * at once from applying the same migration twice.
 */
export async function migrate(database: Database): Promise<MigrateResult> {
  const migrator = new Migrator({
    db: database.db as AnyKysely,
    provider: inCodeMigrations(database),
    // On PostgreSQL the migrator looks for its table across every schema
    // unless told which one: pin it to ours.
    ...(database.pgSchema ? { migrationTableSchema: database.pgSchema } : {}),
  });
  return unwrap(await migrator.migrateToLatest());
}

/** Undoes every migration (tests and `switchyard migrate --reset`). */
export async function migrateDownAll(database: Database): Promise<MigrateResult> {
  const migrator = new Migrator({
    db: database.db as AnyKysely,
    provider: inCodeMigrations(database),
    ...(database.pgSchema ? { migrationTableSchema: database.pgSchema } : {}),
  });
  return unwrap(await migrator.migrateTo(NO_MIGRATIONS));
}

function unwrap(result: MigrationResultSet): MigrateResult {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Database migration ${failed ?? ''} failed: ${cause}`, { cause: result.error });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
