/**
 * Budgets around the upstream call. `admit` (synchronous) holds an estimate
 * on every account of the caller — key, user, team, the user's credit
 * balance — or refuses with the budget named; the finaliser prices what the
 * upstream actually produced, settles the hold, sets the cost headers and
 * records the ledger row before the response is completed.
 */
import {
  addWarning,
  GatewayError,
  type CallInfo,
  type CallOutcome,
  type ChatRequest,
  type Finaliser,
  type Identity,
  type RequestContext,
  type RequestInterceptor,
  type Usage,
} from '../spec/index.js';
import type { AccountRef, BudgetBook, Reservation } from './budget-book.js';
import { computeCost } from './compute-cost.js';
import { countTokensOffThread } from './count-tokens.js';
import { sharedTokenCounter, type TokenCounter } from './token-counter.js';
import { formatNanosAsUsd } from './exact-decimal.js';
import type { LedgerRecorder, LedgerRow } from './ledger-row.js';
import type { ModelPrice } from './prices.js';
import { reservationNanos } from './reservation-size.js';

export const COST_HEADER = 'x-switchyard-cost';
export const KEY_REMAINING_HEADER = 'x-switchyard-key-remaining-budget';
/** Set by the response cache when it answered; the ledger marks the row a cache hit. */
export const CACHE_HEADER = 'x-switchyard-cache';

/** Text to count when the upstream reports no usage (the router/stream relay notes it). */
export interface UsageText {
  /** The request as sent upstream (its messages are counted), or the prompt as plain text. */
  prompt?: ChatRequest | string;
  /** What the model produced so far (all choices concatenated). */
  completion?: string;
}

export interface AccountingOptions {
  book: BudgetBook;
  ledger?: LedgerRecorder;
  /** Price of the deployment that answered (`outcome.deployment`/`provider`/`upstreamModel`). */
  priceFor: (outcome: CallOutcome, ctx: RequestContext) => ModelPrice | undefined;
  /**
   * Price used to size the hold before routing picks a deployment; return
   * the dearest deployment of the public model so the hold is an upper bound.
   */
  estimatePriceFor: (call: CallInfo, ctx: RequestContext) => ModelPrice | undefined;
  /** Config `accounting.unknownPrice`: refuse (400 price_unknown) or serve at zero cost with a warning. */
  unknownPrice: 'refuse' | 'zero';
  /** Output tokens assumed when the client sets no max (default 4,096). */
  defaultOutputCapTokens?: number;
  /** Team price multiplier, exact decimal; undefined = 1. */
  multiplierFor?: (identity: Identity) => string | number | undefined;
  /** Off-thread tokenizer for usage-less outcomes (default: the process-wide one). */
  counter?: TokenCounter;
}

export class AccountingInterceptor implements RequestInterceptor {
  readonly name = 'accounting';
  private readonly texts = new WeakMap<RequestContext, UsageText>();

  private readonly counter: TokenCounter;

  constructor(private readonly opts: AccountingOptions) {
    this.counter = opts.counter ?? sharedTokenCounter;
  }

  /** Notes the text to count if the outcome arrives without usage; later calls merge into earlier ones. */
  noteText(ctx: RequestContext, text: UsageText): void {
    this.texts.set(ctx, { ...this.texts.get(ctx), ...text });
  }

  admit(ctx: RequestContext, call: CallInfo): Finaliser {
    const identity = ctx.identity;
    const multiplier = identity ? this.opts.multiplierFor?.(identity) : undefined;
    const estimatePrice = this.opts.estimatePriceFor(call, ctx);
    let amount = 0;
    if (estimatePrice) {
      amount = reservationNanos(estimatePrice, call, { defaultOutputCapTokens: this.opts.defaultOutputCapTokens, multiplier });
    } else if (this.opts.unknownPrice === 'refuse') {
      throw new GatewayError('price_unknown', {
        message: `No price is known for model '${call.publicModel}', and this gateway refuses unpriced models. Set model_info costs for its deployments or add a price override.`,
        param: 'model',
      });
    } else {
      addWarning(ctx, `no price is known for model '${call.publicModel}'; served at zero cost`);
    }

    const result = this.opts.book.reserve(accountRefs(identity), amount);
    if (!result.ok) throw new GatewayError(result.refusal.code, { message: result.refusal.message });
    const reservation = result.reservation;
    let finished = false;
    return (fctx, outcome) => {
      if (finished) return;
      finished = true;
      return this.finish(fctx, call, outcome, reservation, multiplier);
    };
  }

  /**
   * Settles the hold and records the row. The budget is settled at once
   * when the upstream reported usage (the common case); when tokens must be
   * counted locally the count runs off-thread first. The returned promise
   * settles once the ledger row is journaled.
   */
  private finish(ctx: RequestContext, call: CallInfo, outcome: CallOutcome, reservation: Reservation, multiplier: string | number | undefined): void | Promise<void> {
    const notes: string[] = [];
    if (outcome.usage) return this.settle(ctx, call, outcome, reservation, multiplier, outcome.usage, outcome.usageSource === 'estimated' ? 'counted' : 'upstream', notes);
    // Text noted by a caller, else what the server saw stream past (set only when no usage arrived).
    const noted = this.texts.get(ctx);
    const text = outcome.completionText !== undefined ? { ...noted, completion: noted?.completion ?? outcome.completionText } : noted;
    if (text?.prompt !== undefined || text?.completion !== undefined) {
      const model = outcome.upstreamModel ?? (typeof text.prompt === 'object' ? text.prompt.model : undefined);
      return countTokensOffThread(this.counter, text.prompt, text.completion ?? '', model).then(
        ({ promptTokens, completionTokens }) => {
          const inputTokens = promptTokens ?? call.estimatedInputTokens;
          notes.push('upstream reported no usage; tokens counted locally');
          return this.settle(ctx, call, outcome, reservation, multiplier, { inputTokens, outputTokens: completionTokens, totalTokens: inputTokens + completionTokens }, 'counted', notes);
        },
        () => {
          // The counter failed: bill the fast estimates rather than nothing, and say so.
          const inputTokens = call.estimatedInputTokens;
          const outputTokens = Math.ceil((text.completion ?? '').length / 4);
          notes.push('upstream reported no usage and local counting failed; tokens estimated');
          return this.settle(ctx, call, outcome, reservation, multiplier, { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }, 'estimated', notes);
        },
      );
    }
    if (outcome.status === 'ok') {
      // Served, but nothing to count: bill the prompt estimate rather than nothing.
      notes.push('upstream reported no usage and no text was available; prompt tokens estimated, output not counted');
      const inputTokens = call.estimatedInputTokens;
      return this.settle(ctx, call, outcome, reservation, multiplier, { inputTokens, outputTokens: 0, totalTokens: inputTokens }, 'estimated', notes);
    }
    return this.settle(ctx, call, outcome, reservation, multiplier, undefined, 'none', notes);
  }

  private settle(ctx: RequestContext, call: CallInfo, outcome: CallOutcome, reservation: Reservation, multiplier: string | number | undefined, usage: Usage | undefined, source: LedgerRow['usageSource'], notes: string[]): void | Promise<void> {
    let costNanos = 0;
    if (usage) {
      const price = this.opts.priceFor(outcome, ctx);
      if (price) {
        const cost = computeCost(usage, price, { multiplier, units: outcome.units });
        costNanos = cost.totalNanos;
        if (cost.unpricedUnits.length) notes.push(`no price for ${cost.unpricedUnits.join(', ')}; not charged`);
      } else {
        notes.push(`no price is known for ${outcome.provider ?? '?'}/${outcome.upstreamModel ?? call.publicModel}; recorded at zero cost`);
      }
    }
    // A hedge's cancelled side may have consumed tokens before it lost: the operator chose to
    // hedge, so its cost is real and goes into this request's row (and budget) too.
    for (const a of ctx.attempts) {
      if (!a.cancelled || !a.usage) continue;
      const price = this.opts.priceFor({ status: 'aborted', usage: a.usage, deployment: a.deployment, provider: a.provider, upstreamModel: a.upstreamModel, latencyMs: 0 }, ctx);
      if (price) costNanos += computeCost(a.usage, price, multiplier !== undefined ? { multiplier } : {}).totalNanos;
    }
    // A failure that produced nothing frees the hold; anything generated is billed, aborts included.
    if (usage || costNanos > 0) reservation.settle(costNanos);
    else reservation.release();

    for (const n of notes) addWarning(ctx, n);
    ctx.responseHeaders[COST_HEADER] = formatNanosAsUsd(costNanos);
    const keyId = ctx.identity?.keyId;
    const remaining = keyId !== undefined ? this.opts.book.remainingNanos('key', keyId) : null;
    if (remaining === null) delete ctx.responseHeaders[KEY_REMAINING_HEADER];
    else ctx.responseHeaders[KEY_REMAINING_HEADER] = formatNanosAsUsd(remaining);

    // Resolves once the row is journaled; the server awaits it before the response completes.
    return this.opts.ledger?.record(buildRow(ctx, call, outcome, usage, source, costNanos));
  }
}

function accountRefs(identity: Identity | null): AccountRef[] {
  if (!identity) return [];
  const refs: AccountRef[] = [];
  if (identity.keyId !== undefined) refs.push({ kind: 'key', id: identity.keyId });
  if (identity.userId !== undefined) refs.push({ kind: 'user', id: identity.userId }, { kind: 'balance', id: identity.userId });
  if (identity.teamId !== undefined) refs.push({ kind: 'team', id: identity.teamId });
  return refs;
}

function buildRow(ctx: RequestContext, call: CallInfo, outcome: CallOutcome, usage: Usage | undefined, source: LedgerRow['usageSource'], costNanos: number): LedgerRow {
  return {
    requestId: ctx.requestId,
    keyId: ctx.identity?.keyId ?? null,
    userId: ctx.identity?.userId ?? null,
    teamId: ctx.identity?.teamId ?? null,
    publicModel: ctx.publicModel ?? call.publicModel,
    deployment: outcome.deployment ?? null,
    provider: outcome.provider ?? null,
    upstreamModel: outcome.upstreamModel ?? null,
    endpoint: ctx.endpoint,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    usageSource: source,
    costNanos,
    status: outcome.status,
    errorCode: outcome.error?.code ?? null,
    latencyMs: outcome.latencyMs,
    ttftMs: outcome.ttftMs ?? null,
    stream: ctx.stream,
    cacheHit: ctx.responseHeaders[CACHE_HEADER] === 'hit',
    clientIp: ctx.clientIp ?? null,
    userAgent: ctx.userAgent ?? null,
    warning: ctx.warnings.length ? ctx.warnings.join('; ') : null,
    attempts: ctx.attempts.length,
    // A fallback is another public model answering; a retry on another key of the same model is not one.
    fallbacks: fallbacksOf(ctx, call.publicModel),
    tags: [...ctx.tags],
    createdAt: ctx.startedAt,
  };
}

/** Other public models that were tried (one attempt, the usual case, needs no set). */
function fallbacksOf(ctx: RequestContext, publicModel: string): number {
  if (ctx.attempts.length <= 1) return 0;
  return new Set(ctx.attempts.map((a) => a.publicModel ?? publicModel)).size - 1;
}
