import type { Selectable } from 'kysely';
import { newId, newOrderedId } from '../ids.js';
import { defined, fromBool, fromJson, num, numOrNull, toBool, toJson } from '../row-codec.js';
import type { ChannelKeysTable, ChannelsTable } from '../schema.js';
import type { SecretBox } from '../secret-box.js';
import { guard } from '../store-errors.js';
import { pageOf, type Page, type RepositoryContext } from './repository-context.js';

/** One-API's channel: a provider account the admin added at run time. */
export interface Channel {
  id: string;
  name: string;
  /** Catalog provider id. */
  provider: string;
  baseUrl: string | null;
  models: string[];
  /** Public model → upstream model. */
  modelMapping: Record<string, string>;
  priority: number;
  weight: number;
  /** Empty = every team. */
  allowedTeams: string[];
  enabled: boolean;
  disabledReason: string | null;
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface NewChannel {
  id?: string;
  name: string;
  provider: string;
  baseUrl?: string | null;
  models?: string[];
  modelMapping?: Record<string, string>;
  priority?: number;
  weight?: number;
  allowedTeams?: string[];
  enabled?: boolean;
  disabledReason?: string | null;
  config?: Record<string, unknown>;
}

export type ChannelPatch = Partial<Omit<NewChannel, 'id'>>;

/** A credential without its secret: safe to show. */
export interface ChannelKey {
  id: string;
  channelId: string;
  /** Last four characters. */
  keyHint: string;
  enabled: boolean;
  disabledReason: string | null;
  lastErrorAt: number | null;
  lastError: string | null;
  createdAt: number;
}

function toChannel(r: Selectable<ChannelsTable>): Channel {
  return {
    id: r.id,
    name: r.name,
    provider: r.provider,
    baseUrl: r.base_url,
    models: fromJson(r.models_json, []),
    modelMapping: fromJson(r.model_mapping_json, {}),
    priority: num(r.priority),
    weight: num(r.weight),
    allowedTeams: fromJson(r.allowed_teams_json, []),
    enabled: fromBool(r.enabled),
    disabledReason: r.disabled_reason,
    config: fromJson(r.config_json, {}),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function toChannelKey(r: Selectable<ChannelKeysTable>): ChannelKey {
  return {
    id: r.id,
    channelId: r.channel_id,
    keyHint: r.key_hint,
    enabled: fromBool(r.enabled),
    disabledReason: r.disabled_reason,
    lastErrorAt: numOrNull(r.last_error_at),
    lastError: r.last_error,
    createdAt: num(r.created_at),
  };
}

function channelColumns(p: ChannelPatch) {
  const json = <T>(v: T | undefined) => (v === undefined ? undefined : toJson(v));
  return defined({
    name: p.name,
    provider: p.provider,
    base_url: p.baseUrl,
    models_json: json(p.models),
    model_mapping_json: json(p.modelMapping),
    priority: p.priority,
    weight: p.weight,
    allowed_teams_json: json(p.allowedTeams),
    enabled: p.enabled === undefined ? undefined : toBool(p.enabled),
    disabled_reason: p.disabledReason,
    config_json: json(p.config),
  });
}

export class ChannelsRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  private get db() {
    return this.ctx.database.db;
  }

  private get box(): SecretBox {
    if (!this.ctx.secretBox) throw new Error('Channel keys need an encryption key: create the store with a secretBox');
    return this.ctx.secretBox;
  }

  async create(input: NewChannel): Promise<Channel> {
    const now = this.ctx.now();
    const id = input.id ?? newId('ch');
    await guard('channel', () =>
      this.db
        .insertInto('channels')
        .values({
          id,
          name: input.name,
          provider: input.provider,
          base_url: null,
          models_json: '[]',
          model_mapping_json: '{}',
          priority: 0,
          weight: 1,
          allowed_teams_json: '[]',
          enabled: 1,
          disabled_reason: null,
          config_json: '{}',
          ...channelColumns(input),
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Channel | undefined> {
    const r = await this.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toChannel(r);
  }

  async list(page?: Page & { enabledOnly?: boolean }): Promise<Channel[]> {
    const { limit, offset } = pageOf(page);
    let q = this.db.selectFrom('channels').selectAll();
    if (page?.enabledOnly) q = q.where('enabled', '=', 1);
    const rows = await q.orderBy('priority', 'desc').orderBy('name', 'asc').limit(limit).offset(offset).execute();
    return rows.map(toChannel);
  }

  async update(id: string, patch: ChannelPatch): Promise<Channel | undefined> {
    await guard('channel', () =>
      this.db.updateTable('channels').set({ ...channelColumns(patch), updated_at: this.ctx.now() }).where('id', '=', id).execute(),
    );
    return this.get(id);
  }

  /** Deletes the channel and its keys. */
  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('channels').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Stores a provider credential encrypted (AES-256-GCM); only its last four characters stay readable. */
  async addKey(channelId: string, secret: string): Promise<ChannelKey> {
    if (secret.length === 0) throw new RangeError('Channel key must not be empty');
    const id = newOrderedId('chk'); // keys list in the order they were added
    await guard('channel key', () =>
      this.db
        .insertInto('channel_keys')
        .values({
          id,
          channel_id: channelId,
          encrypted_key: this.box.encrypt(secret),
          key_hint: secret.length > 8 ? secret.slice(-4) : '',
          enabled: 1,
          disabled_reason: null,
          last_error_at: null,
          last_error: null,
          created_at: this.ctx.now(),
        })
        .execute(),
    );
    return (await this.keys(channelId)).find((k) => k.id === id)!;
  }

  async keys(channelId: string): Promise<ChannelKey[]> {
    const rows = await this.db
      .selectFrom('channel_keys')
      .selectAll()
      .where('channel_id', '=', channelId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toChannelKey);
  }

  /** The enabled credentials in clear, for building deployments. Throws if any was tampered with. */
  async decryptedKeys(channelId: string): Promise<Array<ChannelKey & { secret: string }>> {
    const rows = await this.db
      .selectFrom('channel_keys')
      .selectAll()
      .where('channel_id', '=', channelId)
      .where('enabled', '=', 1)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map((r) => ({ ...toChannelKey(r), secret: this.box.decrypt(r.encrypted_key) }));
  }

  async setKeyEnabled(keyId: string, enabled: boolean, reason: string | null = null): Promise<boolean> {
    const r = await this.db
      .updateTable('channel_keys')
      .set({ enabled: toBool(enabled), disabled_reason: enabled ? null : reason })
      .where('id', '=', keyId)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async recordKeyError(keyId: string, message: string, at: number = this.ctx.now()): Promise<void> {
    await this.db
      .updateTable('channel_keys')
      .set({ last_error_at: at, last_error: message.slice(0, 2000) })
      .where('id', '=', keyId)
      .execute();
  }

  async deleteKey(keyId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('channel_keys').where('id', '=', keyId).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
