import {
  GatewayError,
  addWarning,
  type AttemptRecord,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type Protocol,
  type RequestContext,
  type Usage,
} from '../spec/index.js';
import { redactError, redactorFor } from '../protocols/http/index.js';
import { attemptController } from './attempt-signal.js';
import { backoffMs, sleep } from './backoff.js';
import { applyDeploymentOrder, filterByTags, filterByTeam, fitting } from './candidates.js';
import type { Deployment, RouterSettings } from './deployment.js';
import { InMemoryDeploymentHealth, type DeploymentHealth } from './deployment-health.js';
import { fallbackChainFor, type FallbackChain } from './fallback-plan.js';
import { DeploymentChecker } from './health-checks.js';
import { raceWithHedge, type RunningAttempt } from './hedge.js';
import type { ModelRegistry } from './model-registry.js';
import { peekFirstPart } from './peek-stream.js';
import { RetryBudget, coolsImmediately, countsAgainstDeployment, isCredentialError } from './retry-policy.js';
import { lowestTier, roundRobin, selectorFor, type CostFunction, type Selector, type Strategy } from './select-deployment.js';

/** One try of a request against one deployment. */
export type Attempt<T> = (deployment: Deployment, protocol: Protocol, opts: CallOptions) => Promise<T>;

export interface RunOptions<T = unknown> {
  /** Per-request override of the retry count. */
  numRetries?: number;
  /** Per-request fallback models (replace the configured ones); false disables every kind of fallback. */
  fallbacks?: string[] | false;
  /** Prompt size estimate: context-window pre-check, TPM headroom, cost estimate. */
  estimatedInputTokens?: number;
  maxOutputTokens?: number;
  /** Per-request routing overrides (callers allowed to steer routing only). */
  strategy?: Strategy;
  deploymentOrder?: string[];
  /** Whole-attempt deadline (ms) for deployments that set none (LiteLLM's per-request `timeout`). */
  timeoutMs?: number;
  /** Releases an answer that will not be used (a hedge that lost by a hair); returns what it consumed, if known. */
  discard?: (result: T) => Promise<Usage | undefined> | Usage | undefined | void;
}

export interface RunResult<T> {
  result: T;
  deployment: Deployment;
}

export interface RouterDeps {
  registry: ModelRegistry;
  settings: RouterSettings;
  protocolFor: (id: string) => Protocol | undefined;
  /** A fixed selector (tests); otherwise the configured strategy's. */
  selector?: Selector;
  random?: () => number;
  /** Live per-deployment state; in memory unless a shared one is given. */
  health?: DeploymentHealth;
  /** Price estimate for lowest-cost routing (the server builds it on the price book). */
  costOf?: CostFunction;
  /** A channel deployment's credential was refused (401/402/403): the server disables that key and rebuilds. */
  onCredentialFailure?: (deployment: Deployment, error: GatewayError) => void;
  /** An auto-disabled deployment passed a check: the server re-enables that key and rebuilds. */
  onCredentialRestored?: (deployment: Deployment) => void;
}

/** Longest Retry-After we will wait inside one client request before moving on. */
const MAX_INLINE_WAIT_MS = 10_000;
/** Samples needed before a group's p95 time to first token is trusted for hedging. */
const MIN_HEDGE_SAMPLES = 10;
/** Output tokens assumed for cost estimates when the client sets no cap. */
const DEFAULT_OUTPUT_ESTIMATE = 256;

/**
 * Picks deployments, retries failures per error class (preferring a
 * deployment not yet tried), hedges slow first tokens and falls back to
 * other models — all before the first byte reaches the client. Everything
 * it decides comes from typed error fields and live deployment health. The
 * same loop serves every operation: callers pass an `Attempt`.
 */
export class Router {
  readonly health: DeploymentHealth;
  /** Channel tests on demand (admin API) and on a schedule. */
  readonly checker: DeploymentChecker;
  private readonly random: () => number;
  private readonly sharedSelectors = { roundRobin: roundRobin() };
  costOf: CostFunction | undefined;

  constructor(private readonly deps: RouterDeps) {
    this.random = deps.random ?? Math.random;
    this.health = deps.health ?? new InMemoryDeploymentHealth();
    this.costOf = deps.costOf;
    this.checker = new DeploymentChecker({ registry: deps.registry, health: this.health, protocolFor: deps.protocolFor, onRestored: (d) => this.deps.onCredentialRestored?.(d) });
  }

  get registry(): ModelRegistry {
    return this.deps.registry;
  }

  get settings(): RouterSettings {
    return this.deps.settings;
  }

  /** Set after construction, once the server has its store and registry rebuild ready. */
  setCredentialHandlers(h: Pick<RouterDeps, 'onCredentialFailure' | 'onCredentialRestored'>): void {
    this.deps.onCredentialFailure = h.onCredentialFailure;
    this.deps.onCredentialRestored = h.onCredentialRestored;
  }

  async run<T>(publicModel: string, ctx: RequestContext, attempt: Attempt<T>, opts: RunOptions<T> = {}): Promise<RunResult<T>> {
    // The chain is built only once something failed; until then one fact from it is enough
    // (the same one fallbackChainFor gives as `contextWindow.length > 0`).
    let chain: FallbackChain | undefined;
    const contextFallback = opts.fallbacks !== false && (this.deps.settings.contextWindowFallbacks[publicModel]?.length ?? 0) > 0;
    const models: string[] = [publicModel];
    let lastError: GatewayError | undefined;
    try {
      for (let m = 0; m < models.length; m++) {
        const model = models[m] as string;
        let deployments: readonly Deployment[];
        try {
          deployments = this.deps.registry.resolve(model);
        } catch (err) {
          if (m === 0) throw err;
          addWarning(ctx, `Fallback model '${model}' is not configured; skipped`);
          continue;
        }
        if (m > 0) addWarning(ctx, `Answered by fallback model '${model}' after '${models[m - 1]}' failed`);
        try {
          const res = await this.runGroup(model, deployments, ctx, attempt, opts, contextFallback);
          if (m > 0) ctx.responseHeaders['x-switchyard-model'] = model;
          return res;
        } catch (err) {
          const e = err as GatewayError;
          lastError = e;
          if (ctx.signal.aborted) throw e;
          chain ??= fallbackChainFor(publicModel, this.deps.settings, opts.fallbacks);
          for (const next of chain.after(e)) if (!models.includes(next)) models.push(next);
        }
      }
      throw lastError ?? new GatewayError('no_healthy_deployment', { message: `No deployment could serve '${publicModel}'` });
    } finally {
      if (ctx.attempts.length > 0) ctx.responseHeaders['x-switchyard-fallbacks'] = String(otherModels(ctx.attempts, publicModel));
    }
  }

  /** Translated chat: unified request in, unified response out. */
  chat(publicModel: string, req: ChatRequest, ctx: RequestContext, opts?: RunOptions<ChatResponse>): Promise<RunResult<ChatResponse>> {
    return this.run(publicModel, ctx, (d, p, o) => p.chat(prepareRequest(req, d), d.target, o), opts);
  }

  /** Translated stream; resolves once the first client-visible part is in hand. */
  stream(publicModel: string, req: ChatRequest, ctx: RequestContext, opts?: RunOptions<ChatStream>): Promise<RunResult<ChatStream>> {
    return this.run(
      publicModel,
      ctx,
      async (d, p, o) => {
        const stream = await p.stream(prepareRequest(req, d), d.target, o);
        // A timeout or early failure here is thrown before any byte reached the client, so it is retried;
        // the attempt's signal is aborted by the loop, which cancels the upstream request.
        return peekFirstPart(stream, d.target.firstTokenTimeoutMs, redactorFor(d.target));
      },
      { discard: (s) => void s[Symbol.asyncIterator]().return?.(), ...opts },
    );
  }

  embed(publicModel: string, req: EmbeddingRequest, ctx: RequestContext, opts?: RunOptions<EmbeddingResponse>): Promise<RunResult<EmbeddingResponse>> {
    return this.run(
      publicModel,
      ctx,
      (d, p, o) => {
        if (!p.embed) {
          throw new GatewayError('unsupported_parameter', { message: `Model '${publicModel}' (${d.provider}) does not support embeddings`, param: 'model' });
        }
        return p.embed({ ...req, model: d.target.model }, d.target, o);
      },
      opts,
    );
  }

  /** Usage learnt after the answer (TPM accounting for usage-based routing). */
  recordUsage(deploymentId: string | undefined, usage: Usage | undefined): void {
    if (deploymentId === undefined || usage === undefined) return;
    this.health.addTokens(deploymentId, usage.outputTokens, Date.now());
  }

  private async runGroup<T>(model: string, all: readonly Deployment[], ctx: RequestContext, attempt: Attempt<T>, opts: RunOptions<T>, contextFallback: boolean): Promise<RunResult<T>> {
    const s = this.deps.settings;
    let pool = filterByTeam(s.enableTagFiltering ? filterByTags(all, ctx.tags, model) : all, ctx.identity, model);
    if (opts.estimatedInputTokens !== undefined) {
      const fit = fitting(pool, opts.estimatedInputTokens);
      if (fit.length > 0) pool = fit;
      else if (contextFallback) {
        // Nothing here can hold the prompt and a larger model is configured: go there without a doomed call.
        throw new GatewayError('context_length_exceeded', { message: `About ${opts.estimatedInputTokens} prompt tokens exceed the context window of every '${model}' deployment`, param: 'messages' });
      }
    }
    if (opts.deploymentOrder && opts.deploymentOrder.length > 0) pool = applyDeploymentOrder(pool, opts.deploymentOrder);
    const sole = pool.length === 1;
    const budget = new RetryBudget(opts.numRetries ?? s.numRetries, s.retryPolicy);
    const tried = new Set<string>();
    const hedgeDelay = this.hedgeDelay(model, ctx.stream);
    let lastError: GatewayError | undefined;
    let lastDeployment: string | undefined;
    for (let retry = 0; ; retry++) {
      const picked = this.pick(model, pool, tried, ctx, opts);
      if (picked === undefined) throw lastError ?? this.nothingAvailable(model, pool);
      if (retry > 0 && lastError) {
        // Honour Retry-After only when retrying the same deployment; a different one owes us nothing.
        const wait = backoffMs(retry, picked.deployment.id === lastDeployment ? lastError.retryAfterMs : undefined, this.random);
        if (wait > MAX_INLINE_WAIT_MS) throw lastError;
        await sleep(wait, ctx.signal);
      }
      const hedged = hedgeDelay !== undefined;
      const first = this.start(model, picked.deployment, picked.probe, ctx, attempt, opts, sole, tried, hedged);
      try {
        const { winner, value } =
          hedgeDelay === undefined
            ? { winner: first, value: await first.promise }
            : await raceWithHedge(
                first,
                () => {
                  const other = this.pick(model, pool, tried, ctx, opts, true);
                  return other && this.start(model, other.deployment, other.probe, ctx, attempt, opts, sole, tried, true);
                },
                hedgeDelay,
                (loser, v) => this.discard(loser.record, v, opts),
              );
        winner.record.answered = true;
        return { result: value, deployment: winner.deployment };
      } catch (err) {
        const e = err as GatewayError;
        lastError = e;
        lastDeployment = first.deployment.id;
        if (ctx.signal.aborted) throw new GatewayError('client_closed', { message: 'Client closed the request' });
        const untriedLeft = pool.some((d) => !tried.has(d.id) && this.health.availability(d.id, Date.now()) !== 'unavailable');
        if (!budget.take(e, untriedLeft)) throw e;
      }
    }
  }

  /** The next deployment: untried and available first, in the lowest tier, by the strategy. */
  private pick(model: string, pool: readonly Deployment[], tried: ReadonlySet<string>, ctx: RequestContext, opts: RunOptions<never>, untriedOnly = false): { deployment: Deployment; probe: boolean } | undefined {
    const now = Date.now();
    let open = this.openOf(pool, tried, now);
    if (open.length === 0 && !untriedOnly) open = this.openOf(pool, undefined, now);
    if (open.length === 0) return undefined;
    const selector = this.deps.selector ?? selectorFor(opts.strategy ?? this.deps.settings.strategy, this.sharedSelectors);
    const deployment = selector(lowestTier(open), {
      random: this.random,
      health: this.health,
      now,
      stream: ctx.stream,
      inputTokens: opts.estimatedInputTokens ?? 0,
      outputTokens: opts.maxOutputTokens ?? DEFAULT_OUTPUT_ESTIMATE,
      group: model,
      costOf: this.costOf,
    });
    if (deployment === undefined) return undefined;
    return { deployment, probe: this.health.availability(deployment.id, now) === 'probe' };
  }

  /** The pool's available deployments not in `tried`; the pool itself (no copy) when that is all of them. */
  private openOf(pool: readonly Deployment[], tried: ReadonlySet<string> | undefined, now: number): readonly Deployment[] {
    const isOpen = (d: Deployment): boolean => !tried?.has(d.id) && this.health.availability(d.id, now) !== 'unavailable';
    for (let i = 0; i < pool.length; i++) if (!isOpen(pool[i]!)) return pool.filter(isOpen);
    return pool;
  }

  private nothingAvailable(model: string, pool: readonly Deployment[]): GatewayError {
    const now = Date.now();
    const cooling = pool.map((d) => this.health.stats(d.id, now).cooldownUntil).filter((t): t is number => t !== undefined);
    const retryAfterMs = cooling.length > 0 ? Math.max(0, Math.min(...cooling) - now) : undefined;
    return new GatewayError('no_healthy_deployment', {
      message: `Every deployment of '${model}' is cooling down, disabled or at its rate limit`,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }

  /**
   * Starts one attempt: records it, tracks its health. Hedged and streaming
   * attempts get a signal of their own, aborted when they fail or lose: a
   * stream given up while its iterator is suspended (no first token in
   * time) can only be cut through its signal. A plain answer needs none —
   * it is over when it fails — and a linked signal costs a listener and a closure.
   */
  private start<T>(model: string, d: Deployment, probe: boolean, ctx: RequestContext, attempt: Attempt<T>, opts: RunOptions<T>, sole: boolean, tried: Set<string>, own: boolean): RunningAttempt<T> {
    tried.add(d.id);
    const protocol = this.deps.protocolFor(d.protocol);
    if (protocol === undefined) {
      throw new GatewayError('internal_error', { message: `Deployment '${d.id}' uses unknown protocol '${d.protocol}'` });
    }
    const startedAt = Date.now();
    const record: AttemptRecord = { deployment: d.id, provider: d.provider, upstreamModel: d.target.model, startedAt, publicModel: model };
    ctx.attempts.push(record);
    this.health.begin(d.id, startedAt, opts.estimatedInputTokens ?? 0, probe);
    const link = own || ctx.stream ? attemptController(ctx.signal) : undefined;
    const release = (): void => {
      link?.dispose();
      link?.controller.abort();
    };
    const callOpts: CallOptions = { requestId: ctx.requestId, signal: link?.controller.signal ?? ctx.signal, warn: (msg) => addWarning(ctx, msg) };
    const rules = { allowedFails: this.deps.settings.allowedFails, cooldownTimeMs: this.deps.settings.cooldownTimeMs, soleDeployment: sole };
    const stream = ctx.stream;
    let cancelled = false;
    const succeeded = (value: T): T => {
      const latencyMs = Date.now() - startedAt;
      record.durationMs = latencyMs;
      this.health.end(d.id, { ok: true, latencyMs, stream }, rules, Date.now());
      this.health.recordTtft(hedgeKey(model, stream), latencyMs);
      // The winner keeps its link to the client's signal: a stream that answered lives on after
      // this returns, and a client disconnect must still cancel it. It dies with the request.
      return value;
    };
    const failed = (err: unknown): never => {
      release();
      // Providers echo the credential they got: scrub before anyone (health, logs, client) sees it.
      const e = redactError(err instanceof GatewayError ? err : toUpstreamError(err, d), redactorFor(d.target));
      const latencyMs = Date.now() - startedAt;
      record.durationMs = latencyMs;
      const counted = !cancelled && !ctx.signal.aborted && countsAgainstDeployment(e);
      if (!cancelled) record.error = e;
      this.health.end(d.id, { ok: false, latencyMs, stream, code: e.code, retryAfterMs: e.retryAfterMs, countsAgainst: counted, immediate: coolsImmediately(e) }, rules, Date.now());
      if (counted && isCredentialError(e) && d.source === 'db') {
        this.health.disable(d, `${e.code} (HTTP ${e.upstreamStatus ?? e.status}): ${e.message}`.slice(0, 500), Date.now());
        this.deps.onCredentialFailure?.(d, e);
      }
      throw e;
    };
    // then() rather than an async wrapper: no generator held for the attempt's whole life.
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(attempt(this.withDefaults(d, opts), protocol, callOpts));
    } catch (err) {
      pending = Promise.reject(err);
    }
    const promise = pending.then(succeeded, failed);
    // The loser of a hedge rejects after the race is decided: nobody awaits it then.
    // An unhedged attempt is awaited by runGroup as soon as it starts.
    if (own) promise.catch(() => {});
    return {
      deployment: d,
      record,
      promise,
      cancel: () => {
        cancelled = true;
        record.cancelled = true;
        release();
      },
    };
  }

  /** Router-wide and per-request timeouts for a deployment that sets its own none. */
  private withDefaults(d: Deployment, opts: RunOptions<never>): Deployment {
    const s = this.deps.settings;
    const timeoutMs = d.target.timeoutMs ?? opts.timeoutMs ?? s.timeoutMs;
    const firstTokenTimeoutMs = d.target.firstTokenTimeoutMs ?? s.streamTimeoutMs;
    if (timeoutMs === d.target.timeoutMs && firstTokenTimeoutMs === d.target.firstTokenTimeoutMs) return d;
    return { ...d, target: { ...d.target, timeoutMs, firstTokenTimeoutMs } };
  }

  private discard<T>(record: AttemptRecord, value: T, opts: RunOptions<T>): void {
    try {
      const usage = opts.discard?.(value);
      if (usage instanceof Promise) void usage.then((u) => u && (record.usage = u), () => {});
      else if (usage) record.usage = usage;
    } catch {
      // Releasing a result nobody uses must never fail the request that won.
    }
  }

  /** The hedge delay for a group, or undefined when it is not hedged (or has too few samples for p95). */
  private hedgeDelay(model: string, stream: boolean): number | undefined {
    const policy = this.deps.settings.hedging?.[model];
    if (policy === undefined) return undefined;
    if ('delayMs' in policy) return policy.delayMs;
    return this.health.ttftPercentile(hedgeKey(model, stream), 0.95, MIN_HEDGE_SAMPLES);
  }
}

/** How many public models other than the asked-for one were tried (one attempt, the usual case, needs no set). */
function otherModels(attempts: readonly AttemptRecord[], publicModel: string): number {
  if (attempts.length === 1) return (attempts[0]!.publicModel ?? publicModel) === publicModel ? 0 : 1;
  const used = new Set(attempts.map((a) => a.publicModel ?? publicModel));
  used.delete(publicModel);
  return used.size;
}

function hedgeKey(model: string, stream: boolean): string {
  return stream ? `${model}\u0000stream` : model;
}

/** The unified request as one deployment must receive it: its model id, its provider options merged in. */
export function prepareRequest(req: ChatRequest, d: Deployment): ChatRequest {
  if (!d.providerOptions) return { ...req, model: d.target.model };
  const merged: Record<string, Record<string, unknown>> = { ...d.providerOptions };
  for (const [k, v] of Object.entries(req.providerOptions ?? {})) merged[k] = { ...merged[k], ...v };
  return { ...req, model: d.target.model, providerOptions: merged };
}

function toUpstreamError(err: unknown, d: Deployment): GatewayError {
  const message = err instanceof Error ? err.message : String(err);
  return new GatewayError('internal_error', { message: `Calling ${d.provider} failed: ${message}`, provider: d.provider, cause: err });
}
