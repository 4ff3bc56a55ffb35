import type { Selectable } from 'kysely';
import { newId } from '../ids.js';
import { defined, fromBool, fromJson, num, numOrNull, toBool, toJson } from '../row-codec.js';
import type { TeamsTable } from '../schema.js';
import { guard } from '../store-errors.js';
import { pageOf, type Page, type RepositoryContext } from './repository-context.js';

export const PPM = 1_000_000;

export interface Team {
  id: string;
  name: string;
  maxBudgetNanos: number | null;
  spendNanos: number;
  budgetDuration: string | null;
  budgetResetAt: number | null;
  rpm: number | null;
  tpm: number | null;
  /** Empty = every model. */
  allowedModels: string[];
  /** One-API group ratio, parts per million: 1_500_000 = prices × 1.5. */
  priceMultiplierPpm: number;
  disabled: boolean;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface NewTeam {
  id?: string;
  name: string;
  maxBudgetNanos?: number | null;
  budgetDuration?: string | null;
  budgetResetAt?: number | null;
  rpm?: number | null;
  tpm?: number | null;
  allowedModels?: string[];
  priceMultiplierPpm?: number;
  disabled?: boolean;
  metadata?: Record<string, unknown>;
}

export type TeamPatch = Partial<Omit<NewTeam, 'id'>>;
export type TeamRole = 'admin' | 'member';

export interface TeamMember {
  teamId: string;
  userId: string;
  role: TeamRole;
  createdAt: number;
}

function toTeam(r: Selectable<TeamsTable>): Team {
  return {
    id: r.id,
    name: r.name,
    maxBudgetNanos: numOrNull(r.max_budget_nanos),
    spendNanos: num(r.spend_nanos),
    budgetDuration: r.budget_duration,
    budgetResetAt: numOrNull(r.budget_reset_at),
    rpm: numOrNull(r.rpm),
    tpm: numOrNull(r.tpm),
    allowedModels: fromJson(r.allowed_models_json, []),
    priceMultiplierPpm: num(r.price_multiplier_ppm),
    disabled: fromBool(r.disabled),
    metadata: fromJson(r.metadata_json, {}),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function checkMultiplier(ppm: number | undefined): void {
  if (ppm !== undefined && (!Number.isSafeInteger(ppm) || ppm < 0)) {
    throw new RangeError(`priceMultiplierPpm must be a non-negative integer, got ${ppm}`);
  }
}

export class TeamsRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  private get db() {
    return this.ctx.database.db;
  }

  async create(input: NewTeam): Promise<Team> {
    checkMultiplier(input.priceMultiplierPpm);
    const now = this.ctx.now();
    const id = input.id ?? newId('team');
    await guard('team', () =>
      this.db
        .insertInto('teams')
        .values({
          id,
          name: input.name,
          max_budget_nanos: input.maxBudgetNanos ?? null,
          spend_nanos: 0,
          budget_duration: input.budgetDuration ?? null,
          budget_reset_at: input.budgetResetAt ?? null,
          rpm: input.rpm ?? null,
          tpm: input.tpm ?? null,
          allowed_models_json: toJson(input.allowedModels ?? []),
          price_multiplier_ppm: input.priceMultiplierPpm ?? PPM,
          disabled: toBool(input.disabled),
          metadata_json: toJson(input.metadata ?? {}),
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Team | undefined> {
    const r = await this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toTeam(r);
  }

  async getByName(name: string): Promise<Team | undefined> {
    const r = await this.db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toTeam(r);
  }

  async list(page?: Page): Promise<Team[]> {
    const { limit, offset } = pageOf(page);
    const rows = await this.db
      .selectFrom('teams')
      .selectAll()
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(toTeam);
  }

  async update(id: string, patch: TeamPatch): Promise<Team | undefined> {
    checkMultiplier(patch.priceMultiplierPpm);
    const values = defined({
      name: patch.name,
      max_budget_nanos: patch.maxBudgetNanos,
      budget_duration: patch.budgetDuration,
      budget_reset_at: patch.budgetResetAt,
      rpm: patch.rpm,
      tpm: patch.tpm,
      allowed_models_json: patch.allowedModels === undefined ? undefined : toJson(patch.allowedModels),
      price_multiplier_ppm: patch.priceMultiplierPpm,
      disabled: patch.disabled === undefined ? undefined : toBool(patch.disabled),
      metadata_json: patch.metadata === undefined ? undefined : toJson(patch.metadata),
    });
    await guard('team', () =>
      this.db.updateTable('teams').set({ ...values, updated_at: this.ctx.now() }).where('id', '=', id).execute(),
    );
    return this.get(id);
  }

  /** Deletes the team, its memberships and (by cascade) its keys. */
  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('teams').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Adds the member, or changes the role of an existing one. */
  async addMember(teamId: string, userId: string, role: TeamRole = 'member'): Promise<TeamMember> {
    const now = this.ctx.now();
    const existing = await this.db
      .updateTable('team_members')
      .set({ role })
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing.numUpdatedRows === 0n) {
      await guard('team member', () =>
        this.db.insertInto('team_members').values({ team_id: teamId, user_id: userId, role, created_at: now }).execute(),
      );
    }
    const members = await this.members(teamId);
    return members.find((m) => m.userId === userId)!;
  }

  async removeMember(teamId: string, userId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('team_members')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  async members(teamId: string): Promise<TeamMember[]> {
    const rows = await this.db
      .selectFrom('team_members')
      .selectAll()
      .where('team_id', '=', teamId)
      .orderBy('created_at', 'asc')
      .orderBy('user_id', 'asc')
      .execute();
    return rows.map((r) => ({ teamId: r.team_id, userId: r.user_id, role: r.role as TeamRole, createdAt: num(r.created_at) }));
  }

  async teamsOfUser(userId: string): Promise<Team[]> {
    const rows = await this.db
      .selectFrom('teams')
      .innerJoin('team_members', 'team_members.team_id', 'teams.id')
      .selectAll('teams')
      .where('team_members.user_id', '=', userId)
      .orderBy('teams.name', 'asc')
      .execute();
    return rows.map(toTeam);
  }
}
