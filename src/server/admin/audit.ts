import type { Identity } from '../../spec/index.js';
import type { AdminCall } from './route-helper.js';

/** Who did it, as the audit log names them: a user id, 'master', or the key used. */
export function actorOf(identity: Identity): string {
  if (identity.userId) return identity.userId;
  if (identity.kind === 'master') return 'master';
  return identity.keyId ? `key:${identity.keyId}` : 'unknown';
}

/**
 * Records one admin write. Views passed here never hold secrets, and the
 * store redacts secret-looking fields again, so a secret cannot reach the log
 * even by mistake.
 */
export async function audit(call: AdminCall, action: string, entityType: string, entityId: string | null, before?: unknown, after?: unknown): Promise<void> {
  await call.ctx.accounts.store.audit.record({
    actor: actorOf(call.identity),
    action,
    entityType,
    entityId,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  });
}
