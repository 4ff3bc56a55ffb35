import { CompiledQuery, sql, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createStore, migrate, migrateDownAll, type Database, type Store } from '../../src/store/index.js';
import { makeStatusIndexFull, makeStatusIndexPartial } from '../../src/store/migrations/0005-partial-status-index.js';
import { columnTypes } from '../../src/store/migrations/column-types.js';
import { withTestDatabase, type TestDatabaseKind } from './test-databases.js';
import type { StoreCaseContext } from './store-case-context.js';

const TABLES = [
  'users', 'teams', 'team_members', 'virtual_keys', 'channels', 'channel_keys', 'credit_transactions',
  'redemption_codes', 'redemption_uses', 'spend_logs', 'spend_daily', 'audit_log', 'price_overrides', 'settings', 'responses',
];

/** Tables of this database only: PostgreSQL introspection also lists other tests' schemas. */
async function ownTables(database: Database) {
  const all = await database.db.introspection.getTables();
  return database.pgSchema ? all.filter((t) => t.schema === database.pgSchema) : all;
}

/** The planner's account of `query` (its text and bound values), as JSON. */
async function planOf(database: Database, kind: TestDatabaseKind, query: CompiledQuery): Promise<string> {
  const explain = (prefix: string) => CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]);
  if (kind === 'sqlite') return JSON.stringify((await database.db.executeQuery(explain('explain query plan'))).rows);
  if (kind === 'postgres') {
    // An empty table is cheapest to scan; forbid that so the planner says which index it can use.
    return database.db.transaction().execute(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      return JSON.stringify((await tx.executeQuery(explain('explain'))).rows);
    });
  }
  return JSON.stringify((await database.db.executeQuery(explain('explain'))).rows);
}

/** The queries `run` sends through a store over `database`, compiled as they went out. */
async function queriesOf(database: Database, run: (store: Store) => Promise<unknown>): Promise<CompiledQuery[]> {
  const sent: { node: RootOperationNode; queryId: QueryId }[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (args) => (sent.push(args), args.node),
    transformResult: async (args) => args.result,
  };
  await run(createStore({ ...database, db: database.db.withPlugin(capture) }));
  return sent.map(({ node, queryId }) => database.db.getExecutor().compileQuery(node, queryId));
}

/** How spend_logs_status_idx is defined: its CREATE text, or on MySQL (no partial indexes) just its name. */
async function statusIndexDefinition(database: Database, kind: TestDatabaseKind): Promise<string | undefined> {
  if (kind === 'sqlite') {
    const r = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and name = 'spend_logs_status_idx'`.execute(database.db);
    return r.rows[0]?.sql;
  }
  if (kind === 'postgres') {
    const r = await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = ${database.pgSchema ?? 'public'} and indexname = 'spend_logs_status_idx'`.execute(database.db);
    return r.rows[0]?.indexdef;
  }
  const r = await sql<{ name: string }>`select index_name as name from information_schema.statistics where table_schema = database() and index_name = 'spend_logs_status_idx'`.execute(database.db);
  return r.rows[0]?.name;
}

export function migrationCases(ctx: StoreCaseContext): void {
  describe('migrations', () => {
    it('created every table and index, and running again (even twice at once) is a no-op', async () => {
      const database = ctx.suite.database();
      const tables = (await ownTables(database)).map((t) => t.name);
      for (const t of TABLES) expect(tables).toContain(t);
      const again = await Promise.all([migrate(database), migrate(database)]);
      expect(again.map((r) => r.applied)).toEqual([[], []]);
      const logs = (await ownTables(database)).find((t) => t.name === 'spend_logs');
      expect(logs?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['request_id', 'cost_nanos', 'ttft_ms', 'cache_hit', 'fallbacks', 'endpoint']));
    });

    it('serves owner filters of the spend log from the (partial, where the database has them) owner indexes', async () => {
      const database = ctx.suite.database();
      const kind = ctx.suite.testDatabase().kind;
      for (const [column, index] of [['key_id', 'spend_logs_key_created_idx'], ['user_id', 'spend_logs_user_created_idx'], ['team_id', 'spend_logs_team_created_idx']] as const) {
        const query = `select * from spend_logs where ${column} = 'k_1' and created_at >= 0 order by created_at desc, id desc limit 51`;
        expect(await planOf(database, kind, CompiledQuery.raw(query)), `${kind} plan for ${column}`).toContain(index);
      }
    });

    it('serves a listing of failed requests from the status index, partial on status <> success where the database has them', async () => {
      const database = ctx.suite.database();
      const kind = ctx.suite.testDatabase().kind;
      // MySQL keeps its full status index, and its planner's choice on an empty table says nothing about ours.
      if (kind === 'mysql') return;
      const [listing, ...rest] = await queriesOf(database, (store) => store.reports.listSpendLogs({ status: 'error', from: 0 }));
      expect(rest).toEqual([]);
      expect(await planOf(database, kind, listing!), `${kind} plan for status = 'error'`).toContain('spend_logs_status_idx');
    });

    it('migrates all the way down and up again (on a second fresh database of the same driver)', async () => {
      const other = await withTestDatabase(ctx.suite.testDatabase().kind);
      try {
        const db = other.database;
        const kind = other.kind;
        const partial = await statusIndexDefinition(db, kind);
        // 0005 down, then up again: the full status index comes back, then the partial one.
        await makeStatusIndexFull(db.db, columnTypes(db.dialect));
        const full = await statusIndexDefinition(db, kind);
        await makeStatusIndexPartial(db.db, columnTypes(db.dialect));
        expect(await statusIndexDefinition(db, kind)).toBe(partial);
        if (kind === 'mysql') {
          expect(full).toBe('spend_logs_status_idx');
          expect(partial).toBe('spend_logs_status_idx');
        } else {
          expect(full).toMatch(/spend_logs_status_idx/);
          expect(full).not.toMatch(/where/i);
          expect(partial).toMatch(/where \(?\(?"?status"?\)?(::text)? <> 'success'/i);
        }
        expect((await migrateDownAll(db)).applied).toEqual([
          '0005_partial_status_index', '0004_partial_owner_indexes', '0003_spend_endpoint', '0002_responses', '0001_initial',
        ]);
        const left = (await ownTables(db)).map((t) => t.name);
        expect(left.filter((t) => TABLES.includes(t))).toEqual([]);
        expect((await migrate(db)).applied).toEqual([
          '0001_initial', '0002_responses', '0003_spend_endpoint', '0004_partial_owner_indexes', '0005_partial_status_index',
        ]);
        expect(await statusIndexDefinition(db, kind)).toBe(partial);
      } finally {
        await other.dispose();
      }
    });
  });
}
