import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { invalidRequest } from '../../../spec/index.js';
import type { User, UserPatch, UserRole } from '../../../store/index.js';
import type { AdminContext } from '../admin-deps.js';
import { notFound } from '../admin-errors.js';
import { actorOf } from '../audit.js';
import { optString, optStringList, queryString } from '../input.js';
import { createKey, listAllKeys, ownUserId } from '../key-service.js';
import { addRoute, type AdminCall, type Json } from '../route-helper.js';
import { body, bool, freeObject, nullableInt, nullableStr, str, strList, usdField } from '../schemas.js';
import { addMember, createTeam, findTeam, parseTeamFields, parseTeamRole, updateTeam } from '../routes/teams-routes.js';
import { checkPassword, createUser, deleteUser, findUser, parseUserFields, updateUser } from '../routes/users-routes.js';
import { refuseUnsupported, tolerated } from './litellm-input.js';
import { litellmKeyInfo, litellmTeam, litellmUser } from './litellm-views.js';

const TAGS = ['litellm'];

const LITELLM_ROLES: Record<string, UserRole> = {
  proxy_admin: 'admin',
  proxy_admin_viewer: 'viewer',
  internal_user: 'member',
  internal_user_viewer: 'member',
  customer: 'member',
  admin: 'admin',
  viewer: 'viewer',
  member: 'member',
};

function role(v: unknown): UserRole | undefined {
  if (v === undefined || v === null) return undefined;
  const r = typeof v === 'string' ? LITELLM_ROLES[v] : undefined;
  if (!r) throw invalidRequest(`user_role must be one of ${Object.keys(LITELLM_ROLES).join(', ')}.`, 'user_role');
  return r;
}

const USER_FIELDS = {
  user_id: str(),
  user_email: nullableStr(),
  user_alias: nullableStr(),
  user_role: { type: 'string', enum: Object.keys(LITELLM_ROLES) },
  username: str('Switchyard sign-in name (default: the email, else the user id)'),
  password: str(),
  max_budget: usdField('User budget'),
  budget_duration: nullableStr(),
  metadata: freeObject(),
  models: strList('Models for the key created with the user'),
  teams: strList('Teams to join'),
  auto_create_key: bool('Create a key for the user (default true, as LiteLLM)'),
  key_alias: nullableStr(),
};

/** LiteLLM user fields → ours (the user_id/teams/models/key fields are handled by the route). */
function userFields(b: Json, now: number): UserPatch {
  const patch = parseUserFields({ email: b['user_email'], display_name: b['user_alias'], max_budget: b['max_budget'], budget_duration: b['budget_duration'], metadata: b['metadata'], ...(b['username'] !== undefined ? { username: b['username'] } : {}) }, now);
  const r = role(b['user_role']);
  if (r) patch.role = r;
  return patch;
}

async function userByRef(call: AdminCall, b: Json): Promise<User> {
  const id = optString(b['user_id'], 'user_id');
  if (id) return findUser(call, id);
  const email = optString(b['user_email'], 'user_email');
  if (email) {
    const u = await call.ctx.accounts.store.users.getByEmail(email);
    if (!u) throw notFound('User', email);
    return findUser(call, u.id);
  }
  throw invalidRequest('Give user_id or user_email.', 'user_id');
}

export function registerLiteLLMUserTeamRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'POST',
    url: '/user/new',
    summary: 'LiteLLM: create a user (and, unless auto_create_key is false, a key for them)',
    tags: TAGS,
    body: body({ ...USER_FIELDS, ...tolerated }),
    async handler(call) {
      const b = call.body;
      refuseUnsupported(b);
      const fields = userFields(b, call.ctx.now());
      const id = optString(b['user_id'], 'user_id') ?? undefined;
      const username = fields.username ?? fields.email ?? id ?? `user-${randomBytes(4).toString('hex')}`;
      const password = b['password'] === undefined ? undefined : checkPassword(b['password']);
      const teams = optStringList(b['teams'], 'teams') ?? [];
      for (const t of teams) await findTeam(call, t);
      const user = await createUser(call, { ...fields, username, ...(id ? { id } : {}), ...(password ? { password } : {}) });
      for (const t of teams) await addMember(call, await findTeam(call, t), user.id, 'member');
      let key: Json = { key: null };
      if (b['auto_create_key'] !== false) {
        const models = optStringList(b['models'], 'models') ?? [];
        const alias = optString(b['key_alias'], 'key_alias');
        const created = await createKey(call, { userId: user.id, allowedModels: models, ...(alias !== undefined ? { alias } : {}), createdBy: actorOf(call.identity) });
        key = { key: created.secret, token: created.key.keyHash, key_name: created.key.keyPrefix, expires: null };
      }
      return { ...litellmUser(user), ...key, teams };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/user/info',
    summary: 'LiteLLM: a user with their keys and teams (members: themselves)',
    tags: TAGS,
    async handler(call) {
      const id = queryString(call.query['user_id']) ?? ownUserId(call);
      const user = await findUser(call, id);
      const keys = await listAllKeys(call, { userId: user.id });
      const teams = await call.ctx.accounts.store.teams.teamsOfUser(user.id);
      return { user_id: user.id, user_info: litellmUser(user), keys: keys.map((k) => ({ token: k.keyHash, ...litellmKeyInfo(k) })), teams: teams.map(litellmTeam) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/user/update',
    summary: 'LiteLLM: change a user',
    tags: TAGS,
    body: body({ ...USER_FIELDS, ...tolerated }),
    async handler(call) {
      refuseUnsupported(call.body);
      const user = await userByRef(call, call.body);
      const { user_id: _id, ...rest } = call.body;
      const updated = await updateUser(call, user, userFields(rest, call.ctx.now()));
      if (call.body['password'] !== undefined) {
        await call.ctx.accounts.store.users.setPassword(user.id, checkPassword(call.body['password']));
        call.ctx.sessions.revokeUser(user.id);
      }
      return { user_id: updated.id, data: litellmUser(updated) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/user/delete',
    summary: 'LiteLLM: delete users and their keys',
    tags: TAGS,
    body: body({ user_ids: strList() }, ['user_ids']),
    async handler(call) {
      const ids = optStringList(call.body['user_ids'], 'user_ids') ?? [];
      const users = await Promise.all(ids.map((id) => findUser(call, id)));
      for (const u of users) await deleteUser(call, u);
      return { deleted_users: users.map((u) => u.id) };
    },
  });

  const TEAM_FIELDS = {
    team_id: str(),
    team_alias: str(),
    models: strList(),
    max_budget: usdField('Team budget'),
    budget_duration: nullableStr(),
    tpm_limit: nullableInt(),
    rpm_limit: nullableInt(),
    metadata: freeObject(),
    blocked: bool(),
    price_multiplier: { type: ['number', 'string'] },
    members_with_roles: { type: 'array', items: freeObject() },
  };
  const teamFields = (b: Json, now: number) =>
    parseTeamFields({ ...(b['team_alias'] !== undefined ? { name: b['team_alias'] } : {}), models: b['models'], max_budget: b['max_budget'], budget_duration: b['budget_duration'], tpm_limit: b['tpm_limit'], rpm_limit: b['rpm_limit'], metadata: b['metadata'], disabled: b['blocked'], price_multiplier: b['price_multiplier'] }, now);

  async function addMembers(call: AdminCall, teamId: string, members: unknown): Promise<Json[]> {
    const list = members === undefined || members === null ? [] : Array.isArray(members) ? members : [members];
    const team = await findTeam(call, teamId);
    const out: Json[] = [];
    for (const [i, m] of list.entries()) {
      if (!m || typeof m !== 'object') throw invalidRequest(`member[${i}] must be an object with user_id or user_email.`, `member[${i}]`);
      const ref = m as Json;
      const user = await userByRef(call, { user_id: ref['user_id'], user_email: ref['user_email'] });
      out.push(await addMember(call, team, user.id, parseTeamRole(ref['role'], `member[${i}].role`)));
    }
    return out;
  }

  async function teamInfo(call: AdminCall, id: string): Promise<Json> {
    const team = await findTeam(call, id);
    const members = await call.ctx.accounts.store.teams.members(team.id);
    return { ...litellmTeam(team), members_with_roles: members.map((m) => ({ user_id: m.userId, role: m.role === 'admin' ? 'admin' : 'user' })) };
  }

  addRoute(app, ctx, {
    method: 'POST',
    url: '/team/new',
    summary: 'LiteLLM: create a team',
    tags: TAGS,
    body: body({ ...TEAM_FIELDS, ...tolerated }),
    async handler(call) {
      refuseUnsupported(call.body);
      const fields = teamFields(call.body, call.ctx.now());
      const id = optString(call.body['team_id'], 'team_id') ?? undefined;
      const name = fields.name ?? id ?? `team-${randomBytes(4).toString('hex')}`;
      const team = await createTeam(call, { ...fields, name, ...(id ? { id } : {}) });
      await addMembers(call, team.id, call.body['members_with_roles']);
      return teamInfo(call, team.id);
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/team/info',
    summary: 'LiteLLM: a team with its keys and members',
    tags: TAGS,
    async handler(call) {
      const id = queryString(call.query['team_id']);
      if (!id) throw invalidRequest('team_id is required.', 'team_id');
      const info = await teamInfo(call, id);
      const keys = await listAllKeys(call, { teamId: id });
      return { team_id: id, team_info: info, keys: keys.map((k) => ({ token: k.keyHash, ...litellmKeyInfo(k) })), team_memberships: info['members_with_roles'] };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/team/update',
    summary: 'LiteLLM: change a team',
    tags: TAGS,
    body: body({ ...TEAM_FIELDS, ...tolerated }, ['team_id']),
    async handler(call) {
      refuseUnsupported(call.body);
      if (call.body['members_with_roles'] !== undefined) throw invalidRequest('Change members with /team/member_add.', 'members_with_roles');
      const team = await findTeam(call, String(call.body['team_id']));
      await updateTeam(call, team, teamFields(call.body, call.ctx.now()));
      return { team_id: team.id, data: await teamInfo(call, team.id) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/team/member_add',
    summary: 'LiteLLM: add members ({user_id | user_email, role}) to a team',
    tags: TAGS,
    body: body({ team_id: str(), member: { type: ['object', 'array'] }, max_budget_in_team: { type: ['number', 'null'] } }, ['team_id', 'member']),
    async handler(call) {
      if (call.body['max_budget_in_team'] !== undefined && call.body['max_budget_in_team'] !== null) {
        throw invalidRequest('max_budget_in_team is not supported; give the member’s keys a max_budget instead.', 'max_budget_in_team');
      }
      const teamId = String(call.body['team_id']);
      const added = await addMembers(call, teamId, call.body['member']);
      return { ...(await teamInfo(call, teamId)), updated_users: added };
    },
  });
}
