/**
 * Admission times of the requests inside the rolling window (a sliding log).
 *
 * Why a log and not GCRA or two weighted fixed windows: "rpm 5" is read by
 * people as "never more than 5 requests in any 60 seconds", and only the log
 * is exact about that — GCRA with a burst of N lets up to 2N through in a
 * minute, weighted windows are approximate at their edges. Its memory is
 * bounded by the limit itself (a full log refuses), so it stays small.
 * Stored as a growable ring so dropping expired entries is O(1).
 */
export class RequestLog {
  private times: number[] = new Array<number>(4);
  private head = 0;
  private size = 0;

  constructor(private readonly windowMs: number) {}

  /** Drops entries that left the window; returns how many remain. */
  count(now: number): number {
    const cutoff = now - this.windowMs;
    while (this.size > 0 && this.at(0) <= cutoff) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
    return this.size;
  }

  push(now: number): void {
    if (this.size === this.times.length) this.grow();
    this.times[(this.head + this.size) % this.times.length] = now;
    this.size++;
  }

  /** Until `n` more entries have expired (n ≥ 1; assumes `count(now)` ran). */
  untilFreed(now: number, n: number): number {
    const i = Math.min(n, this.size) - 1;
    return i < 0 ? 0 : Math.max(0, this.at(i) + this.windowMs - now);
  }

  /** Until the newest entry expires and the window is empty again. */
  untilEmpty(now: number): number {
    return this.size === 0 ? 0 : Math.max(0, this.at(this.size - 1) + this.windowMs - now);
  }

  private at(i: number): number {
    return this.times[(this.head + i) % this.times.length]!;
  }

  private grow(): void {
    const next = new Array<number>(this.times.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.at(i);
    this.times = next;
    this.head = 0;
  }
}
