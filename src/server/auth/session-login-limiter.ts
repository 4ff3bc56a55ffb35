import { GatewayError } from '../../spec/index.js';

const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 5;
const MAX_ENTRIES = 50_000;

interface Failures {
  count: number;
  firstAt: number;
}

/**
 * Slows password guessing: after 5 failed sign-ins for one (login, client IP)
 * pair within 15 minutes, that pair is refused with a 429 until the window
 * ends. Kept in memory; bounded so a flood of made-up names cannot grow it
 * without limit. The memory-hard hash already makes each guess expensive.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly now: () => number = Date.now,
    readonly maxFailures = MAX_FAILURES,
    readonly windowMs = WINDOW_MS,
  ) {}

  /** Throws a 429 with Retry-After when this pair is locked out. */
  check(login: string, ip: string): void {
    const f = this.current(keyOf(login, ip));
    if (f && f.count >= this.maxFailures) {
      const retryAfterMs = f.firstAt + this.windowMs - this.now();
      throw new GatewayError('rate_limited', {
        message: `Too many failed sign-ins for this user from this address. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
        retryAfterMs,
      });
    }
  }

  fail(login: string, ip: string): void {
    const key = keyOf(login, ip);
    const f = this.current(key);
    if (f) f.count++;
    else {
      if (this.failures.size >= MAX_ENTRIES) this.prune();
      this.failures.set(key, { count: 1, firstAt: this.now() });
    }
  }

  succeed(login: string, ip: string): void {
    this.failures.delete(keyOf(login, ip));
  }

  private current(key: string): Failures | undefined {
    const f = this.failures.get(key);
    if (f && f.firstAt + this.windowMs <= this.now()) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, f] of this.failures) if (f.firstAt + this.windowMs <= now) this.failures.delete(k);
    // Still full of live entries: drop the oldest half rather than grow.
    if (this.failures.size >= MAX_ENTRIES) {
      let drop = Math.floor(this.failures.size / 2);
      for (const k of this.failures.keys()) {
        if (drop-- <= 0) break;
        this.failures.delete(k);
      }
    }
  }
}

function keyOf(login: string, ip: string): string {
  return `${login.trim().toLowerCase()}\u0000${ip}`;
}
