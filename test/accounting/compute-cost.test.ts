import { describe, it, expect } from 'vitest';
import { computeCost } from '../../src/accounting/compute-cost.js';
import { PriceBook } from '../../src/accounting/price-lookup.js';
import { reservationNanos } from '../../src/accounting/reservation-size.js';
import type { ModelPrice } from '../../src/accounting/prices.js';

const book = new PriceBook();
const gpt4o = book.lookup({ provider: 'openai', model: 'gpt-4o' })!;
const sonnet = book.lookup({ provider: 'anthropic', model: 'claude-sonnet-4-20250514' })!;
const usage = (inputTokens: number, outputTokens: number, extra: Record<string, number> = {}) => ({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...extra });

describe('computeCost, hand-computed', () => {
  it('gpt-4o with cached prompt tokens', () => {
    // 6,000 uncached × $2.50/M = $0.015; 4,000 cached × $1.25/M = $0.005; 500 out × $10/M = $0.005
    const c = computeCost(usage(10_000, 500, { cacheReadTokens: 4_000 }), gpt4o);
    expect(c.breakdown).toEqual({ inputNanos: 15_000_000, cacheReadNanos: 5_000_000, cacheWriteNanos: 0, outputNanos: 5_000_000, requestNanos: 0, unitsNanos: 0 });
    expect(c.totalNanos).toBe(25_000_000);
  });

  it('claude-sonnet-4 with cache writes and reads', () => {
    // input 6,000 = 265 uncached + 1,000 read + 4,735 written
    // 265×$3 = 795,000n; 1,000×$0.30 = 300,000n; 4,735×$3.75 = 17,756,250n; 255×$15 = 3,825,000n (per 1M, in nanos)
    const c = computeCost(usage(6_000, 255, { cacheReadTokens: 1_000, cacheWriteTokens: 4_735 }), sonnet);
    expect(c.breakdown).toMatchObject({ inputNanos: 795_000, cacheReadNanos: 300_000, cacheWriteNanos: 17_756_250, outputNanos: 3_825_000 });
    expect(c.totalNanos).toBe(22_676_250);
  });

  it('applies a team multiplier exactly, before the single rounding', () => {
    expect(computeCost(usage(10_000, 500, { cacheReadTokens: 4_000 }), gpt4o, { multiplier: '1.2' }).totalNanos).toBe(30_000_000);
    expect(computeCost(usage(10_000, 500, { cacheReadTokens: 4_000 }), gpt4o, { multiplier: 0.8 }).totalNanos).toBe(20_000_000);
    // 22,676,250 × 1.1 = 24,943,875
    expect(computeCost(usage(6_000, 255, { cacheReadTokens: 1_000, cacheWriteTokens: 4_735 }), sonnet, { multiplier: '1.1' }).totalNanos).toBe(24_943_875);
  });

  it('rounds once per request, half up, not once per part', () => {
    // $0.0001 per 1M tokens = 0.1 nano per token
    const tiny: ModelPrice = { input: '0.0001', output: '0.0001', sources: [] };
    const c = computeCost(usage(4, 4), tiny);
    expect(c.breakdown.inputNanos).toBe(0); // 0.4 alone rounds down…
    expect(c.totalNanos).toBe(1); // …but 0.4 + 0.4 = 0.8 rounds to 1
    expect(computeCost(usage(5, 0), tiny).totalNanos).toBe(1); // 0.5 → 1
    expect(computeCost(usage(14, 0), tiny).totalNanos).toBe(1); // 1.4 → 1
    // no float drift: 3 × 0.1 nano three million times is exactly 900,000 nanos
    expect(computeCost(usage(9_000_000, 0), tiny).totalNanos).toBe(900_000);
  });

  it('prices reasoning at the output rate unless there is a separate rate', () => {
    const o3 = book.lookup({ provider: 'openai', model: 'o3' })!;
    const c = computeCost(usage(0, 1_000, { reasoningTokens: 800 }), o3);
    expect(c.totalNanos).toBe(8_000_000); // 1,000 × $8/M
    expect(c.breakdown.reasoningNanos).toBeUndefined();

    const split: ModelPrice = { ...o3, reasoning: '4' };
    const s = computeCost(usage(0, 1_000, { reasoningTokens: 800 }), split);
    expect(s.breakdown.outputNanos).toBe(1_600_000); // 200 × $8/M
    expect(s.breakdown.reasoningNanos).toBe(3_200_000); // 800 × $4/M
    expect(s.totalNanos).toBe(4_800_000);
  });

  it('uses the long-context tier for every token once the prompt passes it', () => {
    const gem = book.lookup({ provider: 'google', model: 'gemini-2.5-pro' })!;
    expect(computeCost(usage(100_000, 1_000), gem).totalNanos).toBe(125_000_000 + 10_000_000);
    expect(computeCost(usage(250_000, 1_000), gem).totalNanos).toBe(625_000_000 + 15_000_000);
  });

  it('charges cache tokens at the input rate when the model has no cache price', () => {
    const p: ModelPrice = { input: '1', output: '2', sources: [] };
    expect(computeCost(usage(1_000, 0, { cacheReadTokens: 400, cacheWriteTokens: 100 }), p).totalNanos).toBe(1_000_000);
  });

  it('adds per-request and per-unit prices, and names units it cannot price', () => {
    const whisper = book.lookup({ provider: 'groq', model: 'whisper-large-v3' })!;
    const w = computeCost(usage(0, 0), whisper, { units: { audioSeconds: 36, images: 2 } });
    expect(w.breakdown.unitsNanos).toBe(1_110_000); // 36 s × $0.111/h
    expect(w.unpricedUnits).toEqual(['images']);

    const c = computeCost(usage(1_000, 0), { ...gpt4o, perRequest: { usd: '0.001', per: 1 } }, { units: { webSearches: 3 } });
    expect(c.breakdown.requestNanos).toBe(1_000_000);
    expect(c.breakdown.unitsNanos).toBe(30_000_000); // 3 × $10/1000
    expect(c.totalNanos).toBe(2_500_000 + 1_000_000 + 30_000_000);
  });

  it('clamps inconsistent cache counts instead of billing negative tokens', () => {
    const c = computeCost(usage(100, 0, { cacheReadTokens: 500 }), gpt4o);
    expect(c.breakdown.inputNanos).toBe(0);
    expect(c.breakdown.cacheReadNanos).toBe(125_000); // all 100 tokens at the cached rate
  });

  it('sizes a reservation from the prompt estimate plus the output cap', () => {
    // 1,000 in × $2.50/M + 4,096 out × $10/M = 2,500,000 + 40,960,000
    expect(reservationNanos(gpt4o, { estimatedInputTokens: 1_000 })).toBe(43_460_000);
    expect(reservationNanos(gpt4o, { estimatedInputTokens: 1_000, maxOutputTokens: 100 })).toBe(3_500_000);
    expect(reservationNanos(gpt4o, { estimatedInputTokens: 1_000, maxOutputTokens: 100 }, { multiplier: '2' })).toBe(7_000_000);
  });
});

describe('computeCost, integer fast path', () => {
  // A multiplier of exactly 1 takes the BigInt fraction path; the same call without one may take the integer path.
  const exact = (u: ReturnType<typeof usage>, p: ModelPrice) => computeCost(u, p, { multiplier: '1' });

  /** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
  function rng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('gives exactly what the fraction path gives, for whole and fractional rates, tiers and per-request fees', () => {
    const rand = rng(42);
    // Whole nanos per token (0.15 → 150) and fractional ones (0.0375 → 37.5 nanos), some awkward.
    const whole = ['0.15', '2.5', '3.75', '10', '0.3', '60', '0.075'];
    const fractional = ['0.0375', '0.000123', '1.23456', '15.000001'];
    let allWhole = true;
    const pick = () => {
      const frac = rand() < 0.25;
      if (frac) allWhole = false;
      const list = frac ? fractional : whole;
      return list[Math.floor(rand() * list.length)]!;
    };
    let wholeCases = 0;
    for (let i = 0; i < 3000; i++) {
      allWhole = true;
      const price = {
        source: 'catalog',
        input: rand() < 0.3 ? { base: pick(), tiers: [{ start: 200_000, price: pick() }] } : pick(),
        output: pick(),
        ...(rand() < 0.5 && { cacheRead: pick() }),
        ...(rand() < 0.3 && { cacheWrite: pick() }),
        ...(rand() < 0.2 && { reasoning: pick() }),
        ...(rand() < 0.1 && { perRequest: { usd: rand() < 0.5 ? '0.01' : '0.0000000003', per: 1 } }),
      } as unknown as ModelPrice;
      const input = Math.floor(rand() * 400_000);
      const u = usage(input, Math.floor(rand() * 50_000), {
        cacheReadTokens: Math.floor(rand() * input),
        cacheWriteTokens: Math.floor(rand() * 1000),
        reasoningTokens: Math.floor(rand() * 2000),
      });
      const fast = computeCost(u, price);
      expect(fast).toEqual(exact(u, price));
      if (allWhole) wholeCases++;
    }
    expect(wholeCases).toBeGreaterThan(300); // prices the integer path takes were drawn often
  });

  it('real catalog prices agree too, including huge counts near the safe-integer limit', () => {
    for (const p of [gpt4o, sonnet]) {
      for (const u of [usage(0, 0), usage(1, 1), usage(123_457, 9_999, { cacheReadTokens: 100_000 }), usage(2 ** 30, 2 ** 30)]) {
        expect(computeCost(u, p)).toEqual(exact(u, p));
      }
      // Past the safe range both paths refuse rather than bill a rounded amount.
      expect(() => computeCost(usage(2 ** 40, 2 ** 40), p)).toThrow(RangeError);
      expect(() => exact(usage(2 ** 40, 2 ** 40), p)).toThrow(RangeError);
    }
  });
});
