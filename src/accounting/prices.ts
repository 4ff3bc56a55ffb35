/**
 * What a model costs, exactly. Every price is a decimal string (never a
 * float) so "0.075" stays 0.075: token prices are USD per 1,000,000 tokens,
 * the unit the providers publish; per-request and per-unit prices carry their
 * own `per` (e.g. `{ usd: '0.111', per: 3600 }` = $0.111 per hour of audio,
 * counted in seconds). compute-cost.ts turns them into BigInt fractions.
 */
import { parseDecimal, mul, type Fraction } from './exact-decimal.js';

/**
 * Long-context pricing (Gemini, older Claude): once the request's whole
 * `inputTokens` exceeds `start`, EVERY token of this kind is priced at that
 * tier (the highest tier passed wins) — the genai-prices semantics, which is
 * how those providers bill.
 */
export interface TieredRate {
  base: string;
  tiers: { start: number; price: string }[];
}

/** USD per 1M tokens as a decimal string, or tiered. */
export type TokenRate = string | TieredRate;

/** USD `usd` for every `per` units (per ≥ 1). */
export interface UnitPrice {
  usd: string;
  per: number;
}

/**
 * Per-unit counters for non-token endpoints. The key is what the server puts
 * in `CallOutcome.units` (images generated, audio seconds, characters of TTS,
 * searches run, document pages).
 */
export type UnitKind = 'images' | 'audioSeconds' | 'inputAudioSeconds' | 'outputAudioSeconds' | 'characters' | 'webSearches' | 'pages' | 'searchUnits';

export const UNIT_KINDS: readonly UnitKind[] = ['images', 'audioSeconds', 'inputAudioSeconds', 'outputAudioSeconds', 'characters', 'webSearches', 'pages', 'searchUnits'];

export interface PriceFields {
  input?: TokenRate;
  output?: TokenRate;
  /** Absent: cache reads cost the plain input rate. */
  cacheRead?: TokenRate;
  /** Absent: cache writes cost the plain input rate. */
  cacheWrite?: TokenRate;
  /** Absent: reasoning tokens cost the output rate (they are part of output). */
  reasoning?: TokenRate;
  /** Absent: audio tokens cost the text rate of their direction. */
  inputAudio?: TokenRate;
  outputAudio?: TokenRate;
  perRequest?: UnitPrice;
  units?: Partial<Record<UnitKind, UnitPrice>>;
}

/** Where each layer of a resolved price came from, highest precedence first, for the admin API and logs. */
export type PriceSource =
  | { layer: 'override'; key: string }
  | { layer: 'deployment'; deploymentId: string }
  | { layer: 'catalog'; provider: string; model: string };

export interface ModelPrice extends PriceFields {
  sources: PriceSource[];
}

export const TOKEN_RATE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite', 'reasoning', 'inputAudio', 'outputAudio'] as const;
export type TokenRateField = (typeof TOKEN_RATE_FIELDS)[number];

/** Throws a RangeError naming the field when a price is not a clean non-negative decimal. */
export function validatePriceFields(p: PriceFields, where: string): void {
  for (const f of TOKEN_RATE_FIELDS) {
    const r = p[f];
    if (r === undefined) continue;
    if (typeof r === 'string') parseDecimal(r, `${where}.${f}`);
    else {
      parseDecimal(r.base, `${where}.${f}.base`);
      r.tiers.forEach((t, i) => {
        if (!Number.isSafeInteger(t.start) || t.start < 0) throw new RangeError(`${where}.${f}.tiers[${i}].start must be a non-negative integer`);
        parseDecimal(t.price, `${where}.${f}.tiers[${i}].price`);
      });
    }
  }
  const units: [string, UnitPrice | undefined][] = [['perRequest', p.perRequest], ...Object.entries(p.units ?? {}).map(([k, v]): [string, UnitPrice | undefined] => [`units.${k}`, v])];
  for (const [name, u] of units) {
    if (u === undefined) continue;
    parseDecimal(u.usd, `${where}.${name}.usd`);
    if (!Number.isSafeInteger(u.per) || u.per < 1) throw new RangeError(`${where}.${name}.per must be a positive integer`);
  }
  for (const k of Object.keys(p.units ?? {})) {
    if (!(UNIT_KINDS as readonly string[]).includes(k)) throw new RangeError(`${where}.units.${k} is not a known unit (${UNIT_KINDS.join(', ')})`);
  }
}

/** Exact decimal text of a fraction whose denominator has only factors 2 and 5 (true for anything parsed from decimals). */
export function fractionToDecimal(f: Fraction): string {
  let den = f.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) { den /= 2n; twos++; }
  while (den % 5n === 0n) { den /= 5n; fives++; }
  if (den !== 1n) throw new RangeError('fraction has no finite decimal form');
  const digits = Math.max(twos, fives);
  const scaled = (f.num * 10n ** BigInt(digits)) / f.den;
  if (digits === 0) return scaled.toString();
  const s = scaled.toString().padStart(digits + 1, '0');
  const out = `${s.slice(0, -digits)}.${s.slice(-digits)}`.replace(/\.?0+$/, '');
  return out;
}

const MILLION: Fraction = { num: 1_000_000n, den: 1n };

/** LiteLLM-style USD-per-token number → exact USD per 1M tokens ("0.0000025" → "2.5"). */
export function perTokenToPerMillion(usdPerToken: number, field: string): string {
  return fractionToDecimal(mul(parseDecimal(usdPerToken, field), MILLION));
}

/**
 * The cost fields of a deployment's `model_info` (structurally the same as
 * router/deployment.ts ModelInfo, which accounting may not import).
 */
export interface ModelInfoCosts {
  inputCostPerToken?: number;
  outputCostPerToken?: number;
  cacheReadCostPerToken?: number;
  cacheWriteCostPerToken?: number;
  costPerRequest?: number;
  costPerImage?: number;
  costPerAudioSecond?: number;
  costPerCharacter?: number;
  costPerQuery?: number;
}

/** model_info per-unit costs (LiteLLM names) → the unit they price. */
const UNIT_COSTS = [
  ['costPerImage', 'images', 'output_cost_per_image'],
  ['costPerAudioSecond', 'audioSeconds', 'input_cost_per_second'],
  ['costPerCharacter', 'characters', 'input_cost_per_character'],
  ['costPerQuery', 'searchUnits', 'input_cost_per_query'],
] as const;

export function priceFieldsFromModelInfo(info: ModelInfoCosts, deploymentId: string): PriceFields | undefined {
  const out: PriceFields = {};
  const where = `deployment ${deploymentId} model_info`;
  if (info.inputCostPerToken !== undefined) out.input = perTokenToPerMillion(info.inputCostPerToken, `${where}.input_cost_per_token`);
  if (info.outputCostPerToken !== undefined) out.output = perTokenToPerMillion(info.outputCostPerToken, `${where}.output_cost_per_token`);
  if (info.cacheReadCostPerToken !== undefined) out.cacheRead = perTokenToPerMillion(info.cacheReadCostPerToken, `${where}.cache_read_input_token_cost`);
  if (info.cacheWriteCostPerToken !== undefined) out.cacheWrite = perTokenToPerMillion(info.cacheWriteCostPerToken, `${where}.cache_creation_input_token_cost`);
  if (info.costPerRequest !== undefined) out.perRequest = { usd: fractionToDecimal(parseDecimal(info.costPerRequest, `${where}.cost_per_request`)), per: 1 };
  for (const [field, unit, name] of UNIT_COSTS) {
    const usd = info[field];
    if (usd !== undefined) out.units = { ...out.units, [unit]: { usd: fractionToDecimal(parseDecimal(usd, `${where}.${name}`)), per: 1 } };
  }
  return Object.keys(out).length ? out : undefined;
}

/** Field-wise layering: each field comes from the first layer (highest precedence) that sets it. */
export function layerPrices(layers: PriceFields[]): PriceFields {
  const out: PriceFields = {};
  for (const layer of [...layers].reverse()) {
    for (const f of TOKEN_RATE_FIELDS) if (layer[f] !== undefined) out[f] = layer[f];
    if (layer.perRequest !== undefined) out.perRequest = layer.perRequest;
    if (layer.units) out.units = { ...out.units, ...layer.units };
  }
  return out;
}
