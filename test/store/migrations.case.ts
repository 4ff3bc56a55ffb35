import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrate, migrateDownAll, type Database } from '../../src/store/index.js';
import { withTestDatabase } from './test-databases.js';
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
        let plan: string;
        if (kind === 'sqlite') {
          plan = JSON.stringify((await sql.raw(`explain query plan ${query}`).execute(database.db)).rows);
        } else if (kind === 'postgres') {
          // An empty table is cheapest to scan; forbid that so the planner says which index it can use.
          plan = await database.db.transaction().execute(async (tx) => {
            await sql`set local enable_seqscan = off`.execute(tx);
            return JSON.stringify((await sql.raw(`explain ${query}`).execute(tx)).rows);
          });
        } else {
          plan = JSON.stringify((await sql.raw(`explain ${query}`).execute(database.db)).rows);
        }
        expect(plan, `${kind} plan for ${column}`).toContain(index);
      }
    });

    it('migrates all the way down and up again (on a second fresh database of the same driver)', async () => {
      const other = await withTestDatabase(ctx.suite.testDatabase().kind);
      try {
        const db = other.database;
        expect((await migrateDownAll(db)).applied).toEqual(['0004_partial_owner_indexes', '0003_spend_endpoint', '0002_responses', '0001_initial']);
        const left = (await ownTables(db)).map((t) => t.name);
        expect(left.filter((t) => TABLES.includes(t))).toEqual([]);
        expect((await migrate(db)).applied).toEqual(['0001_initial', '0002_responses', '0003_spend_endpoint', '0004_partial_owner_indexes']);
      } finally {
        await other.dispose();
      }
    });
  });
}
