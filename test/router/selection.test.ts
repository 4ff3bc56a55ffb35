import { describe, expect, it } from 'vitest';
import {
  InMemoryDeploymentHealth,
  filterByTags,
  leastBusy,
  lowestCost,
  lowestLatency,
  lowestTier,
  roundRobin,
  usageBased,
  weightedRandom,
  type Deployment,
  type SelectionInput,
} from '../../src/router/index.js';
import { seeded } from './router-harness.js';

function dep(id: string, extra: Partial<Deployment> = {}): Deployment {
  return {
    id,
    publicModel: 'm',
    provider: 'openai',
    protocol: 'openai',
    target: { provider: 'openai', baseUrl: 'http://127.0.0.1:1/v1', model: id, auth: { kind: 'bearer' } },
    weight: 1,
    order: 1,
    tags: [],
    modelInfo: {},
    source: 'config',
    ...extra,
  };
}

function input(extra: Partial<SelectionInput> = {}): SelectionInput {
  return { random: seeded(42), health: new InMemoryDeploymentHealth(), now: Date.now(), stream: false, inputTokens: 100, outputTokens: 100, group: 'm', ...extra };
}

function counts(pick: () => Deployment | undefined, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const d = pick();
    if (d) out[d.id] = (out[d.id] ?? 0) + 1;
  }
  return out;
}

describe('selection strategies', () => {
  it('weighted random follows the weights (chi-square over 1,000 seeded picks)', () => {
    const ds = [dep('a', { weight: 1 }), dep('b', { weight: 3 }), dep('c', { weight: 6 })];
    const inp = input();
    const n = 1000;
    const got = counts(() => weightedRandom(ds, inp), n);
    const chi = ds.reduce((sum, d) => {
      const expected = (n * d.weight) / 10;
      return sum + ((got[d.id] ?? 0) - expected) ** 2 / expected;
    }, 0);
    // 2 degrees of freedom: p = 0.001 at 13.8. A broken weighting (uniform) scores in the hundreds.
    expect(chi).toBeLessThan(13.8);
  });

  it('priority tiers: only the lowest order is considered', () => {
    const ds = [dep('backup', { order: 2, weight: 100 }), dep('primary', { order: 1 })];
    expect(lowestTier(ds).map((d) => d.id)).toEqual(['primary']);
  });

  it('round robin cycles through the group in turn, one cursor per group', () => {
    const rr = roundRobin();
    const ds = [dep('a'), dep('b'), dep('c')];
    const seq = Array.from({ length: 6 }, () => rr(ds, input())?.id);
    expect(seq).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(rr(ds, input({ group: 'other' }))?.id).toBe('a');
  });

  it('least busy picks the deployment with the fewest requests in flight', () => {
    const health = new InMemoryDeploymentHealth();
    const now = Date.now();
    health.begin('a', now, 0, false);
    health.begin('a', now, 0, false);
    health.begin('b', now, 0, false);
    expect(leastBusy([dep('a'), dep('b'), dep('c')], input({ health }))?.id).toBe('c');
  });

  it('lowest latency tries unmeasured deployments first, then keeps to the fastest (TTFT for streams)', () => {
    const health = new InMemoryDeploymentHealth();
    const rules = { allowedFails: 3, cooldownTimeMs: 1000, soleDeployment: false };
    const ds = [dep('slow'), dep('fast')];
    health.begin('slow', Date.now(), 0, false);
    health.end('slow', { ok: true, latencyMs: 300, stream: false }, rules, Date.now());
    expect(lowestLatency(ds, input({ health }))?.id).toBe('fast');
    health.begin('fast', Date.now(), 0, false);
    health.end('fast', { ok: true, latencyMs: 20, stream: false }, rules, Date.now());
    expect(counts(() => lowestLatency(ds, input({ health })), 20)).toEqual({ fast: 20 });
    health.begin('slow', Date.now(), 0, false);
    health.end('slow', { ok: true, latencyMs: 5, stream: true }, rules, Date.now());
    expect(lowestLatency(ds, input({ health, stream: true }))?.id).toBe('slow');
  });

  it('usage based keeps each deployment under its rpm/tpm and prefers the most headroom', () => {
    const health = new InMemoryDeploymentHealth();
    const now = Date.now();
    const ds = [dep('small', { rpm: 2 }), dep('big', { rpm: 100 }), dep('tokens', { tpm: 1000 })];
    for (let i = 0; i < 2; i++) health.begin('small', now, 10, false);
    for (let i = 0; i < 10; i++) health.begin('big', now, 10, false);
    health.begin('tokens', now, 950, false);
    // small is full (2/2), tokens would pass its tpm (950 + 100 > 1000): only big is left.
    expect(usageBased(ds, input({ health, now }))?.id).toBe('big');
    expect(usageBased([dep('small', { rpm: 2 })], input({ health, now }))).toBeUndefined();
  });

  it('lowest cost uses the injected price function, then model_info prices; unpriced comes last', () => {
    const ds = [dep('unpriced'), dep('pricey', { modelInfo: { inputCostPerToken: 1e-5, outputCostPerToken: 3e-5 } }), dep('cheap', { modelInfo: { inputCostPerToken: 1e-7, outputCostPerToken: 4e-7 } })];
    expect(lowestCost(ds, input())?.id).toBe('cheap');
    const costOf = (d: Deployment) => (d.id === 'unpriced' ? 0 : undefined);
    expect(lowestCost(ds, input({ costOf }))?.id).toBe('unpriced');
  });
});

describe('tag routing (LiteLLM semantics)', () => {
  const ds = [dep('free', { tags: ['free'] }), dep('paid', { tags: ['paid', 'eu'] }), dep('fallback', { tags: ['default'] })];
  it('a tagged request goes only to deployments carrying all its tags', () => {
    expect(filterByTags(ds, ['paid', 'eu'], 'm').map((d) => d.id)).toEqual(['paid']);
  });
  it('with no match it goes to the default-tagged ones; untagged requests too', () => {
    expect(filterByTags(ds, ['paid', 'us'], 'm').map((d) => d.id)).toEqual(['fallback']);
    expect(filterByTags(ds, [], 'm').map((d) => d.id)).toEqual(['fallback']);
  });
  it('no match and no default is a 400 naming the tags', () => {
    expect(() => filterByTags([dep('a', { tags: ['x'] })], ['y'], 'm')).toThrow(expect.objectContaining({ status: 400, param: 'tags' }));
  });
});

describe('deployment health', () => {
  const rules = { allowedFails: 1, cooldownTimeMs: 50, soleDeployment: false };
  const fail = (code = 'upstream_error', immediate = false) => ({ ok: false as const, latencyMs: 1, stream: false, code, countsAgainst: true, immediate });

  it('cools down after more than allowed_fails, then lets exactly one probe through', () => {
    const h = new InMemoryDeploymentHealth();
    const t = 1_000_000;
    h.begin('a', t, 0, false);
    h.end('a', fail(), rules, t);
    expect(h.availability('a', t)).toBe('available');
    h.begin('a', t, 0, false);
    h.end('a', fail(), rules, t);
    expect(h.availability('a', t + 10)).toBe('unavailable');
    expect(h.stats('a', t + 10)).toMatchObject({ state: 'cooldown', cooldownUntil: t + 50, lastErrorCode: 'upstream_error' });
    expect(h.availability('a', t + 60)).toBe('probe');
    h.begin('a', t + 60, 0, true);
    expect(h.availability('a', t + 61)).toBe('unavailable');
    h.end('a', { ok: true, latencyMs: 5, stream: false }, rules, t + 65);
    expect(h.stats('a', t + 65).state).toBe('healthy');
  });

  it('a failed probe re-opens the cooldown; a 429 cools at once for at least its Retry-After', () => {
    const h = new InMemoryDeploymentHealth();
    const t = 2_000_000;
    h.begin('a', t, 0, false);
    h.end('a', { ...fail('upstream_rate_limited', true), retryAfterMs: 200 }, rules, t);
    expect(h.stats('a', t).cooldownUntil).toBe(t + 200);
    expect(h.availability('a', t + 201)).toBe('probe');
    h.begin('a', t + 201, 0, true);
    h.end('a', fail(), rules, t + 202);
    expect(h.stats('a', t + 203)).toMatchObject({ state: 'cooldown', cooldownUntil: t + 252 });
  });

  it('a sole deployment never cools down; client mistakes never count', () => {
    const h = new InMemoryDeploymentHealth();
    const t = 3_000_000;
    for (let i = 0; i < 5; i++) h.end('a', fail('upstream_rate_limited', true), { ...rules, soleDeployment: true }, t);
    expect(h.availability('a', t)).toBe('available');
    for (let i = 0; i < 5; i++) h.end('b', { ...fail('upstream_bad_request'), countsAgainst: false }, rules, t);
    expect(h.stats('b', t)).toMatchObject({ state: 'healthy', failures: 0, lastErrorCode: 'upstream_bad_request' });
  });
});
