import type { FastifyInstance } from 'fastify';
import { formatNanosAsUsd, type ModelPrice, type TokenRate } from '../../../accounting/index.js';
import { getProvider } from '../../../catalog/index.js';
import { GatewayError, invalidRequest } from '../../../spec/index.js';
import type { PriceOverride, PriceOverrideInput } from '../../../store/index.js';
import type { AdminContext } from '../admin-deps.js';
import { notFound } from '../admin-errors.js';
import { audit } from '../audit.js';
import { optString, queryString, reqString } from '../input.js';
import { addRoute, type Json } from '../route-helper.js';
import { body, idParams, listOf, obj, query, str, usdField } from '../schemas.js';
import { usdToNanosExact } from '../usd.js';

const TAGS = ['prices'];
const FIELDS: Array<[string, keyof PriceOverrideInput]> = [
  ['input_per_mtok', 'inputNanosPerMTok'],
  ['output_per_mtok', 'outputNanosPerMTok'],
  ['cache_read_per_mtok', 'cacheReadNanosPerMTok'],
  ['cache_write_per_mtok', 'cacheWriteNanosPerMTok'],
  ['per_request', 'perRequestNanos'],
];

function overrideView(o: PriceOverride): Json {
  const out: Json = { id: o.id, provider: o.provider, model: o.modelPattern };
  for (const [name, field] of FIELDS) {
    const v = o[field] as number | null;
    out[name] = v === null ? null : formatNanosAsUsd(v);
  }
  return { ...out, created_at: new Date(o.createdAt).toISOString(), updated_at: new Date(o.updatedAt).toISOString() };
}

function rateView(r: TokenRate | undefined): unknown {
  return r === undefined ? null : r;
}

function resolvedView(p: ModelPrice): Json {
  return {
    input_per_mtok: rateView(p.input),
    output_per_mtok: rateView(p.output),
    cache_read_per_mtok: rateView(p.cacheRead),
    cache_write_per_mtok: rateView(p.cacheWrite),
    reasoning_per_mtok: rateView(p.reasoning),
    per_request: p.perRequest ?? null,
    units: p.units ?? null,
    sources: p.sources,
  };
}

/** Admin prices (USD per 1M tokens, exact decimals) that win over the bundled price list. */
export function registerPriceRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/prices',
    summary: 'List price overrides (USD per 1M tokens, exact decimal strings)',
    tags: TAGS,
    response: { 200: listOf(obj({ id: str(), provider: str(), model: str() })) },
    async handler(call) {
      return { data: (await call.ctx.accounts.store.prices.list()).map(overrideView) };
    },
  });

  addRoute(app, ctx, {
    method: 'PUT',
    url: '/admin/prices',
    summary: 'Create or replace the override for (provider, model); applies to the next request',
    tags: TAGS,
    body: body({
      provider: str('Catalog provider id, or * for any provider (default *)'),
      model: str('Upstream model id'),
      input_per_mtok: usdField('Per 1M input tokens'),
      output_per_mtok: usdField('Per 1M output tokens'),
      cache_read_per_mtok: usdField('Per 1M cache-read tokens'),
      cache_write_per_mtok: usdField('Per 1M cache-write tokens'),
      per_request: usdField('Flat price per request'),
    }, ['model']),
    async handler(call) {
      const b = call.body;
      const provider = optString(b['provider'], 'provider') ?? '*';
      if (provider !== '*' && !getProvider(provider)) throw invalidRequest(`provider '${provider}' is not in the catalog (use * for any).`, 'provider');
      const input: PriceOverrideInput = { provider, modelPattern: reqString(b['model'], 'model'), inputNanosPerMTok: null, outputNanosPerMTok: null, cacheReadNanosPerMTok: null, cacheWriteNanosPerMTok: null, perRequestNanos: null };
      let any = false;
      for (const [name, field] of FIELDS) {
        const v = b[name];
        if (v === undefined || v === null) continue;
        (input[field] as number) = usdToNanosExact(v, name);
        any = true;
      }
      if (!any) throw invalidRequest(`Give at least one price (${FIELDS.map(([n]) => n).join(', ')}).`, 'input_per_mtok');
      const before = (await call.ctx.accounts.store.prices.list()).find((o) => o.provider === provider && o.modelPattern === input.modelPattern);
      const saved = await call.ctx.accounts.store.prices.upsert(input);
      try {
        await call.ctx.accounts.reloadPrices();
      } catch (e) {
        throw new GatewayError('invalid_request', { message: `The price list refused this override: ${(e as Error).message}` });
      }
      await audit(call, 'price.upsert', 'price', saved.id, before && overrideView(before), overrideView(saved));
      return overrideView(saved);
    },
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/admin/prices/:id',
    summary: 'Delete a price override',
    tags: TAGS,
    params: idParams,
    async handler(call) {
      const id = call.params['id']!;
      const before = (await call.ctx.accounts.store.prices.list()).find((o) => o.id === id);
      if (!before || !(await call.ctx.accounts.store.prices.delete(id))) throw notFound('Price override', id);
      await call.ctx.accounts.reloadPrices();
      await audit(call, 'price.delete', 'price', id, overrideView(before));
      return { deleted: true, id };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/prices/:provider/*',
    summary: 'The price the gateway would charge for a provider’s model, and where each part came from',
    tags: TAGS,
    params: { type: 'object', properties: { provider: str(), '*': str('Upstream model id (may contain /)') } },
    querystring: query({ deployment: str('A deployment id, to include its model_info costs and deployment overrides') }),
    async handler(call) {
      const provider = call.params['provider']!;
      const model = decodeURIComponent(call.params['*'] ?? '');
      const entry = getProvider(provider);
      const deploymentId = queryString(call.query['deployment']);
      const price = call.ctx.accounts.prices.lookup({ provider, model, ...(entry?.pricingProviderId ? { pricingProviderId: entry.pricingProviderId } : {}), ...(deploymentId ? { deploymentId } : {}) });
      if (!price) throw notFound('Price', `${provider}/${model}`);
      return { provider, model, ...resolvedView(price) };
    },
  });
}
