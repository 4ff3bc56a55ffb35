import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../../spec/index.js';
import type { AdminContext } from '../admin-deps.js';
import { actorOf } from '../audit.js';
import { notFound } from '../admin-errors.js';
import { optString, queryInt, queryString } from '../input.js';
import { keyCreateBody, keyUpdateBody, parseKeyCreate, parseKeyFields } from '../key-input.js';
import { createKey, deleteKey, findKey, findKeyBySecretOrHash, listAllKeys, ownUserId, regenerateKey, updateKey } from '../key-service.js';
import { addRoute, type AdminCall } from '../route-helper.js';
import { bool, int, obj, query, str, strList } from '../schemas.js';
import { keyRef, refuseUnsupported, tolerated } from './litellm-input.js';
import { litellmGenerated, litellmKeyInfo } from './litellm-views.js';

const TAGS = ['litellm'];
const generated = obj({ key: str('The secret, shown once'), token: str('LiteLLM token: SHA-256 hex of the secret'), key_name: str(), expires: { type: ['string', 'null'] } });

async function regenerate(call: AdminCall, ref: string) {
  refuseUnsupported(call.body);
  const key = await findKeyBySecretOrHash(call, ref);
  const newKey = optString(call.body['new_key'], 'new_key');
  if (typeof newKey === 'string' && newKey.length < 8) throw invalidRequest('new_key must be at least 8 characters.', 'new_key');
  const { key: rotated, secret } = await regenerateKey(call, key, newKey ?? undefined);
  const { key: _k, new_key: _n, ...rest } = call.body;
  const patch = parseKeyFields(rest, call.ctx.now());
  const final = Object.keys(patch).length > 0 ? await updateKey(call, rotated, patch) : rotated;
  return litellmGenerated(final, secret);
}

/** LiteLLM's /key/* routes with its field names, for scripts and UIs written against a LiteLLM proxy. */
export function registerLiteLLMKeyRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'POST',
    url: '/key/generate',
    summary: 'LiteLLM: create a key',
    tags: TAGS,
    body: keyCreateBody(tolerated),
    response: { 200: generated },
    async handler(call) {
      refuseUnsupported(call.body);
      const { key, secret } = await createKey(call, parseKeyCreate(call.body, call.ctx.now(), actorOf(call.identity)));
      return { ...litellmGenerated(key, secret), duration: call.body['duration'] ?? null };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/key/info',
    summary: 'LiteLLM: a key’s info and spend, by secret or token; without ?key=, the calling key',
    tags: TAGS,
    querystring: query({ key: str() }),
    async handler(call) {
      const ref = queryString(call.query['key']);
      const own = call.identity.keyId;
      const key = ref ? await findKeyBySecretOrHash(call, ref) : own ? await findKey(call, own) : await findKeyBySecretOrHash(call, keyRef(undefined));
      // Never echo a secret back: `key` is the token.
      return { key: key.keyHash, info: litellmKeyInfo(key) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/key/update',
    summary: 'LiteLLM: change a key',
    tags: TAGS,
    body: keyUpdateBody({ ...tolerated, key: str('The key (sk-…) or its token') }),
    async handler(call) {
      refuseUnsupported(call.body);
      const key = await findKeyBySecretOrHash(call, keyRef(call.body['key']));
      const { key: _ref, ...fields } = call.body;
      const updated = await updateKey(call, key, parseKeyFields(fields, call.ctx.now()));
      return { key: updated.keyHash, ...litellmKeyInfo(updated) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/key/delete',
    summary: 'LiteLLM: delete keys by secret/token or alias',
    tags: TAGS,
    body: { type: 'object', properties: { keys: strList(), key_aliases: strList() }, additionalProperties: false },
    response: { 200: obj({ deleted_keys: strList('Tokens of the deleted keys') }) },
    async handler(call) {
      const refs = (call.body['keys'] as string[] | undefined) ?? [];
      const aliases = (call.body['key_aliases'] as string[] | undefined) ?? [];
      if (refs.length === 0 && aliases.length === 0) throw invalidRequest('Give keys or key_aliases.', 'keys');
      const keys = await Promise.all(refs.map((r) => findKeyBySecretOrHash(call, r)));
      for (const alias of aliases) {
        const found = await listAllKeys(call, { alias, ...(call.ownOnly ? { userId: ownUserId(call) } : {}) });
        if (found.length === 0) throw notFound('Key with alias', alias);
        keys.push(...found);
      }
      for (const k of keys) await deleteKey(call, k);
      return { deleted_keys: keys.map((k) => k.keyHash) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/key/regenerate',
    summary: 'LiteLLM: rotate a key (new secret once; the old one is dead at once)',
    tags: TAGS,
    body: keyUpdateBody({ ...tolerated, key: str('The key (sk-…) or its token'), new_key: str('Choose the new secret') }),
    response: { 200: generated },
    async handler(call) {
      return regenerate(call, keyRef(call.body['key']));
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/key/:key/regenerate',
    summary: 'LiteLLM: rotate a key named in the path',
    tags: TAGS,
    params: { type: 'object', properties: { key: str() }, required: ['key'] },
    body: keyUpdateBody({ ...tolerated, key: str(), new_key: str() }),
    response: { 200: generated },
    async handler(call) {
      return regenerate(call, keyRef(call.params['key']));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/key/list',
    summary: 'LiteLLM: list keys (tokens, or full objects with return_full_object=true)',
    tags: TAGS,
    querystring: query({ page: int(), size: int(), user_id: str(), team_id: str(), key_alias: str(), return_full_object: bool() }),
    async handler(call) {
      const q = call.query;
      const page = Math.max(1, queryInt(q['page'], 'page', 1, 1_000_000));
      const size = Math.max(1, queryInt(q['size'], 'size', 10, 1000));
      const userId = call.ownOnly ? ownUserId(call) : queryString(q['user_id']);
      const teamId = queryString(q['team_id']);
      const alias = queryString(q['key_alias']);
      const all = await listAllKeys(call, { ...(userId ? { userId } : {}), ...(teamId ? { teamId } : {}), ...(alias ? { alias } : {}) });
      const slice = all.slice((page - 1) * size, page * size);
      const full = q['return_full_object'] === true || q['return_full_object'] === 'true';
      return {
        keys: slice.map((k) => (full ? { token: k.keyHash, ...litellmKeyInfo(k) } : k.keyHash)),
        total_count: all.length,
        current_page: page,
        total_pages: Math.ceil(all.length / size),
      };
    },
  });
}
