/**
 * Rate limits around the upstream call: `admit` counts the request against
 * every limit of its caller (the key's rpm, tpm and parallel requests, the
 * team's rpm and tpm) or refuses with a 429 naming the limit; the finaliser
 * frees the parallel slot and corrects the token estimate to what the
 * upstream reported. Runs before accounting, so a limited request never
 * holds budget.
 */
import {
  GatewayError,
  type CallInfo,
  type CallOutcome,
  type Endpoint,
  type Finaliser,
  type Identity,
  type RequestContext,
  type RequestInterceptor,
} from '../spec/index.js';
import type { Acquisition, LimitBreach, LimiterStore, LimitSubject } from './limiter-store.js';
import { formatDuration, rateLimitHeaders } from './rate-limit-headers.js';

export interface RateLimitOptions {
  store: LimiterStore;
  /** The caller's limits, read from memory on every request so admin edits apply at once; empty = unlimited. */
  limitsFor: (identity: Identity) => readonly LimitSubject[];
  /** Output tokens charged up front when a generating request sets no max (default 1,024). */
  defaultOutputTokens?: number;
}

/** Endpoints whose answer is generated tokens; the others are charged their input only. */
const GENERATING: ReadonlySet<Endpoint> = new Set<Endpoint>(['chat', 'completions', 'messages', 'responses']);
/** A parallel slot frees when some request ends, which nobody can predict: suggest a short wait. */
const PARALLEL_RETRY_HINT_MS = 1000;

export class RateLimitInterceptor implements RequestInterceptor {
  readonly name = 'limits';
  private readonly defaultOutputTokens: number;

  constructor(private readonly opts: RateLimitOptions) {
    this.defaultOutputTokens = opts.defaultOutputTokens ?? 1024;
  }

  admit(ctx: RequestContext, call: CallInfo): Finaliser | void | Promise<Finaliser | void> {
    const identity = ctx.identity;
    if (!identity || identity.kind === 'master') return;
    const subjects = this.opts.limitsFor(identity);
    if (subjects.length === 0) return;
    const charge = this.estimate(call, subjects);
    const acquired = this.opts.store.acquire(subjects, charge);
    return acquired instanceof Promise ? acquired.then((a) => this.admitted(ctx, call, a)) : this.admitted(ctx, call, acquired);
  }

  /**
   * Estimated prompt plus the output cap. Without a cap the default is
   * charged, but never more than the tightest tpm leaves after the prompt:
   * an uncapped request must not be refused outright because of our own
   * guess (the finaliser corrects the charge to the real usage anyway).
   */
  private estimate(call: CallInfo, subjects: readonly LimitSubject[]): number {
    const input = Math.max(0, Math.ceil(call.estimatedInputTokens));
    if (call.maxOutputTokens !== undefined) return input + Math.max(0, call.maxOutputTokens);
    if (!GENERATING.has(call.endpoint)) return input;
    let room = this.defaultOutputTokens;
    for (const s of subjects) if (s.tpm !== undefined) room = Math.min(room, Math.max(0, s.tpm - input));
    return input + room;
  }

  private admitted(ctx: RequestContext, call: CallInfo, acquired: Acquisition): Finaliser {
    Object.assign(ctx.responseHeaders, rateLimitHeaders(acquired.states));
    if (!acquired.ok) throw refusal(ctx, acquired.breaches);
    const { lease } = acquired;
    return (_fctx, outcome) => lease.release(actualTokens(call, outcome));
  }
}

/** What the request really cost in tokens; without upstream usage, the best local figure. */
export function actualTokens(call: CallInfo, outcome: CallOutcome): number {
  const u = outcome.usage;
  if (u) return Math.max(u.totalTokens, u.inputTokens + u.outputTokens);
  // A failure that produced nothing consumed nothing upstream.
  if (outcome.status === 'error' && outcome.completionText === undefined) return 0;
  return Math.max(0, Math.ceil(call.estimatedInputTokens)) + Math.ceil((outcome.completionText ?? '').length / 4);
}

function refusal(ctx: RequestContext, breaches: readonly LimitBreach[]): GatewayError {
  const waits = breaches.map((b) => (b.kind === 'parallel' ? PARALLEL_RETRY_HINT_MS : b.retryAfterMs));
  // Every limit must clear before a retry can pass; a breach no wait can fix means no retry-after at all.
  const retryAfterMs = waits.some((w) => w === undefined) ? undefined : Math.max(...(waits as number[]));
  if (retryAfterMs !== undefined) ctx.responseHeaders['retry-after-ms'] = String(Math.ceil(retryAfterMs));
  const what = breaches.map(describe).join('; ');
  const when = retryAfterMs !== undefined ? ` Retry after ${formatDuration(retryAfterMs)}.` : '';
  return new GatewayError('rate_limited', {
    message: `Rate limit reached: ${what}.${when}`,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function describe(b: LimitBreach): string {
  const who = b.subject.label;
  switch (b.kind) {
    case 'rpm':
      return `${who} rpm limit of ${b.limit} requests per minute (${b.used ?? 0} used)`;
    case 'tpm':
      return b.tooLarge
        ? `${who} tpm limit of ${b.limit} tokens per minute is smaller than this request (${b.requested} tokens: estimated input plus max output); lower the max output tokens or raise the limit`
        : `${who} tpm limit of ${b.limit} tokens per minute (${b.used ?? 0} used, this request needs ${b.requested})`;
    case 'parallel':
      return `${who} parallel limit of ${b.limit} requests in flight (${b.used ?? 0} running)`;
  }
}
