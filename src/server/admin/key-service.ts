import { invalidRequest } from '../../spec/index.js';
import { hashSecret, type NewVirtualKey, type VirtualKey, type VirtualKeyPatch } from '../../store/index.js';
import { audit, actorOf } from './audit.js';
import { forbidden, notFound } from './admin-errors.js';
import type { AdminCall } from './route-helper.js';
import { keyView } from './views.js';

/**
 * Key operations shared by the native routes and the LiteLLM ones, so both
 * apply the same ownership rules, refresh the in-memory directory the same
 * way (auth sees a change at once) and write the same audit entries.
 */

/** The caller's own user id; a 400 for credentials that belong to no user (the master key, an unowned key). */
export function ownUserId(call: AdminCall): string {
  const id = call.identity.userId;
  if (!id) throw invalidRequest('This credential belongs to no user, so it has nothing of its own here. Sign in as a user or use a key that has an owner.');
  return id;
}

/** A member's own key: one they own, or the very key they are calling with. */
function isOwn(call: AdminCall, key: VirtualKey): boolean {
  const me = call.identity;
  return key.id === me.keyId || (me.userId !== undefined && key.userId === me.userId);
}

export async function findKey(call: AdminCall, id: string): Promise<VirtualKey> {
  const key = await call.ctx.accounts.store.keys.get(id);
  if (!key || (call.ownOnly && !isOwn(call, key))) throw notFound('Key', id);
  return key;
}

/** A key by its secret or by LiteLLM's `token` (the SHA-256 hex of the secret, which is also our key hash). */
export async function findKeyBySecretOrHash(call: AdminCall, secretOrHash: string): Promise<VirtualKey> {
  const hash = /^[0-9a-f]{64}$/.test(secretOrHash) ? secretOrHash : hashSecret(secretOrHash);
  const row = await call.ctx.accounts.store.database.db.selectFrom('virtual_keys').select('id').where('key_hash', '=', hash).executeTakeFirst();
  if (!row) throw notFound('Key', secretOrHash.length > 12 ? `${secretOrHash.slice(0, 6)}…` : secretOrHash);
  return findKey(call, row.id);
}

/** What a member may set on their own keys: their own user, their own teams, within their own budget. */
async function checkMemberKey(call: AdminCall, input: VirtualKeyPatch): Promise<void> {
  if (!call.ownOnly) return;
  const me = ownUserId(call);
  if (input.userId !== undefined && input.userId !== me) throw forbidden('Members may create keys only for themselves.');
  if (input.teamId) {
    const teams = await call.ctx.accounts.store.teams.teamsOfUser(me);
    if (!teams.some((t) => t.id === input.teamId)) throw forbidden(`You are not a member of team '${input.teamId}'.`);
  }
  const user = call.ctx.accounts.directory.user(me);
  if (user?.maxBudgetNanos != null && (input.maxBudgetNanos == null || input.maxBudgetNanos > user.maxBudgetNanos)) {
    throw forbidden(`Your keys need a max_budget of at most your own budget (${user.maxBudgetNanos / 1e9} USD).`);
  }
  if (input.metadata?.['allow_routing_override'] === true) throw forbidden('Only admins may give a key routing overrides.');
}

export async function createKey(call: AdminCall, input: NewVirtualKey): Promise<{ key: VirtualKey; secret: string }> {
  if (call.ownOnly) input = { ...input, userId: input.userId ?? ownUserId(call) };
  await checkMemberKey(call, input);
  const created = await call.ctx.accounts.store.keys.create({ ...input, createdBy: actorOf(call.identity) });
  await call.ctx.accounts.directory.refreshKey(created.key.id);
  await audit(call, 'key.create', 'key', created.key.id, undefined, keyView(created.key));
  return created;
}

export async function updateKey(call: AdminCall, key: VirtualKey, patch: VirtualKeyPatch, action = 'key.update'): Promise<VirtualKey> {
  await checkMemberKey(call, patch);
  const updated = await call.ctx.accounts.store.keys.update(key.id, patch);
  if (!updated) throw notFound('Key', key.id);
  await call.ctx.accounts.directory.refreshKey(key.id);
  await audit(call, action, 'key', key.id, keyView(key), keyView(updated));
  return updated;
}

export async function deleteKey(call: AdminCall, key: VirtualKey): Promise<void> {
  await call.ctx.accounts.store.keys.delete(key.id);
  await call.ctx.accounts.directory.refreshKey(key.id);
  await audit(call, 'key.delete', 'key', key.id, keyView(key));
}

/** New secret returned once; the old one stops working before this returns. */
export async function regenerateKey(call: AdminCall, key: VirtualKey, secret?: string): Promise<{ key: VirtualKey; secret: string }> {
  const next = await call.ctx.accounts.store.keys.regenerate(key.id, ...(secret !== undefined ? [secret] : []));
  if (next === undefined) throw notFound('Key', key.id);
  const updated = await call.ctx.accounts.directory.refreshKey(key.id);
  if (!updated) throw notFound('Key', key.id);
  await audit(call, 'key.regenerate', 'key', key.id, keyView(key), keyView(updated));
  return { key: updated, secret: next };
}

/** Every key matching a filter, page by page (the store caps one page at 1000). */
export async function listAllKeys(call: AdminCall, filter: { userId?: string; teamId?: string; alias?: string }): Promise<VirtualKey[]> {
  const out: VirtualKey[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call.ctx.accounts.store.keys.list({ ...filter, limit: 1000, offset });
    out.push(...page);
    if (page.length < 1000) return out;
  }
}
