import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/index.js';
import type { StoreCaseContext } from './store-case-context.js';

const TABLES = [
  'users', 'teams', 'team_members', 'virtual_keys', 'channels', 'channel_keys', 'credit_transactions',
  'redemption_codes', 'redemption_uses', 'spend_logs', 'spend_daily', 'audit_log', 'price_overrides', 'settings',
];

export function migrationCases(ctx: StoreCaseContext): void {
  describe('migrations', () => {
    it('created every table and index, and running again (even twice at once) is a no-op', async () => {
      const database = ctx.suite.database();
      const tables = (await database.db.introspection.getTables()).map((t) => t.name);
      for (const t of TABLES) expect(tables).toContain(t);
      const again = await Promise.all([migrate(database), migrate(database)]);
      expect(again.map((r) => r.applied)).toEqual([[], []]);
      const logs = (await database.db.introspection.getTables()).find((t) => t.name === 'spend_logs');
      expect(logs?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['request_id', 'cost_nanos', 'ttft_ms', 'cache_hit', 'fallbacks']));
    });
  });
}
