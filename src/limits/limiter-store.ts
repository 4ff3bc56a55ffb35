/**
 * The counters behind rate limits, as an interface: the in-memory store is
 * exact within one process; a Redis store (several instances) implements the
 * same contract with a script, so the interceptor never changes. Methods may
 * answer synchronously (memory: the hot path never awaits) or with a promise.
 */

export type LimitKind = 'rpm' | 'tpm' | 'parallel';

/** One owner whose requests share counters (a key, a team) and its current limits. */
export interface LimitSubject {
  /** Counter identity, stable across requests: "key:<id>", "team:<id>". */
  id: string;
  /** How messages name the owner: "key", "team". */
  label: string;
  /** Requests per rolling minute; undefined = unlimited. */
  rpm?: number;
  /** Tokens per rolling minute; undefined = unlimited. */
  tpm?: number;
  /** Requests in flight at once; undefined = unlimited. */
  maxParallel?: number;
}

/** One dimension of a subject after an acquire, for the x-ratelimit-* headers. */
export interface WindowState {
  limit: number;
  remaining: number;
  /** Until the window is back to its full capacity. */
  resetMs: number;
}

export interface SubjectState {
  subject: LimitSubject;
  requests?: WindowState;
  tokens?: WindowState;
}

/** Why an acquire was refused: every limit that would have been exceeded, first found first. */
export interface LimitBreach {
  subject: LimitSubject;
  kind: LimitKind;
  limit: number;
  /** tpm: what this request asked for and what the window already holds; parallel: requests in flight. */
  requested?: number;
  used?: number;
  /** When a retry can succeed as far as this limit goes; undefined when waiting cannot help or is unknown (parallel). */
  retryAfterMs?: number;
  /** tpm: the request alone is larger than the limit, so no wait helps. */
  tooLarge?: boolean;
}

/** Held by an admitted request; the only way to give back what it took. */
export interface LimitLease {
  /**
   * Frees the parallel slot and corrects the token charge to `actualTokens`
   * (a refund or an extra charge). Only the first call acts, so a finaliser
   * reached twice (error after abort) cannot release a slot twice.
   */
  release(actualTokens: number): void | Promise<void>;
}

export type Acquisition =
  | { ok: true; lease: LimitLease; states: SubjectState[] }
  | { ok: false; breaches: LimitBreach[]; states: SubjectState[] };

export interface LimiterStore {
  /**
   * Checks every subject's limits and, only if none would be exceeded,
   * counts one request, `tokens` estimated tokens and one in-flight request
   * against each — all or nothing, so a refusal consumes nothing.
   */
  acquire(subjects: readonly LimitSubject[], tokens: number): Acquisition | Promise<Acquisition>;
}
