import { describe, it, expect } from 'vitest';
import { calcPrice } from '@pydantic/genai-prices';
import { PriceBook } from '../../src/accounting/price-lookup.js';
import { parseDecimal, formatNanosAsUsd } from '../../src/accounting/exact-decimal.js';
import { perTokenToPerMillion } from '../../src/accounting/prices.js';
import { createPriceResolvers } from '../../src/accounting/price-resolvers.js';

describe('catalog prices (real @pydantic/genai-prices data)', () => {
  const book = new PriceBook();

  it('gpt-4o on openai: $2.50 input, $1.25 cached, $10 output per 1M', () => {
    const p = book.lookup({ provider: 'openai', model: 'gpt-4o' });
    expect(p).toMatchObject({ input: '2.5', cacheRead: '1.25', output: '10' });
    expect(p?.cacheWrite).toBeUndefined();
    expect(p?.units?.webSearches).toEqual({ usd: '10', per: 1000 });
    expect(p?.sources).toEqual([{ layer: 'catalog', provider: 'openai', model: 'gpt-4o' }]);
  });

  it('claude-sonnet-4 (dated id) on anthropic: $3 in, $3.75 cache write, $0.30 cache read, $15 out', () => {
    const p = book.lookup({ provider: 'anthropic', model: 'claude-sonnet-4-20250514' });
    expect(p).toMatchObject({ input: '3', cacheWrite: '3.75', cacheRead: '0.3', output: '15' });
  });

  it('keeps long-context tiers (gemini-2.5-pro: $1.25 → $2.50 above 200k prompt tokens)', () => {
    const p = book.lookup({ provider: 'google', model: 'gemini-2.5-pro' });
    expect(p?.input).toEqual({ base: '1.25', tiers: [{ start: 200000, price: '2.5' }] });
    expect(p?.output).toEqual({ base: '10', tiers: [{ start: 200000, price: '15' }] });
  });

  it('converts per-hour audio prices to per-second units exactly', () => {
    const p = book.lookup({ provider: 'groq', model: 'whisper-large-v3' });
    expect(p?.units?.audioSeconds).toEqual({ usd: '0.111', per: 3600 });
  });

  it('does not price a model its provider does not list, but matches by name for providers the catalog does not know', () => {
    expect(book.lookup({ provider: 'openai', model: 'my-private-model' })).toBeUndefined();
    expect(book.lookup({ provider: 'anthropic', model: 'gpt-4o' })).toBeUndefined();
    expect(book.lookup({ provider: 'my-custom-host', model: 'gpt-4o' })?.input).toBe('2.5');
    expect(book.lookup({ provider: 'azure-eu', pricingProviderId: 'openai', model: 'gpt-4o-mini' })?.input).toBe('0.15');
  });

  it('agrees with the library\'s own float total for a cached Anthropic call', () => {
    const lib = calcPrice({ input_tokens: 4740, cache_write_tokens: 4735, cache_read_tokens: 0, output_tokens: 255 }, 'claude-sonnet-4-20250514', { providerId: 'anthropic' });
    // 5×$3 + 4735×$3.75 + 255×$15, per 1M: $0.02159625
    expect(lib?.total_price).toBeCloseTo(0.02159625, 12);
  });
});

describe('override precedence', () => {
  it('deployment override > provider+model override > model override > model_info > catalog, field by field', () => {
    const book = new PriceBook({ overrides: [{ target: { model: 'gpt-4o' }, price: { output: '9' } }] });
    book.setDeployments([{ id: 'd1', modelInfo: { inputCostPerToken: 0.000002, outputCostPerToken: 0.000008 } }]);
    const q = { provider: 'openai', model: 'gpt-4o', deploymentId: 'd1' };

    let p = book.lookup(q)!;
    expect(p).toMatchObject({ input: '2', output: '9', cacheRead: '1.25' });
    expect(p.sources.map((s) => s.layer)).toEqual(['override', 'deployment', 'catalog']);

    book.setOverride({ provider: 'openai', model: 'gpt-4o' }, { output: '7.5' });
    p = book.lookup(q)!;
    expect(p.output).toBe('7.5');

    book.setOverride({ deploymentId: 'd1' }, { input: '1', output: '4' });
    p = book.lookup(q)!;
    expect(p).toMatchObject({ input: '1', output: '4', cacheRead: '1.25' });

    book.setOverride({ deploymentId: 'd1' }, { input: '1', output: '4', replace: true });
    p = book.lookup(q)!;
    expect(p.cacheRead).toBeUndefined();
    expect(p.sources).toEqual([{ layer: 'override', key: 'deployment:d1' }]);

    expect(book.deleteOverride({ deploymentId: 'd1' })).toBe(true);
    expect(book.lookup(q)!.output).toBe('7.5');
    // Another deployment of the same model is not affected by d1's model_info.
    expect(book.lookup({ provider: 'openai', model: 'gpt-4o', deploymentId: 'd2' })!.input).toBe('2.5');
  });

  it('prices a model the catalog does not know from model_info alone', () => {
    const book = new PriceBook();
    const p = book.lookup({ provider: 'custom', model: 'ft:my-model', modelInfo: { inputCostPerToken: 3e-7, outputCostPerToken: 0.0000012, costPerRequest: 0.001 } });
    expect(p).toMatchObject({ input: '0.3', output: '1.2', perRequest: { usd: '0.001', per: 1 } });
  });

  it('rejects a malformed override naming the field', () => {
    const book = new PriceBook();
    expect(() => book.setOverride({ model: 'x' }, { input: '2,50' })).toThrow(/price override \*\/x\.input/);
    expect(() => book.setOverride({ model: 'x' }, { input: '-1' })).toThrow(/input/);
    expect(() => book.setOverride({ model: 'x' }, { units: { images: { usd: '0.04', per: 0 } } })).toThrow(/units\.images\.per/);
  });
});

describe('exact decimals', () => {
  it('parses decimal text and float shortest forms exactly', () => {
    expect(parseDecimal('0.075')).toEqual({ num: 3n, den: 40n });
    expect(parseDecimal(2.5e-7)).toEqual({ num: 1n, den: 4_000_000n });
    expect(parseDecimal('1e3')).toEqual({ num: 1000n, den: 1n });
    expect(perTokenToPerMillion(0.0000025, 'x')).toBe('2.5');
    expect(perTokenToPerMillion(1.5e-8, 'x')).toBe('0.015');
    expect(() => parseDecimal('abc')).toThrow(/decimal/);
  });

  it('formats nanos as exact dollars', () => {
    expect(formatNanosAsUsd(123_000)).toBe('0.000123');
    expect(formatNanosAsUsd(25_000_000)).toBe('0.025');
    expect(formatNanosAsUsd(3_000_000_000)).toBe('3');
    expect(formatNanosAsUsd(0)).toBe('0');
  });
});

describe('createPriceResolvers', () => {
  const deployments = [
    { id: 'cheap', provider: 'openai', model: 'gpt-4o-mini', publicModel: 'smart' },
    { id: 'dear', provider: 'anthropic', model: 'claude-sonnet-4-20250514', publicModel: 'smart' },
    { id: 'mystery', provider: 'custom', model: 'unknown-model', publicModel: 'smart' },
    { id: 'only-mystery', provider: 'custom', model: 'unknown-model', publicModel: 'odd' },
  ];
  const r = createPriceResolvers(
    new PriceBook(),
    (pm) => deployments.filter((d) => d.publicModel === pm),
    (id) => deployments.find((d) => d.id === id),
  );
  const call = { publicModel: 'smart', endpoint: 'chat' as const, stream: false, estimatedInputTokens: 100 };

  it('holds at the dearest priced deployment of the public model', () => {
    expect(r.estimatePriceFor(call)?.sources[0]).toEqual({ layer: 'catalog', provider: 'anthropic', model: 'claude-sonnet-4-0' });
    expect(r.estimatePriceFor({ ...call, publicModel: 'odd' })).toBeUndefined();
  });

  it('prices the deployment that answered', () => {
    expect(r.priceFor({ status: 'ok', deployment: 'cheap', latencyMs: 1 })?.input).toBe('0.15');
    expect(r.priceFor({ status: 'ok', deployment: 'mystery', latencyMs: 1 })).toBeUndefined();
  });

  it('answers from memory per deployment, and sees every change to the book at once', () => {
    const book = new PriceBook();
    const fixed = createPriceResolvers(
      book,
      (pm) => deployments.filter((d) => d.publicModel === pm),
      (id) => deployments.find((d) => d.id === id),
    );
    const cheap = { status: 'ok' as const, deployment: 'cheap', latencyMs: 1 };
    expect(fixed.priceFor(cheap)?.input).toBe('0.15');
    expect(fixed.priceFor(cheap)?.input).toBe('0.15');
    book.setOverride({ deploymentId: 'cheap' }, { input: '9', output: '9' });
    expect(fixed.priceFor(cheap)?.input).toBe('9');
    book.setDeployments([{ id: 'mystery', modelInfo: { inputCostPerToken: 0.000002, outputCostPerToken: 0.000003 } }]);
    expect(fixed.priceFor({ status: 'ok', deployment: 'mystery', latencyMs: 1 })?.input).toBe('2');
    expect(fixed.estimatePriceFor({ ...call, publicModel: 'odd' })).toBeUndefined();
    book.deleteOverride({ deploymentId: 'cheap' });
    expect(fixed.priceFor(cheap)?.input).toBe('0.15');
    // Reported by the upstream as another model than the deployment's: priced as that model.
    expect(fixed.priceFor({ ...cheap, provider: 'openai', upstreamModel: 'gpt-4o' })?.input).toBe('2.5');
  });
});
