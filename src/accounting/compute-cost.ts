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
  tiers: { start: number; price: Fraction }[];
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
  units: Map<string, { price: Fraction; per: number }>;
}

// Prices are immutable once looked up; parse each decimal once, not per request.
const parsedCache = new WeakMap<ModelPrice, ParsedPrice>();

function parseRate(r: TokenRate | undefined): ParsedRate | undefined {
  if (r === undefined) return undefined;
  if (typeof r === 'string') return { base: parseDecimal(r), tiers: [] };
  return { base: parseDecimal(r.base), tiers: [...r.tiers].sort((a, b) => a.start - b.start).map((t) => ({ start: t.start, price: parseDecimal(t.price) })) };
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
      units: new Map(Object.entries(price.units ?? {}).flatMap(([k, u]) => (u ? [[k, parseUnit(u)] as const] : []))),
    };
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
