/**
 * Counts over the last 60 seconds in one-second buckets: O(1) to add and at
 * most 60 steps to read, with no timers and no per-event allocation. Used
 * for RPM/TPM headroom and for "fails within the last minute".
 */
export class MinuteWindow {
  private readonly counts = new Float64Array(60);
  private readonly stamps = new Float64Array(60).fill(-1);
  /** The last total and the second it was summed for: strategies read totals far more often than a second passes. */
  private cachedSecond = -1;
  private cached = 0;

  add(amount: number, now: number): void {
    const second = Math.floor(now / 1000);
    const i = second % 60;
    if (this.stamps[i] !== second) {
      this.stamps[i] = second;
      this.counts[i] = 0;
    }
    this.counts[i] = (this.counts[i] as number) + amount;
    if (this.cachedSecond === second) this.cached += amount;
  }

  /** Sum over the 60 seconds up to `now` (buckets older than that are ignored, not cleared). */
  total(now: number): number {
    const second = Math.floor(now / 1000);
    if (second === this.cachedSecond) return this.cached;
    let sum = 0;
    for (let i = 0; i < 60; i++) {
      const stamp = this.stamps[i] as number;
      if (stamp > second - 60 && stamp <= second) sum += this.counts[i] as number;
    }
    this.cachedSecond = second;
    this.cached = sum;
    return sum;
  }

  clear(): void {
    this.cachedSecond = -1;
    this.stamps.fill(-1);
    this.counts.fill(0);
  }
}

/** Exponentially weighted moving average: recent samples count most, one slow outlier fades. */
export function ewma(previous: number | undefined, sample: number, alpha = 0.25): number {
  return previous === undefined ? sample : previous + alpha * (sample - previous);
}

/** A bounded ring of recent samples, for percentiles (p95 time to first token). */
export class SampleRing {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly size = 200) {}

  push(v: number): void {
    if (this.values.length < this.size) this.values.push(v);
    else this.values[this.next] = v;
    this.next = (this.next + 1) % this.size;
  }

  get count(): number {
    return this.values.length;
  }

  /** Nearest-rank percentile (0 < p ≤ 1); undefined when empty. */
  percentile(p: number): number | undefined {
    if (this.values.length === 0) return undefined;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return sorted[rank];
  }
}
