/**
 * Exact cost of one request: every term is a BigInt fraction, summed, times
 * the team multiplier, and rounded ONCE (half up) to integer nano-USD. The
 * breakdown parts are each rounded on their own for display, so they may
 * differ from the total by a nano or two; the total is what is billed.
 */
import type { Usage } from '../spec/index.js';
import { add, mul, parseDecimal, roundHalfUp, scale, toSafeNanos, ZERO, type Fraction } from './exact-decimal.js';
import type { ModelPrice, TokenRate, UnitKind, UnitPrice } from './prices.js';

export interface CostBreakdown {
  /** Uncached input tokens (and input audio tokens). */
  inputNanos: number;
  cacheReadNanos: number;
  cacheWriteNanos: number;
  /** Output tokens; includes reasoning tokens unless the price has a separate reasoning rate. */
  outputNanos: number;
  /** Present only when reasoning has its own rate. */
  reasoningNanos?: number;
  requestNanos: number;
  /** Per-unit charges (images, audio seconds, searches…). */
  unitsNanos: number;
}

export interface CostResult {
  totalNanos: number;
  breakdown: CostBreakdown;
  /** Counters in `units` the price has no rate for (charged nothing: report them as a warning). */
  unpricedUnits: string[];
}

export interface CostOptions {
  /** Team price multiplier, exact decimal ("1.2", 0.8). Default 1. */
  multiplier?: string | number;
  /** Per-request counters from CallOutcome.units. */
  units?: Record<string, number>;
}

const PER_MILLION = 1_000_000;

interface ParsedRate {
  base: Fraction;
  tiers: { start: number; price: Fraction; nanos: number | undefined }[];
  /** The base rate in whole nano-USD per token, when it is one (see integerCost). */
  baseNanos: number | undefined;
}

interface ParsedPrice {
  input?: ParsedRate;
  output?: ParsedRate;
  cacheRead?: ParsedRate;
  cacheWrite?: ParsedRate;
  reasoning?: ParsedRate;
  inputAudio?: ParsedRate;
  outputAudio?: ParsedRate;
  perRequest?: { price: Fraction; per: number };
  /** perRequest in whole nano-USD, when it is one. */
  perRequestNanos: number | undefined;
  units: Map<string, { price: Fraction; per: number }>;
}

/** `price` (USD per `per` things) as whole nano-USD per thing, or undefined when that is not an integer. */
function wholeNanos(price: Fraction, per: number): number | undefined {
  const num = price.num * 1_000_000_000n;
  const den = price.den * BigInt(per);
  if (num % den !== 0n) return undefined;
  const n = num / den;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}

// Prices are immutable once looked up; parse each decimal once, not per request.
const parsedCache = new WeakMap<ModelPrice, ParsedPrice>();

function parseRate(r: TokenRate | undefined): ParsedRate | undefined {
  if (r === undefined) return undefined;
  if (typeof r === 'string') {
    const base = parseDecimal(r);
    return { base, tiers: [], baseNanos: wholeNanos(base, PER_MILLION) };
  }
  const base = parseDecimal(r.base);
  const tiers = [...r.tiers].sort((a, b) => a.start - b.start).map((t) => {
    const price = parseDecimal(t.price);
    return { start: t.start, price, nanos: wholeNanos(price, PER_MILLION) };
  });
  return { base, tiers, baseNanos: wholeNanos(base, PER_MILLION) };
}

function parseUnit(u: UnitPrice): { price: Fraction; per: number } {
  return { price: parseDecimal(u.usd), per: u.per };
}

function parsed(price: ModelPrice): ParsedPrice {
  let p = parsedCache.get(price);
  if (!p) {
    p = {
      input: parseRate(price.input),
      output: parseRate(price.output),
      cacheRead: parseRate(price.cacheRead),
      cacheWrite: parseRate(price.cacheWrite),
      reasoning: parseRate(price.reasoning),
      inputAudio: parseRate(price.inputAudio),
      outputAudio: parseRate(price.outputAudio),
      perRequest: price.perRequest ? parseUnit(price.perRequest) : undefined,
      perRequestNanos: undefined,
      units: new Map(Object.entries(price.units ?? {}).flatMap(([k, u]) => (u ? [[k, parseUnit(u)] as const] : []))),
    };
    p.perRequestNanos = p.perRequest ? wholeNanos(p.perRequest.price, p.perRequest.per) : 0;
    parsedCache.set(price, p);
  }
  return p;
}

/** The rate in force for a request whose whole prompt is `promptTokens` (genai-prices tier semantics). */
function rateAt(r: ParsedRate, promptTokens: number): Fraction {
  let price = r.base;
  for (const t of r.tiers) if (promptTokens > t.start) price = t.price;
  return price;
}

/** Nano-USD per token at this prompt size when a whole number; undefined when not (or no rate: null). */
function nanosAt(r: ParsedRate | undefined, promptTokens: number): number | undefined | null {
  if (r === undefined) return null;
  let nanos = r.baseNanos;
  for (const t of r.tiers) if (promptTokens > t.start) nanos = t.nanos;
  return nanos;
}

function tokens(rate: ParsedRate | undefined, fallback: ParsedRate | undefined, count: number, promptTokens: number): Fraction {
  const r = rate ?? fallback;
  if (!r || count <= 0) return ZERO;
  return scale(rateAt(r, promptTokens), count, PER_MILLION);
}

function nonNeg(n: number | undefined): number {
  return n !== undefined && n > 0 ? n : 0;
}

export function computeCost(usage: Usage, price: ModelPrice, opts: CostOptions = {}): CostResult {
  const p = parsed(price);
  const prompt = nonNeg(usage.inputTokens);
  const cacheRead = Math.min(nonNeg(usage.cacheReadTokens), prompt);
  const cacheWrite = Math.min(nonNeg(usage.cacheWriteTokens), prompt - cacheRead);
  const inputAudio = p.inputAudio ? Math.min(nonNeg(usage.inputAudioTokens), prompt - cacheRead - cacheWrite) : 0;
  const uncached = prompt - cacheRead - cacheWrite - inputAudio;

  const completion = nonNeg(usage.outputTokens);
  const reasoning = p.reasoning ? Math.min(nonNeg(usage.reasoningTokens), completion) : 0;
  const outputAudio = p.outputAudio ? Math.min(nonNeg(usage.outputAudioTokens), completion - reasoning) : 0;
  const plainOutput = completion - reasoning - outputAudio;

  if (opts.multiplier === undefined && !hasUnits(opts.units)) {
    const fast = integerCost(p, prompt, { uncached, inputAudio, cacheRead, cacheWrite, plainOutput, outputAudio, reasoning });
    if (fast !== undefined) return fast;
  }

  const parts = {
    input: add(tokens(p.input, undefined, uncached, prompt), tokens(p.inputAudio, p.input, inputAudio, prompt)),
    cacheRead: tokens(p.cacheRead, p.input, cacheRead, prompt),
    cacheWrite: tokens(p.cacheWrite, p.input, cacheWrite, prompt),
    output: add(tokens(p.output, undefined, plainOutput, prompt), tokens(p.outputAudio, p.output, outputAudio, prompt)),
    reasoning: tokens(p.reasoning, p.output, reasoning, prompt),
    request: p.perRequest ? scale(p.perRequest.price, 1, p.perRequest.per) : ZERO,
    units: ZERO,
  };

  const unpricedUnits: string[] = [];
  for (const [kind, qty] of Object.entries(opts.units ?? {})) {
    if (!(qty > 0)) continue;
    const u = p.units.get(kind as UnitKind);
    if (!u) {
      unpricedUnits.push(kind);
      continue;
    }
    parts.units = add(parts.units, scale(u.price, qty, u.per));
  }

  const m = opts.multiplier === undefined ? undefined : parseDecimal(opts.multiplier, 'price multiplier');
  const apply = (f: Fraction): Fraction => (m ? mul(f, m) : f);
  const nanos = (f: Fraction): number => toSafeNanos(roundHalfUp(mul(apply(f), { num: 1_000_000_000n, den: 1n })));

  let total: Fraction = ZERO;
  for (const f of Object.values(parts)) total = add(total, f);

  const breakdown: CostBreakdown = {
    inputNanos: nanos(parts.input),
    cacheReadNanos: nanos(parts.cacheRead),
    cacheWriteNanos: nanos(parts.cacheWrite),
    outputNanos: nanos(parts.output),
    requestNanos: nanos(parts.request),
    unitsNanos: nanos(parts.units),
  };
  if (p.reasoning) breakdown.reasoningNanos = nanos(parts.reasoning);
  return { totalNanos: nanos(total), breakdown, unpricedUnits };
}

function hasUnits(units: Record<string, number> | undefined): boolean {
  if (units === undefined) return false;
  for (const k in units) if (units[k]! > 0) return true;
  return false;
}

interface TokenCounts {
  uncached: number;
  inputAudio: number;
  cacheRead: number;
  cacheWrite: number;
  plainOutput: number;
  outputAudio: number;
  reasoning: number;
}

/**
 * The same result in plain integers, for the common case where every rate
 * that applies is a whole number of nano-USD per token ($0.15/M = 150) and
 * no multiplier or unit applies: every term is then an exact integer, so
 * there is nothing to round and the fraction arithmetic (two BigInt
 * computations per request, reservation and settlement) would give the
 * same answer. Undefined when any rate is fractional or a sum leaves the
 * safe-integer range; the exact path takes over.
 */
function integerCost(p: ParsedPrice, prompt: number, c: TokenCounts): CostResult | undefined {
  const term = (rate: ParsedRate | undefined, fallback: ParsedRate | undefined, count: number): number | undefined => {
    if (count <= 0) return 0;
    const n = nanosAt(rate ?? fallback, prompt);
    return n === null ? 0 : n === undefined ? undefined : n * count;
  };
  const input = sum(term(p.input, undefined, c.uncached), term(p.inputAudio, p.input, c.inputAudio));
  const cacheRead = term(p.cacheRead, p.input, c.cacheRead);
  const cacheWrite = term(p.cacheWrite, p.input, c.cacheWrite);
  const output = sum(term(p.output, undefined, c.plainOutput), term(p.outputAudio, p.output, c.outputAudio));
  const reasoning = term(p.reasoning, p.output, c.reasoning);
  const request = p.perRequestNanos;
  if (input === undefined || cacheRead === undefined || cacheWrite === undefined || output === undefined || reasoning === undefined || request === undefined) return undefined;
  const total = input + cacheRead + cacheWrite + output + reasoning + request;
  if (!Number.isSafeInteger(total)) return undefined;
  const breakdown: CostBreakdown = { inputNanos: input, cacheReadNanos: cacheRead, cacheWriteNanos: cacheWrite, outputNanos: output, requestNanos: request, unitsNanos: 0 };
  if (p.reasoning) breakdown.reasoningNanos = reasoning;
  return { totalNanos: total, breakdown, unpricedUnits: [] };
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}
