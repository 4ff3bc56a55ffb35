import type { Acquisition, LimitBreach, LimiterStore, LimitLease, LimitSubject, SubjectState } from './limiter-store.js';
import { RequestLog } from './request-log.js';
import { TokenWindow } from './token-window.js';

export interface MemoryLimiterOptions {
  /** Injected clock (tests); default Date.now. */
  now?: () => number;
  /** Length of the rolling window; default one minute (what rpm and tpm mean). */
  windowMs?: number;
}

interface Counters {
  requests?: RequestLog;
  tokens?: TokenWindow;
  /** Every admitted request of this subject still running, whether or not it has a parallel limit now (limits change at run time). */
  inFlight: number;
  lastUsed: number;
}

/**
 * Rate-limit counters in this process: exact for one instance, and atomic
 * because an acquire runs to completion on the event loop. Several
 * instances each count their own traffic until the Redis store replaces
 * this one. Memory stays bounded: a subject idle for a whole window with
 * nothing in flight is forgotten by a sweep that runs at most once a window.
 */
export class MemoryLimiterStore implements LimiterStore {
  private readonly counters = new Map<string, Counters>();
  private readonly now: () => number;
  readonly windowMs: number;
  private lastSweep: number;

  constructor(opts: MemoryLimiterOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.windowMs = opts.windowMs ?? 60_000;
    this.lastSweep = this.now();
  }

  /** Subjects currently tracked (tests check that idle ones expire). */
  get size(): number {
    return this.counters.size;
  }

  /** Requests of a subject still holding their lease. */
  inFlight(subjectId: string): number {
    return this.counters.get(subjectId)?.inFlight ?? 0;
  }

  acquire(subjects: readonly LimitSubject[], tokens: number): Acquisition {
    const now = this.now();
    this.sweep(now);
    const breaches: LimitBreach[] = [];
    for (const s of subjects) this.check(s, this.counters.get(s.id), now, tokens, breaches);
    if (breaches.length > 0) return { ok: false, breaches, states: subjects.map((s) => this.state(s, this.counters.get(s.id), now)) };

    const held: { counters: Counters; slot?: number }[] = [];
    for (const s of subjects) {
      const c = this.countersFor(s.id, now);
      c.inFlight++;
      if (s.rpm !== undefined) (c.requests ??= new RequestLog(this.windowMs)).push(now);
      held.push(s.tpm !== undefined ? { counters: c, slot: (c.tokens ??= new TokenWindow(this.windowMs)).charge(now, tokens) } : { counters: c });
    }
    let released = false;
    const lease: LimitLease = {
      release: (actualTokens) => {
        if (released) return;
        released = true;
        const at = this.now();
        for (const h of held) {
          h.counters.inFlight--;
          h.counters.lastUsed = at;
          if (h.slot !== undefined) h.counters.tokens?.correct(at, h.slot, actualTokens - tokens);
        }
      },
    };
    return { ok: true, lease, states: subjects.map((s) => this.state(s, this.counters.get(s.id), now)) };
  }

  private check(s: LimitSubject, c: Counters | undefined, now: number, tokens: number, out: LimitBreach[]): void {
    if (s.rpm !== undefined) {
      const used = c?.requests?.count(now) ?? 0;
      if (used + 1 > s.rpm) {
        // A limit of 0 refuses everything: no wait helps.
        const retryAfterMs = s.rpm >= 1 && c?.requests ? c.requests.untilFreed(now, used + 1 - s.rpm) : undefined;
        out.push({ subject: s, kind: 'rpm', limit: s.rpm, used, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
      }
    }
    if (s.tpm !== undefined) {
      const used = c?.tokens?.used(now) ?? 0;
      if (tokens > s.tpm) {
        out.push({ subject: s, kind: 'tpm', limit: s.tpm, requested: tokens, used, tooLarge: true });
      } else if (used + tokens > s.tpm) {
        const retryAfterMs = c?.tokens ? c.tokens.untilFreed(now, used + tokens - s.tpm) : 0;
        out.push({ subject: s, kind: 'tpm', limit: s.tpm, requested: tokens, used, retryAfterMs });
      }
    }
    if (s.maxParallel !== undefined && (c?.inFlight ?? 0) + 1 > s.maxParallel) {
      out.push({ subject: s, kind: 'parallel', limit: s.maxParallel, used: c?.inFlight ?? 0 });
    }
  }

  private state(s: LimitSubject, c: Counters | undefined, now: number): SubjectState {
    const out: SubjectState = { subject: s };
    if (s.rpm !== undefined) {
      const used = c?.requests?.count(now) ?? 0;
      out.requests = { limit: s.rpm, remaining: Math.max(0, s.rpm - used), resetMs: c?.requests?.untilEmpty(now) ?? 0 };
    }
    if (s.tpm !== undefined) {
      const used = c?.tokens?.used(now) ?? 0;
      out.tokens = { limit: s.tpm, remaining: Math.max(0, s.tpm - used), resetMs: c?.tokens?.untilEmpty(now) ?? 0 };
    }
    return out;
  }

  private countersFor(id: string, now: number): Counters {
    let c = this.counters.get(id);
    if (!c) {
      c = { inFlight: 0, lastUsed: now };
      this.counters.set(id, c);
    } else c.lastUsed = now;
    return c;
  }

  /** Forgets subjects with nothing in flight and nothing left in their window; amortised to one scan per window. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [id, c] of this.counters) {
      if (c.inFlight === 0 && now - c.lastUsed >= this.windowMs) this.counters.delete(id);
    }
  }
}
