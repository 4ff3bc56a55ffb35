import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin-deps.js';
import { queryInt, queryString } from '../input.js';
import { createKey, deleteKey, findKey, ownUserId, regenerateKey, updateKey } from '../key-service.js';
import { keyCreateBody, keyUpdateBody, parseKeyCreate, parseKeyFields, KEY_FIELDS } from '../key-input.js';
import { addRoute } from '../route-helper.js';
import { idParams, listOf, obj, pageQuery, query, str } from '../schemas.js';
import { actorOf } from '../audit.js';
import { keyView } from '../views.js';

const TAGS = ['keys'];
const keySchema = obj({ id: str(), key_prefix: str('Recognisable part of the secret; the secret itself is never shown again'), ...KEY_FIELDS });
const withSecret = obj({ key: str('The secret: shown in this response only'), ...KEY_FIELDS, id: str(), key_prefix: str() });

export function registerKeyRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/keys',
    summary: 'List virtual keys (members see their own)',
    tags: TAGS,
    querystring: query({ ...pageQuery, user_id: str(), team_id: str(), key_alias: str() }),
    response: { 200: listOf(keySchema) },
    async handler(call) {
      const q = call.query;
      const userId = call.ownOnly ? ownUserId(call) : queryString(q['user_id']);
      const teamId = queryString(q['team_id']);
      const alias = queryString(q['key_alias']);
      const keys = await call.ctx.accounts.store.keys.list({
        limit: queryInt(q['limit'], 'limit', 100),
        offset: queryInt(q['offset'], 'offset', 0, Number.MAX_SAFE_INTEGER),
        ...(userId ? { userId } : {}),
        ...(teamId ? { teamId } : {}),
        ...(alias ? { alias } : {}),
      });
      return { data: keys.map(keyView) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/keys',
    summary: 'Create a virtual key; the secret is in this response only',
    tags: TAGS,
    body: keyCreateBody(),
    status: 201,
    response: { 201: withSecret },
    async handler(call) {
      const { key, secret } = await createKey(call, parseKeyCreate(call.body, call.ctx.now(), actorOf(call.identity)));
      return { ...keyView(key), key: secret };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/keys/:id',
    summary: 'One virtual key (never its secret)',
    tags: TAGS,
    params: idParams,
    response: { 200: keySchema },
    async handler(call) {
      return keyView(await findKey(call, call.params['id']!));
    },
  });

  addRoute(app, ctx, {
    method: 'PATCH',
    url: '/admin/keys/:id',
    summary: 'Change a key’s limits, owner, models or metadata',
    tags: TAGS,
    params: idParams,
    body: keyUpdateBody(),
    response: { 200: keySchema },
    async handler(call) {
      const key = await findKey(call, call.params['id']!);
      return keyView(await updateKey(call, key, parseKeyFields(call.body, call.ctx.now())));
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/admin/keys/:id',
    summary: 'Delete a key; it stops working at once',
    tags: TAGS,
    params: idParams,
    async handler(call) {
      const key = await findKey(call, call.params['id']!);
      await deleteKey(call, key);
      return { deleted: true, id: key.id };
    },
  });

  for (const blocked of [true, false]) {
    addRoute(app, ctx, {
      method: 'POST',
      url: `/admin/keys/:id/${blocked ? 'block' : 'unblock'}`,
      summary: blocked ? 'Block a key (refused with 403 until unblocked)' : 'Unblock a key',
      tags: TAGS,
      params: idParams,
      response: { 200: keySchema },
      async handler(call) {
        const key = await findKey(call, call.params['id']!);
        return keyView(await updateKey(call, key, { blocked }, blocked ? 'key.block' : 'key.unblock'));
      },
    });
  }

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/keys/:id/regenerate',
    summary: 'Rotate a key’s secret: the new one is shown once, the old one is dead at once',
    tags: TAGS,
    params: idParams,
    response: { 200: withSecret },
    async handler(call) {
      const { key, secret } = await regenerateKey(call, await findKey(call, call.params['id']!));
      return { ...keyView(key), key: secret };
    },
  });
}
