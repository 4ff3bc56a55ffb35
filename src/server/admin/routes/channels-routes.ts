import type { FastifyInstance } from 'fastify';
import { getProvider } from '../../../catalog/index.js';
import { invalidRequest } from '../../../spec/index.js';
import type { Channel, ChannelPatch } from '../../../store/index.js';
import { deploymentsForChannel } from '../../accounts/channel-deployments.js';
import type { AdminContext } from '../admin-deps.js';
import { notFound } from '../admin-errors.js';
import { audit } from '../audit.js';
import { optBool, optObject, optString, optStringList, queryInt, reqString } from '../input.js';
import { addRoute, type AdminCall, type Json } from '../route-helper.js';
import { body, bool, idParams, int, listOf, nullableStr, obj, pageQuery, query, str, strList, strMap } from '../schemas.js';
import { channelKeyView, channelView } from '../views.js';

const TAGS = ['channels'];
const CHANNEL_FIELDS = {
  name: str('Unique name'),
  provider: str('Catalog provider id (see `switchyard providers`), e.g. openai, anthropic, deepseek, custom'),
  base_url: nullableStr('Overrides the provider’s default URL (required for custom)'),
  models: strList('Public model names this channel serves'),
  model_mapping: strMap('Public model → upstream model id, where they differ'),
  priority: int('Higher is tried first (One-API priority)'),
  weight: { type: 'number', exclusiveMinimum: 0, description: 'Share of traffic within its priority tier; split evenly over the channel’s keys' },
  allowed_teams: strList('Team ids whose keys may be routed to this channel; empty = every key (the master key always may)'),
  enabled: bool(),
  disabled_reason: nullableStr(),
  config: { type: 'object', additionalProperties: false, properties: { api_version: str(), timeout_ms: int(), settings: strMap('Non-secret provider inputs, e.g. region') } },
};
const channelSchema = obj({ id: str(), ...CHANNEL_FIELDS, keys: { type: 'array', items: obj({ id: str(), hint: str('Last four characters only') }) } });
const keyParams = { type: 'object', properties: { id: { type: 'string' }, keyId: { type: 'string' } }, required: ['id', 'keyId'] };

function parseConfig(v: unknown): Record<string, unknown> | undefined {
  const c = optObject(v, 'config');
  if (!c) return undefined;
  const out: Record<string, unknown> = {};
  const version = optString(c['api_version'], 'config.api_version');
  if (version) out['apiVersion'] = version;
  if (c['timeout_ms'] !== undefined) {
    if (typeof c['timeout_ms'] !== 'number' || !Number.isSafeInteger(c['timeout_ms']) || c['timeout_ms'] <= 0) throw invalidRequest('config.timeout_ms must be a positive integer.', 'config.timeout_ms');
    out['timeoutMs'] = c['timeout_ms'];
  }
  if (c['settings'] !== undefined) out['settings'] = optObject(c['settings'], 'config.settings');
  return out;
}

export function parseChannelFields(b: Json): ChannelPatch {
  const out: ChannelPatch = {};
  if (b['name'] !== undefined) out.name = reqString(b['name'], 'name');
  if (b['provider'] !== undefined) {
    const provider = reqString(b['provider'], 'provider');
    if (!getProvider(provider)) throw invalidRequest(`provider '${provider}' is not in the catalog; run \`switchyard providers\` for the list.`, 'provider');
    out.provider = provider;
  }
  const base = optString(b['base_url'], 'base_url');
  if (base !== undefined) out.baseUrl = base;
  const models = optStringList(b['models'], 'models');
  if (models !== undefined) out.models = models;
  const mapping = optObject(b['model_mapping'], 'model_mapping');
  if (mapping !== undefined) {
    for (const [k, v] of Object.entries(mapping)) if (typeof v !== 'string') throw invalidRequest(`model_mapping.${k} must be a string.`, `model_mapping.${k}`);
    out.modelMapping = mapping as Record<string, string>;
  }
  if (b['priority'] !== undefined) {
    if (typeof b['priority'] !== 'number' || !Number.isSafeInteger(b['priority'])) throw invalidRequest('priority must be an integer.', 'priority');
    out.priority = b['priority'];
  }
  if (b['weight'] !== undefined) {
    if (typeof b['weight'] !== 'number' || !(b['weight'] > 0)) throw invalidRequest('weight must be a number greater than 0.', 'weight');
    out.weight = b['weight'];
  }
  const teams = optStringList(b['allowed_teams'], 'allowed_teams');
  if (teams !== undefined) out.allowedTeams = teams;
  const enabled = optBool(b['enabled'], 'enabled');
  if (enabled !== undefined) out.enabled = enabled;
  const reason = optString(b['disabled_reason'], 'disabled_reason');
  if (reason !== undefined) out.disabledReason = reason;
  const config = parseConfig(b['config']);
  if (config !== undefined) out.config = config;
  return out;
}

/** Refuses a channel that could never be called (bad base URL, missing required input) before it is stored. */
function checkReachable(channel: Channel): void {
  try {
    deploymentsForChannel(channel, [{ id: 'check', secret: 'check' }]);
  } catch (e) {
    throw invalidRequest(`This channel cannot be called: ${(e as Error).message}.`, 'base_url');
  }
}

async function findChannel(call: AdminCall, id: string): Promise<Channel> {
  const c = await call.ctx.accounts.store.channels.get(id);
  if (!c) throw notFound('Channel', id);
  return c;
}

async function view(call: AdminCall, c: Channel): Promise<Json> {
  return channelView(c, await call.ctx.accounts.store.channels.keys(c.id));
}

/** Rebuilds the router's deployments and reports what concerns this channel. */
async function applyChannels(call: AdminCall, c: Channel): Promise<Json> {
  const { problems } = await call.ctx.channels.rebuild();
  const warnings = problems.filter((p) => p.startsWith(`channel "${c.name}"`));
  const v = await view(call, c);
  return warnings.length ? { ...v, warnings } : v;
}

export function registerChannelRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/channels',
    summary: 'List channels (keys show only their last four characters)',
    tags: TAGS,
    querystring: query(pageQuery),
    response: { 200: listOf(channelSchema) },
    async handler(call) {
      const list = await call.ctx.accounts.store.channels.list({ limit: queryInt(call.query['limit'], 'limit', 100), offset: queryInt(call.query['offset'], 'offset', 0, Number.MAX_SAFE_INTEGER) });
      return { data: await Promise.all(list.map((c) => view(call, c))) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/channels',
    summary: 'Add a provider account; its models are served at once',
    tags: TAGS,
    body: body({ ...CHANNEL_FIELDS, keys: strList('Provider API keys (encrypted at rest, never shown again)') }, ['name', 'provider']),
    status: 201,
    response: { 201: channelSchema },
    async handler(call) {
      const fields = parseChannelFields(call.body);
      const keys = optStringList(call.body['keys'], 'keys') ?? [];
      keys.forEach((k, i) => {
        if (k.trim() === '') throw invalidRequest(`keys[${i}] is empty.`, `keys[${i}]`);
      });
      const draft: Channel = { id: 'draft', name: fields.name!, provider: fields.provider!, baseUrl: fields.baseUrl ?? null, models: fields.models ?? [], modelMapping: fields.modelMapping ?? {}, priority: 0, weight: 1, allowedTeams: [], enabled: true, disabledReason: null, config: fields.config ?? {}, createdAt: 0, updatedAt: 0 };
      checkReachable(draft);
      const store = call.ctx.accounts.store;
      const channel = await store.channels.create({ ...fields, name: fields.name!, provider: fields.provider! });
      for (const k of keys) await store.channels.addKey(channel.id, k.trim());
      const v = await view(call, channel);
      await audit(call, 'channel.create', 'channel', channel.id, undefined, v);
      return applyChannels(call, channel);
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/channels/:id',
    summary: 'One channel',
    tags: TAGS,
    params: idParams,
    response: { 200: channelSchema },
    async handler(call) {
      return view(call, await findChannel(call, call.params['id']!));
    },
  });

  addRoute(app, ctx, {
    method: 'PATCH',
    url: '/admin/channels/:id',
    summary: 'Change a channel; the router picks it up at once',
    tags: TAGS,
    params: idParams,
    body: body(CHANNEL_FIELDS),
    response: { 200: channelSchema },
    async handler(call) {
      const before = await findChannel(call, call.params['id']!);
      const patch = parseChannelFields(call.body);
      checkReachable({ ...before, ...patch } as Channel);
      const updated = await call.ctx.accounts.store.channels.update(before.id, patch);
      if (!updated) throw notFound('Channel', before.id);
      const keys = await call.ctx.accounts.store.channels.keys(before.id);
      await audit(call, 'channel.update', 'channel', before.id, channelView(before, keys), channelView(updated, keys));
      return applyChannels(call, updated);
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/admin/channels/:id',
    summary: 'Delete a channel and its keys; its deployments leave the router at once',
    tags: TAGS,
    params: idParams,
    async handler(call) {
      const c = await findChannel(call, call.params['id']!);
      const v = await view(call, c);
      await call.ctx.accounts.store.channels.delete(c.id);
      await call.ctx.channels.rebuild();
      await audit(call, 'channel.delete', 'channel', c.id, v);
      return { deleted: true, id: c.id };
    },
  });

  for (const enabled of [true, false]) {
    addRoute(app, ctx, {
      method: 'POST',
      url: `/admin/channels/:id/${enabled ? 'enable' : 'disable'}`,
      summary: enabled ? 'Enable a channel' : 'Disable a channel, with a reason; its models leave the router at once',
      tags: TAGS,
      params: idParams,
      ...(enabled ? {} : { body: body({ reason: nullableStr() }) }),
      response: { 200: channelSchema },
      async handler(call) {
        const before = await findChannel(call, call.params['id']!);
        const reason = enabled ? null : (optString(call.body['reason'], 'reason') ?? null);
        const updated = (await call.ctx.accounts.store.channels.update(before.id, { enabled, disabledReason: reason }))!;
        const keys = await call.ctx.accounts.store.channels.keys(before.id);
        await audit(call, enabled ? 'channel.enable' : 'channel.disable', 'channel', before.id, channelView(before, keys), channelView(updated, keys));
        return applyChannels(call, updated);
      },
    });
  }

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/channels/:id/keys',
    summary: 'Add a provider key to a channel (encrypted at rest; only a hint is ever shown)',
    tags: TAGS,
    params: idParams,
    body: body({ key: str() }, ['key']),
    status: 201,
    async handler(call) {
      const c = await findChannel(call, call.params['id']!);
      const k = await call.ctx.accounts.store.channels.addKey(c.id, reqString(call.body['key'], 'key'));
      await audit(call, 'channel.key_add', 'channel', c.id, undefined, channelKeyView(k));
      await call.ctx.channels.rebuild();
      return channelKeyView(k);
    },
  });

  addRoute(app, ctx, {
    method: 'PATCH',
    url: '/admin/channels/:id/keys/:keyId',
    summary: 'Enable or disable one provider key of a channel',
    tags: TAGS,
    params: keyParams,
    body: body({ enabled: bool(), reason: nullableStr() }, ['enabled']),
    async handler(call) {
      const c = await findChannel(call, call.params['id']!);
      const keyId = call.params['keyId']!;
      const before = (await call.ctx.accounts.store.channels.keys(c.id)).find((k) => k.id === keyId);
      if (!before) throw notFound('Channel key', keyId);
      const enabled = optBool(call.body['enabled'], 'enabled')!;
      await call.ctx.accounts.store.channels.setKeyEnabled(keyId, enabled, optString(call.body['reason'], 'reason') ?? null);
      const after = (await call.ctx.accounts.store.channels.keys(c.id)).find((k) => k.id === keyId)!;
      await audit(call, enabled ? 'channel.key_enable' : 'channel.key_disable', 'channel', c.id, channelKeyView(before), channelKeyView(after));
      await call.ctx.channels.rebuild();
      return channelKeyView(after);
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/admin/channels/:id/keys/:keyId',
    summary: 'Remove one provider key from a channel',
    tags: TAGS,
    params: keyParams,
    async handler(call) {
      const c = await findChannel(call, call.params['id']!);
      const keyId = call.params['keyId']!;
      const before = (await call.ctx.accounts.store.channels.keys(c.id)).find((k) => k.id === keyId);
      if (!before || !(await call.ctx.accounts.store.channels.deleteKey(keyId))) throw notFound('Channel key', keyId);
      await audit(call, 'channel.key_delete', 'channel', c.id, channelKeyView(before));
      await call.ctx.channels.rebuild();
      return { deleted: true, id: keyId };
    },
  });
}
