import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../../spec/index.js';
import type { NewTeam, Team, TeamPatch, TeamRole } from '../../../store/index.js';
import type { AdminContext } from '../admin-deps.js';
import { notFound } from '../admin-errors.js';
import { audit } from '../audit.js';
import { checkDuration, durationFromNow, optBool, optCount, optObject, optString, optStringList, queryInt, reqString } from '../input.js';
import { listAllKeys } from '../key-service.js';
import { addRoute, type AdminCall, type Json } from '../route-helper.js';
import { body, bool, freeObject, idParams, listOf, nullableInt, nullableStr, obj, pageQuery, query, str, strList, usdField } from '../schemas.js';
import { multiplierToPpm, optionalUsd } from '../usd.js';
import { memberView, teamView } from '../views.js';

const TAGS = ['teams'];
const TEAM_FIELDS = {
  name: str('Unique team name'),
  max_budget: usdField('Budget across all the team’s keys'),
  budget_duration: nullableStr('Budget period ("30d", "1mo")'),
  rpm_limit: nullableInt('Requests per minute (stored; enforced by the rate-limit layer)'),
  tpm_limit: nullableInt('Tokens per minute (stored; enforced by the rate-limit layer)'),
  models: strList('Models or access groups the team’s keys may use; empty = all'),
  price_multiplier: { type: ['number', 'string'], description: 'Prices × this for the team’s requests (One-API group ratio), up to 6 decimals, exact' },
  disabled: bool('A disabled team’s keys are refused'),
  metadata: freeObject(),
};
const teamSchema = obj({ id: str(), ...TEAM_FIELDS, spend: { type: 'number' } });
const memberParams = { type: 'object', properties: { id: { type: 'string' }, userId: { type: 'string' } }, required: ['id', 'userId'] };

export function parseTeamFields(b: Json, now: number): TeamPatch {
  const out: TeamPatch = {};
  if (b['name'] !== undefined) out.name = reqString(b['name'], 'name');
  const max = optionalUsd(b['max_budget'], 'max_budget');
  if (max !== undefined) out.maxBudgetNanos = max;
  const period = optString(b['budget_duration'], 'budget_duration');
  if (period !== undefined) {
    out.budgetDuration = period === null ? null : checkDuration(period, 'budget_duration');
    out.budgetResetAt = period === null ? null : durationFromNow(period, 'budget_duration', now);
  }
  const rpm = optCount(b['rpm_limit'], 'rpm_limit');
  if (rpm !== undefined) out.rpm = rpm;
  const tpm = optCount(b['tpm_limit'], 'tpm_limit');
  if (tpm !== undefined) out.tpm = tpm;
  const models = optStringList(b['models'], 'models');
  if (models !== undefined) out.allowedModels = models;
  if (b['price_multiplier'] !== undefined && b['price_multiplier'] !== null) out.priceMultiplierPpm = multiplierToPpm(b['price_multiplier'], 'price_multiplier');
  const disabled = optBool(b['disabled'], 'disabled');
  if (disabled !== undefined) out.disabled = disabled;
  const metadata = optObject(b['metadata'], 'metadata');
  if (metadata) out.metadata = metadata;
  return out;
}

export function parseTeamRole(v: unknown, field = 'role'): TeamRole {
  if (v === undefined || v === null) return 'member';
  // LiteLLM calls a plain member "user".
  if (v === 'user') return 'member';
  if (v !== 'admin' && v !== 'member') throw invalidRequest(`${field} must be admin or member.`, field);
  return v;
}

export async function findTeam(call: AdminCall, id: string): Promise<Team> {
  const team = await call.ctx.accounts.store.teams.get(id);
  if (!team) throw notFound('Team', id);
  return team;
}

export async function createTeam(call: AdminCall, input: NewTeam): Promise<Team> {
  const team = await call.ctx.accounts.store.teams.create(input);
  await call.ctx.accounts.directory.refreshTeam(team.id);
  await audit(call, 'team.create', 'team', team.id, undefined, teamView(team));
  return team;
}

export async function updateTeam(call: AdminCall, team: Team, patch: TeamPatch): Promise<Team> {
  const updated = await call.ctx.accounts.store.teams.update(team.id, patch);
  if (!updated) throw notFound('Team', team.id);
  await call.ctx.accounts.directory.refreshTeam(team.id);
  await audit(call, 'team.update', 'team', team.id, teamView(team), teamView(updated));
  return updated;
}

export async function addMember(call: AdminCall, team: Team, userId: string, role: TeamRole): Promise<Json> {
  if (!(await call.ctx.accounts.store.users.get(userId))) throw notFound('User', userId);
  const m = await call.ctx.accounts.store.teams.addMember(team.id, userId, role);
  await audit(call, 'team.member_add', 'team', team.id, undefined, memberView(m));
  return memberView(m);
}

export function registerTeamRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/teams',
    summary: 'List teams',
    tags: TAGS,
    querystring: query(pageQuery),
    response: { 200: listOf(teamSchema) },
    async handler(call) {
      const teams = await call.ctx.accounts.store.teams.list({ limit: queryInt(call.query['limit'], 'limit', 100), offset: queryInt(call.query['offset'], 'offset', 0, Number.MAX_SAFE_INTEGER) });
      return { data: teams.map(teamView) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/teams',
    summary: 'Create a team',
    tags: TAGS,
    body: body(TEAM_FIELDS, ['name']),
    status: 201,
    response: { 201: teamSchema },
    async handler(call) {
      const fields = parseTeamFields(call.body, call.ctx.now());
      return teamView(await createTeam(call, { ...fields, name: fields.name! }));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/teams/:id',
    summary: 'One team with its members',
    tags: TAGS,
    params: idParams,
    response: { 200: teamSchema },
    async handler(call) {
      const team = await findTeam(call, call.params['id']!);
      const members = await call.ctx.accounts.store.teams.members(team.id);
      return { ...teamView(team), members: members.map(memberView) };
    },
  });

  addRoute(app, ctx, {
    method: 'PATCH',
    url: '/admin/teams/:id',
    summary: 'Change a team’s budget, limits, models or price multiplier',
    tags: TAGS,
    params: idParams,
    body: body(TEAM_FIELDS),
    response: { 200: teamSchema },
    async handler(call) {
      const team = await findTeam(call, call.params['id']!);
      return teamView(await updateTeam(call, team, parseTeamFields(call.body, call.ctx.now())));
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/admin/teams/:id',
    summary: 'Delete a team, its memberships and its keys',
    tags: TAGS,
    params: idParams,
    async handler(call) {
      const team = await findTeam(call, call.params['id']!);
      const keys = await listAllKeys(call, { teamId: team.id });
      await call.ctx.accounts.store.teams.delete(team.id);
      for (const k of keys) await call.ctx.accounts.directory.refreshKey(k.id);
      await call.ctx.accounts.directory.refreshTeam(team.id);
      await audit(call, 'team.delete', 'team', team.id, teamView(team));
      return { deleted: true, id: team.id };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/teams/:id/members',
    summary: 'A team’s members',
    tags: TAGS,
    params: idParams,
    async handler(call) {
      const team = await findTeam(call, call.params['id']!);
      return { data: (await call.ctx.accounts.store.teams.members(team.id)).map(memberView) };
    },
  });

  addRoute(app, ctx, {
    method: 'PUT',
    url: '/admin/teams/:id/members/:userId',
    summary: 'Add a member, or change their team role',
    tags: TAGS,
    params: memberParams,
    body: body({ role: { type: 'string', enum: ['admin', 'member'] } }),
    async handler(call) {
      const team = await findTeam(call, call.params['id']!);
      return addMember(call, team, call.params['userId']!, parseTeamRole(call.body['role']));
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/admin/teams/:id/members/:userId',
    summary: 'Remove a member',
    tags: TAGS,
    params: memberParams,
    async handler(call) {
      const team = await findTeam(call, call.params['id']!);
      const userId = call.params['userId']!;
      if (!(await call.ctx.accounts.store.teams.removeMember(team.id, userId))) throw notFound('Team member', userId);
      await audit(call, 'team.member_remove', 'team', team.id, { user_id: userId });
      return { deleted: true, team_id: team.id, user_id: userId };
    },
  });
}
