import { randomBytes } from 'node:crypto';
import { SETTING, type Store } from '../../store/index.js';

export interface BootstrapAdmin {
  userId: string;
  username: string;
  /** Shown once in the start banner; only its scrypt hash is stored. */
  password: string;
}

export const BOOTSTRAP_ADMIN_USERNAME = 'admin';

/**
 * First start: with no users at all, creates an `admin` user with a random
 * password and returns it so the banner can print it once. There is no
 * default password anywhere. The one-time settings flag makes this happen
 * once even when several instances start together on one database, and
 * never again after the operator deletes that user (the master key still
 * works).
 */
export async function bootstrapAdmin(store: Store, now: () => number = Date.now): Promise<BootstrapAdmin | undefined> {
  if ((await store.users.count()) > 0) return undefined;
  if (!(await store.settings.setIfAbsent(SETTING.adminBootstrapDone, new Date(now()).toISOString()))) return undefined;
  const password = randomBytes(18).toString('base64url');
  const user = await store.users.create({ username: BOOTSTRAP_ADMIN_USERNAME, role: 'admin', password, displayName: 'Administrator' });
  await store.audit.record({ actor: 'system', action: 'user.bootstrap', entityType: 'user', entityId: user.id, after: { username: user.username, role: user.role } });
  return { userId: user.id, username: user.username, password };
}
