import { isUniqueViolation } from '../store-errors.js';
import type { RepositoryContext } from './repository-context.js';

/** Well-known setting keys, so callers don't scatter string literals. */
export const SETTING = {
  masterKeyHash: 'master_key_hash',
  adminBootstrapDone: 'admin_bootstrap_done',
} as const;

/** Small key/value settings; values are strings (JSON-encode anything richer). */
export class SettingsRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  async get(key: string): Promise<string | undefined> {
    const r = await this.ctx.database.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async set(key: string, value: string): Promise<void> {
    const db = this.ctx.database.db;
    const now = this.ctx.now();
    const r = await db.updateTable('settings').set({ value, updated_at: now }).where('key', '=', key).executeTakeFirst();
    if (r.numUpdatedRows > 0n) return;
    try {
      await db.insertInto('settings').values({ key, value, updated_at: now }).execute();
    } catch (e) {
      // Someone inserted it between our update and insert: theirs is as new as ours; write ours over it.
      if (!isUniqueViolation(e)) throw e;
      await db.updateTable('settings').set({ value, updated_at: now }).where('key', '=', key).execute();
    }
  }

  /** Sets the value only if the key is absent; true when this call set it (e.g. one-time admin bootstrap). */
  async setIfAbsent(key: string, value: string): Promise<boolean> {
    try {
      await this.ctx.database.db.insertInto('settings').values({ key, value, updated_at: this.ctx.now() }).execute();
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async delete(key: string): Promise<boolean> {
    const r = await this.ctx.database.db.deleteFrom('settings').where('key', '=', key).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
