import type { Selectable } from 'kysely';
import { generateSecret, hashSecret, newId } from '../ids.js';
import { defined, fromBool, fromJson, num, numOrNull, toBool, toJson } from '../row-codec.js';
import type { VirtualKeysTable } from '../schema.js';
import { guard } from '../store-errors.js';
import { pageOf, type Page, type RepositoryContext } from './repository-context.js';

/** Every issued key starts with this, so leaked keys are recognisable by secret scanners. */
export const VIRTUAL_KEY_PREFIX = 'sk-sy-';

export interface VirtualKey {
  id: string;
  /** Visible part, e.g. `sk-sy-…wxyz`; the secret itself is never stored. */
  keyPrefix: string;
  /** SHA-256 hex of the secret: what the in-memory auth cache is indexed by. Not a secret. */
  keyHash: string;
  alias: string | null;
  userId: string | null;
  teamId: string | null;
  /** Empty = no model restriction from the key itself. */
  allowedModels: string[];
  modelGroups: string[];
  maxBudgetNanos: number | null;
  softBudgetNanos: number | null;
  spendNanos: number;
  budgetDuration: string | null;
  budgetResetAt: number | null;
  rpm: number | null;
  tpm: number | null;
  maxParallel: number | null;
  expiresAt: number | null;
  /** CIDRs or addresses; empty = any. */
  allowedIps: string[];
  metadata: Record<string, unknown>;
  tags: string[];
  blocked: boolean;
  lastUsedAt: number | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewVirtualKey {
  id?: string;
  /** Import an existing secret (e.g. migrating from LiteLLM); otherwise one is generated. */
  secret?: string;
  alias?: string | null;
  userId?: string | null;
  teamId?: string | null;
  allowedModels?: string[];
  modelGroups?: string[];
  maxBudgetNanos?: number | null;
  softBudgetNanos?: number | null;
  budgetDuration?: string | null;
  budgetResetAt?: number | null;
  rpm?: number | null;
  tpm?: number | null;
  maxParallel?: number | null;
  expiresAt?: number | null;
  allowedIps?: string[];
  metadata?: Record<string, unknown>;
  tags?: string[];
  blocked?: boolean;
  createdBy?: string | null;
}

export type VirtualKeyPatch = Partial<Omit<NewVirtualKey, 'id' | 'secret' | 'createdBy'>>;

export interface KeyFilter extends Page {
  userId?: string;
  teamId?: string;
  alias?: string;
}

function toKey(r: Selectable<VirtualKeysTable>): VirtualKey {
  return {
    id: r.id,
    keyPrefix: r.key_prefix,
    keyHash: r.key_hash,
    alias: r.alias,
    userId: r.user_id,
    teamId: r.team_id,
    allowedModels: fromJson(r.allowed_models_json, []),
    modelGroups: fromJson(r.model_groups_json, []),
    maxBudgetNanos: numOrNull(r.max_budget_nanos),
    softBudgetNanos: numOrNull(r.soft_budget_nanos),
    spendNanos: num(r.spend_nanos),
    budgetDuration: r.budget_duration,
    budgetResetAt: numOrNull(r.budget_reset_at),
    rpm: numOrNull(r.rpm),
    tpm: numOrNull(r.tpm),
    maxParallel: numOrNull(r.max_parallel),
    expiresAt: numOrNull(r.expires_at),
    allowedIps: fromJson(r.allowed_ips_json, []),
    metadata: fromJson(r.metadata_json, {}),
    tags: fromJson(r.tags_json, []),
    blocked: fromBool(r.blocked),
    lastUsedAt: numOrNull(r.last_used_at),
    createdBy: r.created_by,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/**
 * Enough to recognise a key in a list, far too little to use it: the
 * public format prefix (`sk-sy-`, `sk-`) and at most the last 4 secret
 * characters, as OpenAI shows keys (docs/security.md: never more than 4).
 */
export function keyPrefixOf(secret: string): string {
  const pub = secret.startsWith(VIRTUAL_KEY_PREFIX) ? VIRTUAL_KEY_PREFIX : (/^[a-z]{2,4}-/.exec(secret)?.[0] ?? '');
  return secret.length - pub.length >= 12 ? `${pub}…${secret.slice(-4)}` : `${pub}…`;
}

function patchColumns(p: VirtualKeyPatch) {
  const json = <T>(v: T | undefined) => (v === undefined ? undefined : toJson(v));
  return defined({
    alias: p.alias,
    user_id: p.userId,
    team_id: p.teamId,
    allowed_models_json: json(p.allowedModels),
    model_groups_json: json(p.modelGroups),
    max_budget_nanos: p.maxBudgetNanos,
    soft_budget_nanos: p.softBudgetNanos,
    budget_duration: p.budgetDuration,
    budget_reset_at: p.budgetResetAt,
    rpm: p.rpm,
    tpm: p.tpm,
    max_parallel: p.maxParallel,
    expires_at: p.expiresAt,
    allowed_ips_json: json(p.allowedIps),
    metadata_json: json(p.metadata),
    tags_json: json(p.tags),
    blocked: p.blocked === undefined ? undefined : toBool(p.blocked),
  });
}

export class VirtualKeysRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  private get db() {
    return this.ctx.database.db;
  }

  /** Creates a key; `secret` is returned this once and never again. */
  async create(input: NewVirtualKey): Promise<{ key: VirtualKey; secret: string }> {
    const secret = input.secret ?? generateSecret(VIRTUAL_KEY_PREFIX);
    if (secret.length < 8) throw new RangeError('A virtual key secret must be at least 8 characters');
    const now = this.ctx.now();
    const id = input.id ?? newId('key');
    await guard('virtual key', () =>
      this.db
        .insertInto('virtual_keys')
        .values({
          id,
          key_hash: hashSecret(secret),
          key_prefix: keyPrefixOf(secret),
          alias: null,
          user_id: null,
          team_id: null,
          allowed_models_json: '[]',
          model_groups_json: '[]',
          max_budget_nanos: null,
          soft_budget_nanos: null,
          spend_nanos: 0,
          budget_duration: null,
          budget_reset_at: null,
          rpm: null,
          tpm: null,
          max_parallel: null,
          expires_at: null,
          allowed_ips_json: '[]',
          metadata_json: '{}',
          tags_json: '[]',
          blocked: 0,
          last_used_at: null,
          ...patchColumns(input),
          created_by: input.createdBy ?? null,
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    return { key: (await this.get(id))!, secret };
  }

  async get(id: string): Promise<VirtualKey | undefined> {
    const r = await this.db.selectFrom('virtual_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toKey(r);
  }

  /** Looks a presented secret up by its hash (the request path's only key query). */
  async findBySecret(secret: string): Promise<VirtualKey | undefined> {
    const r = await this.db.selectFrom('virtual_keys').selectAll().where('key_hash', '=', hashSecret(secret)).executeTakeFirst();
    return r && toKey(r);
  }

  async list(filter: KeyFilter = {}): Promise<VirtualKey[]> {
    const { limit, offset } = pageOf(filter);
    let q = this.db.selectFrom('virtual_keys').selectAll();
    if (filter.userId) q = q.where('user_id', '=', filter.userId);
    if (filter.teamId) q = q.where('team_id', '=', filter.teamId);
    if (filter.alias) q = q.where('alias', '=', filter.alias);
    const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return rows.map(toKey);
  }

  /** Every key, for loading the in-memory auth cache at start. */
  async all(): Promise<VirtualKey[]> {
    return (await this.db.selectFrom('virtual_keys').selectAll().orderBy('id').execute()).map(toKey);
  }

  async update(id: string, patch: VirtualKeyPatch): Promise<VirtualKey | undefined> {
    await guard('virtual key', () =>
      this.db.updateTable('virtual_keys').set({ ...patchColumns(patch), updated_at: this.ctx.now() }).where('id', '=', id).execute(),
    );
    return this.get(id);
  }

  /** Replaces the secret, keeping id, limits and spend; returns the new secret once. */
  async regenerate(id: string, secret: string = generateSecret(VIRTUAL_KEY_PREFIX)): Promise<string | undefined> {
    const r = await guard('virtual key', () =>
      this.db
        .updateTable('virtual_keys')
        .set({ key_hash: hashSecret(secret), key_prefix: keyPrefixOf(secret), updated_at: this.ctx.now() })
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    return r.numUpdatedRows > 0n ? secret : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('virtual_keys').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Batched by the caller (one write per key per flush), never per request. */
  async touchLastUsed(ids: string[], at: number = this.ctx.now()): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('virtual_keys').set({ last_used_at: at }).where('id', 'in', ids).execute();
  }
}
