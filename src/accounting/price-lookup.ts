/**
 * The price book: which price applies to one (provider, model, deployment).
 *
 * Precedence, highest first, merged field by field (a layer that sets only
 * `input` and `output` keeps the lower layers' cache prices unless it says
 * `replace: true`):
 *   1. override for the deployment id         (admin API / config `prices:`)
 *   2. override for provider + upstream model
 *   3. override for the model on any provider
 *   4. the deployment's `model_info` costs     (LiteLLM USD-per-token style)
 *   5. the @pydantic/genai-prices catalog
 *
 * Overrides are decimal strings, USD per 1M tokens (see prices.ts), validated
 * when set so a typo fails at load time with the field named, not at billing.
 */
import { lookupCatalog } from './catalog-prices.js';
import {
  layerPrices,
  priceFieldsFromModelInfo,
  validatePriceFields,
  type ModelInfoCosts,
  type ModelPrice,
  type PriceFields,
  type PriceSource,
} from './prices.js';

export interface PriceOverride extends PriceFields {
  /** Use only this override's fields; do not fill gaps from lower layers. */
  replace?: boolean;
}

export type OverrideTarget = { deploymentId: string } | { provider: string; model: string } | { model: string };

export interface PriceQuery {
  /** Catalog provider id of the deployment, e.g. "openai". */
  provider: string;
  /** Upstream model id as the provider names it. */
  model: string;
  /** Catalog entries whose provider id differs from the pricing catalog's (e.g. "azure-eu" → "azure"). */
  pricingProviderId?: string;
  deploymentId?: string;
  /** When set, the deployment's model_info for this query (otherwise the one from setDeployments). */
  modelInfo?: ModelInfoCosts;
  /** Price at this moment (time-dependent catalog prices); default now. */
  at?: Date;
}

export interface PriceBookOptions {
  /** Consult the bundled catalog (default true); off for fully curated price lists. */
  useCatalog?: boolean;
  overrides?: { target: OverrideTarget; price: PriceOverride }[];
}

const MAX_CACHE = 10_000;

function targetKey(t: OverrideTarget): string {
  if ('deploymentId' in t) return `d\u0000${t.deploymentId}`;
  if ('provider' in t) return `p\u0000${t.provider}\u0000${t.model}`;
  return `m\u0000${t.model}`;
}

function describe(t: OverrideTarget): string {
  if ('deploymentId' in t) return `deployment:${t.deploymentId}`;
  if ('provider' in t) return `${t.provider}/${t.model}`;
  return `*/${t.model}`;
}

export class PriceBook {
  private readonly useCatalog: boolean;
  private readonly overrides = new Map<string, { label: string; price: PriceOverride }>();
  private readonly deploymentInfo = new Map<string, ModelInfoCosts>();
  private readonly cache = new Map<string, ModelPrice | null>();
  /** lookupStable()'s answers by query object; replaced whenever `cache` is cleared. */
  private byQuery = new WeakMap<PriceQuery, ModelPrice | null>();

  constructor(opts: PriceBookOptions = {}) {
    this.useCatalog = opts.useCatalog ?? true;
    for (const o of opts.overrides ?? []) this.setOverride(o.target, o.price);
  }

  /** Adds or replaces an override. Throws a RangeError naming the bad field. */
  setOverride(target: OverrideTarget, price: PriceOverride): void {
    validatePriceFields(price, `price override ${describe(target)}`);
    this.overrides.set(targetKey(target), { label: describe(target), price });
    this.forget();
  }

  deleteOverride(target: OverrideTarget): boolean {
    const had = this.overrides.delete(targetKey(target));
    if (had) this.forget();
    return had;
  }

  /** Registers each deployment's model_info costs (replaces the previous set). */
  setDeployments(deployments: { id: string; modelInfo?: ModelInfoCosts }[]): void {
    this.deploymentInfo.clear();
    for (const d of deployments) if (d.modelInfo) this.deploymentInfo.set(d.id, d.modelInfo);
    this.forget();
  }

  lookup(q: PriceQuery): ModelPrice | undefined {
    return this.find(q).price;
  }

  /**
   * lookup() for a query object its caller keeps and never changes (one per
   * deployment): answered by the object's identity, with no key string to
   * build, on the two lookups every request makes.
   */
  lookupStable(q: PriceQuery): ModelPrice | undefined {
    const known = this.byQuery.get(q);
    if (known !== undefined) return known ?? undefined;
    const { price, cached } = this.find(q);
    // Only what the string-keyed cache holds too (never a time-dependent price).
    if (cached) this.byQuery.set(q, price ?? null);
    return price;
  }

  /** The price, and whether it is (now) in the cache. */
  private find(q: PriceQuery): { price: ModelPrice | undefined; cached: boolean } {
    const cacheable = q.modelInfo === undefined && q.at === undefined;
    const key = `${q.deploymentId ?? ''}\u0000${q.provider}\u0000${q.pricingProviderId ?? ''}\u0000${q.model}`;
    if (cacheable) {
      const hit = this.cache.get(key);
      if (hit !== undefined) return { price: hit ?? undefined, cached: true };
    }
    const { price, timeDependent } = this.resolve(q);
    if (cacheable && !timeDependent) {
      if (this.cache.size >= MAX_CACHE) this.forget();
      this.cache.set(key, price ?? null);
      return { price, cached: true };
    }
    return { price, cached: false };
  }

  private forget(): void {
    this.cache.clear();
    this.byQuery = new WeakMap();
  }

  private resolve(q: PriceQuery): { price: ModelPrice | undefined; timeDependent: boolean } {
    const layers: PriceFields[] = [];
    const sources: PriceSource[] = [];
    const targets: OverrideTarget[] = [
      ...(q.deploymentId !== undefined ? [{ deploymentId: q.deploymentId }] : []),
      { provider: q.provider, model: q.model },
      { model: q.model },
    ];
    for (const t of targets) {
      const o = this.overrides.get(targetKey(t));
      if (!o) continue;
      layers.push(o.price);
      sources.push({ layer: 'override', key: o.label });
      if (o.price.replace) return { price: finish(layers, sources), timeDependent: false };
    }
    const info = q.modelInfo ?? (q.deploymentId !== undefined ? this.deploymentInfo.get(q.deploymentId) : undefined);
    const infoFields = info ? priceFieldsFromModelInfo(info, q.deploymentId ?? q.model) : undefined;
    if (infoFields) {
      layers.push(infoFields);
      sources.push({ layer: 'deployment', deploymentId: q.deploymentId ?? '(inline)' });
    }
    let timeDependent = false;
    if (this.useCatalog) {
      const cat = lookupCatalog(q.pricingProviderId ?? q.provider, q.model, q.at);
      if (cat) {
        layers.push(cat.fields);
        sources.push({ layer: 'catalog', provider: cat.provider, model: cat.model });
        timeDependent = cat.timeDependent;
      }
    }
    return { price: layers.length ? finish(layers, sources) : undefined, timeDependent };
  }
}

function finish(layers: PriceFields[], sources: PriceSource[]): ModelPrice {
  const merged = layerPrices(layers);
  return { ...merged, sources };
}
