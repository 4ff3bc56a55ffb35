import { describe, expect, it } from 'vitest';
import { aggregate, median } from '../lib/aggregate.mjs';

const wrk = (round, rps, cpu, extra = {}) => ({ round, c: 32, rps, requests: rps * 4, p50_ms: 1, p90_ms: 2, p99_ms: 3, proxy_cpu_s_per_1k: cpu, proxy_cpu_util: 0.9, foreign_cores: 0.1, errors: 0, non2xx: 0, ...extra });
const phases = [{ key: 'c32', c: 32 }];

describe('aggregate', () => {
  it('takes medians, including an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, null])).toBeNull();
  });

  it('pairs each round with bare before taking the median of the ratios', () => {
    // Round 2 ran while the box was busy: both rows slowed; the paired ratio stays 0.5.
    const bare = { target: 'bare', samples: { c32: [wrk(1, 1000, 0.1), wrk(2, 400, 0.25), wrk(3, 1000, 0.1)] } };
    const sy = { target: 'switchyard-fast', samples: { c32: [wrk(1, 500, 0.2), wrk(2, 200, 0.5), wrk(3, 500, 0.2)] } };
    aggregate([bare, sy], phases);
    const p = sy.phases[0];
    expect(p.vs_bare.rps).toBe(0.5);
    expect(p.vs_bare.cpu).toBe(2);
    expect(p.rps).toBe(500);
    expect([p.rps_min, p.rps_max]).toEqual([200, 500]);
    expect(p.requests).toBe(4800);
    expect(bare.phases[0].vs_bare).toEqual({ rps: null, cpu: null });
  });

  it('leaves failed rounds out and reports a phase that never succeeded', () => {
    const bare = { target: 'bare', samples: { c32: [wrk(1, 1000, 0.1), { round: 2, error: 'wrk failed' }] } };
    const broken = { target: 'x', samples: { c32: [{ round: 1, error: 'wrk failed: boom' }] } };
    aggregate([bare, broken], phases);
    expect(bare.phases[0].rounds).toBe(1);
    expect(broken.phases[0]).toMatchObject({ c: 32, error: 'wrk failed: boom' });
  });
});
