import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../../spec/index.js';
import type { NewUser, User, UserPatch, UserRole } from '../../../store/index.js';
import type { AdminContext } from '../admin-deps.js';
import { notFound } from '../admin-errors.js';
import { audit } from '../audit.js';
import { checkDuration, durationFromNow, optBool, optObject, optString, queryInt, queryString, reqString } from '../input.js';
import { listAllKeys, ownUserId } from '../key-service.js';
import { addRoute, type AdminCall, type Json } from '../route-helper.js';
import { body, bool, freeObject, idParams, listOf, nullableStr, obj, pageQuery, query, str, usdField } from '../schemas.js';
import { optionalUsd } from '../usd.js';
import { userView } from '../views.js';

const TAGS = ['users'];
const ROLES: UserRole[] = ['admin', 'member', 'viewer'];
export const MIN_PASSWORD = 8;

const USER_FIELDS = {
  username: str('Sign-in name (unique)'),
  email: nullableStr('Email (unique, case-insensitive); also accepted at sign-in'),
  display_name: nullableStr(),
  role: { type: 'string', enum: ROLES, description: 'admin: everything; viewer: read-only; member: own keys and spend' },
  max_budget: usdField('Budget across all the user’s keys'),
  budget_duration: nullableStr('Budget period ("30d", "1mo")'),
  metadata: freeObject(),
  disabled: bool('A disabled user cannot sign in and their keys are refused'),
};
const userSchema = obj({ id: str(), ...USER_FIELDS, balance: { type: 'number', description: 'Prepaid credit (USD)' }, spend: { type: 'number' } });

export function parseRole(v: unknown, field = 'role'): UserRole | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !ROLES.includes(v as UserRole)) throw invalidRequest(`${field} must be one of ${ROLES.join(', ')}.`, field);
  return v as UserRole;
}

export function checkPassword(v: unknown, field = 'password'): string {
  if (typeof v !== 'string' || v.length < MIN_PASSWORD) throw invalidRequest(`${field} must be at least ${MIN_PASSWORD} characters.`, field);
  return v;
}

/** Body → user fields; `budget_duration` starts its first period now. */
export function parseUserFields(b: Json, now: number): UserPatch {
  const out: UserPatch = {};
  if (b['username'] !== undefined) out.username = reqString(b['username'], 'username');
  const email = optString(b['email'], 'email');
  if (email !== undefined) {
    if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidRequest('email is not an email address.', 'email');
    out.email = email;
  }
  const name = optString(b['display_name'], 'display_name');
  if (name !== undefined) out.displayName = name;
  const role = parseRole(b['role']);
  if (role) out.role = role;
  const max = optionalUsd(b['max_budget'], 'max_budget');
  if (max !== undefined) out.maxBudgetNanos = max;
  const period = optString(b['budget_duration'], 'budget_duration');
  if (period !== undefined) {
    out.budgetDuration = period === null ? null : checkDuration(period, 'budget_duration');
    out.budgetResetAt = period === null ? null : durationFromNow(period, 'budget_duration', now);
  }
  const metadata = optObject(b['metadata'], 'metadata');
  if (metadata) out.metadata = metadata;
  const disabled = optBool(b['disabled'], 'disabled');
  if (disabled !== undefined) out.disabled = disabled;
  return out;
}

export async function findUser(call: AdminCall, id: string): Promise<User> {
  if (call.ownOnly && id !== ownUserId(call)) throw notFound('User', id);
  const user = await call.ctx.accounts.store.users.get(id);
  if (!user) throw notFound('User', id);
  return user;
}

export async function createUser(call: AdminCall, input: NewUser): Promise<User> {
  const user = await call.ctx.accounts.store.users.create(input);
  await call.ctx.accounts.directory.refreshUser(user.id);
  await audit(call, 'user.create', 'user', user.id, undefined, userView(user));
  return user;
}

export async function updateUser(call: AdminCall, user: User, patch: UserPatch, action = 'user.update'): Promise<User> {
  const updated = await call.ctx.accounts.store.users.update(user.id, patch);
  if (!updated) throw notFound('User', user.id);
  await call.ctx.accounts.directory.refreshUser(user.id);
  if (updated.disabled || updated.role !== user.role) call.ctx.sessions.revokeUser(user.id);
  await audit(call, action, 'user', user.id, userView(user), userView(updated));
  return updated;
}

/** Deletes the user; their keys go with them (cascade), so the directory forgets those too. */
export async function deleteUser(call: AdminCall, user: User): Promise<void> {
  const keys = await listAllKeys(call, { userId: user.id });
  await call.ctx.accounts.store.users.delete(user.id);
  for (const k of keys) await call.ctx.accounts.directory.refreshKey(k.id);
  await call.ctx.accounts.directory.refreshUser(user.id);
  call.ctx.sessions.revokeUser(user.id);
  await audit(call, 'user.delete', 'user', user.id, userView(user));
}

export function registerUserRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/users',
    summary: 'List users',
    tags: TAGS,
    querystring: query({ ...pageQuery, role: str(), search: str('Substring of username, email or display name') }),
    response: { 200: listOf(userSchema) },
    async handler(call) {
      const role = parseRole(queryString(call.query['role']));
      const search = queryString(call.query['search']);
      const users = await call.ctx.accounts.store.users.list({
        limit: queryInt(call.query['limit'], 'limit', 100),
        offset: queryInt(call.query['offset'], 'offset', 0, Number.MAX_SAFE_INTEGER),
        ...(role ? { role } : {}),
        ...(search ? { search } : {}),
      });
      return { data: users.map(userView) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/users',
    summary: 'Create a user',
    tags: TAGS,
    body: body({ ...USER_FIELDS, password: str(`At least ${MIN_PASSWORD} characters; stored as a scrypt hash`) }, ['username']),
    status: 201,
    response: { 201: userSchema },
    async handler(call) {
      const fields = parseUserFields(call.body, call.ctx.now());
      const password = call.body['password'] === undefined ? undefined : checkPassword(call.body['password']);
      return userView(await createUser(call, { ...fields, username: fields.username!, ...(password ? { password } : {}) }));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/users/:id',
    summary: 'One user (members: themselves)',
    tags: TAGS,
    params: idParams,
    response: { 200: userSchema },
    async handler(call) {
      const user = await findUser(call, call.params['id']!);
      const teams = await call.ctx.accounts.store.teams.teamsOfUser(user.id);
      return { ...userView(user), teams: teams.map((t) => ({ id: t.id, name: t.name })) };
    },
  });

  addRoute(app, ctx, {
    method: 'PATCH',
    url: '/admin/users/:id',
    summary: 'Change a user (role, budget, email …)',
    tags: TAGS,
    params: idParams,
    body: body(USER_FIELDS),
    response: { 200: userSchema },
    async handler(call) {
      const user = await findUser(call, call.params['id']!);
      return userView(await updateUser(call, user, parseUserFields(call.body, call.ctx.now())));
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/admin/users/:id',
    summary: 'Delete a user and their keys',
    tags: TAGS,
    params: idParams,
    async handler(call) {
      const user = await findUser(call, call.params['id']!);
      await deleteUser(call, user);
      return { deleted: true, id: user.id };
    },
  });

  for (const disabled of [true, false]) {
    addRoute(app, ctx, {
      method: 'POST',
      url: `/admin/users/:id/${disabled ? 'disable' : 'enable'}`,
      summary: disabled ? 'Disable a user: signs them out and refuses their keys' : 'Enable a user',
      tags: TAGS,
      params: idParams,
      response: { 200: userSchema },
      async handler(call) {
        const user = await findUser(call, call.params['id']!);
        return userView(await updateUser(call, user, { disabled }, disabled ? 'user.disable' : 'user.enable'));
      },
    });
  }

  addRoute(app, ctx, {
    method: 'PUT',
    url: '/admin/users/:id/password',
    summary: 'Set a password (members: their own, giving the current one); signs the user out everywhere',
    tags: TAGS,
    params: idParams,
    body: body({ password: str(), current_password: str('Required when changing your own password as a member') }, ['password']),
    async handler(call) {
      const user = await findUser(call, call.params['id']!);
      const password = checkPassword(call.body['password']);
      if (call.ownOnly) {
        const current = call.body['current_password'];
        if (typeof current !== 'string' || !(await call.ctx.accounts.store.users.verifyLogin(user.username, current))) {
          throw invalidRequest('current_password is wrong.', 'current_password');
        }
      }
      await call.ctx.accounts.store.users.setPassword(user.id, password);
      call.ctx.sessions.revokeUser(user.id);
      await audit(call, 'user.set_password', 'user', user.id, undefined, { changed: 'password' });
      return { ok: true };
    },
  });
}
