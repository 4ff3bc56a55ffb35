/**
 * Prices from the bundled @pydantic/genai-prices catalog, converted to our
 * exact decimal-string form. The library's numbers are floats, but its data
 * is written as short decimals, so String(n) recovers the decimal exactly.
 */
import { calcPrice, findProvider, type ModelPrice as LibPrice } from '@pydantic/genai-prices';
import type { PriceFields, TokenRate, TokenRateField, UnitKind } from './prices.js';
import { fractionToDecimal } from './prices.js';
import { parseDecimal } from './exact-decimal.js';

const TOKEN_KEYS: Record<string, TokenRateField> = {
  input_mtok: 'input',
  output_mtok: 'output',
  cache_read_mtok: 'cacheRead',
  cache_write_mtok: 'cacheWrite',
  output_reasoning_mtok: 'reasoning',
  input_audio_mtok: 'inputAudio',
  output_audio_mtok: 'outputAudio',
};

const UNIT_KEYS: Record<string, { kind: UnitKind; per: number }> = {
  web_searches_kcount: { kind: 'webSearches', per: 1000 },
  input_mchars: { kind: 'characters', per: 1_000_000 },
  audio_hours: { kind: 'audioSeconds', per: 3600 },
  input_audio_hours: { kind: 'inputAudioSeconds', per: 3600 },
  output_audio_hours: { kind: 'outputAudioSeconds', per: 3600 },
  input_document_kpages: { kind: 'pages', per: 1000 },
};

export interface CatalogMatch {
  fields: PriceFields;
  provider: string;
  model: string;
  /** Catalog price keys we have no usage counter for (e.g. 1-hour cache writes), listed so nothing is dropped unseen. */
  unpricedKeys: string[];
  /** True when the catalog price depends on the date/time (start-date or time-of-day prices): never cache it. */
  timeDependent: boolean;
}

function dec(n: number, field: string): string {
  return fractionToDecimal(parseDecimal(n, field));
}

function toTokenRate(v: unknown, field: string): TokenRate | undefined {
  if (typeof v === 'number') return dec(v, field);
  if (v && typeof v === 'object' && 'base' in v && 'tiers' in v) {
    const t = v as { base: number; tiers: { start: number; price: number }[] };
    return { base: dec(t.base, field), tiers: t.tiers.map((x) => ({ start: x.start, price: dec(x.price, field) })) };
  }
  return undefined;
}

export function convertCatalogPrice(lib: LibPrice): { fields: PriceFields; unpricedKeys: string[] } {
  const fields: PriceFields = {};
  const unpricedKeys: string[] = [];
  for (const [key, value] of Object.entries(lib)) {
    if (value === undefined) continue;
    const tokenField = TOKEN_KEYS[key];
    const unit = UNIT_KEYS[key];
    if (tokenField) {
      const rate = toTokenRate(value, key);
      if (rate === undefined) unpricedKeys.push(key);
      else fields[tokenField] = rate;
    } else if (key === 'requests_kcount' && typeof value === 'number') {
      fields.perRequest = { usd: dec(value, key), per: 1000 };
    } else if (unit && typeof value === 'number') {
      fields.units = { ...fields.units, [unit.kind]: { usd: dec(value, key), per: unit.per } };
    } else {
      unpricedKeys.push(key);
    }
  }
  return { fields, unpricedKeys };
}

/**
 * Finds a model in the catalog. With a provider id the catalog knows, only
 * that provider's models match (a custom host of "gpt-4o" is not silently
 * priced as OpenAI unless its deployment says `pricingProviderId: openai`);
 * with an id it does not know, the catalog's model-name matching decides.
 */
export function lookupCatalog(providerId: string | undefined, model: string, at?: Date): CatalogMatch | undefined {
  const known = providerId !== undefined && findProvider({ providerId }) !== undefined;
  let result;
  try {
    result = calcPrice({ input_tokens: 0 }, model, { ...(known ? { providerId } : {}), ...(at ? { timestamp: at } : {}) });
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  const { fields, unpricedKeys } = convertCatalogPrice(result.model_price);
  return {
    fields,
    provider: result.provider.id,
    model: result.model.id,
    unpricedKeys,
    timeDependent: Array.isArray(result.model.prices),
  };
}
