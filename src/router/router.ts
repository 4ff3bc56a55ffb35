import {
  GatewayError,
  addWarning,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type Protocol,
  type RequestContext,
} from '../spec/index.js';
import { attemptController } from './attempt-signal.js';
import { backoffMs, sleep } from './backoff.js';
import type { Deployment, RouterSettings } from './deployment.js';
import type { ModelRegistry } from './model-registry.js';
import { peekFirstPart } from './peek-stream.js';
import { weightedRandom, type Selector } from './select-deployment.js';

/** One try of a request against one deployment. */
export type Attempt<T> = (deployment: Deployment, protocol: Protocol, opts: CallOptions) => Promise<T>;

export interface RunOptions {
  /** Per-request override of the retry count. */
  numRetries?: number;
  /** Per-request fallback models (replace the configured ones); false disables fallbacks. */
  fallbacks?: string[] | false;
}

export interface RunResult<T> {
  result: T;
  deployment: Deployment;
}

export interface RouterDeps {
  registry: ModelRegistry;
  settings: RouterSettings;
  protocolFor: (id: string) => Protocol | undefined;
  selector?: Selector;
  random?: () => number;
}

/** Longest Retry-After we will wait inside one client request before moving on. */
const MAX_INLINE_WAIT_MS = 10_000;

/**
 * Picks deployments, retries retryable failures (preferring a deployment not
 * yet tried), and falls back to other models — all before the first byte
 * reaches the client. Everything it decides comes from typed error fields.
 * The same loop serves every operation: callers pass an `Attempt`.
 */
export class Router {
  private readonly selector: Selector;
  private readonly random: () => number;

  constructor(private readonly deps: RouterDeps) {
    this.selector = deps.selector ?? weightedRandom;
    this.random = deps.random ?? Math.random;
  }

  get registry(): ModelRegistry {
    return this.deps.registry;
  }

  get settings(): RouterSettings {
    return this.deps.settings;
  }

  async run<T>(publicModel: string, ctx: RequestContext, attempt: Attempt<T>, opts: RunOptions = {}): Promise<RunResult<T>> {
    const chain = [publicModel, ...this.fallbacksFor(publicModel, opts)];
    let lastError: GatewayError | undefined;
    for (let m = 0; m < chain.length; m++) {
      const model = chain[m] as string;
      let deployments: Deployment[];
      try {
        deployments = this.deps.registry.resolve(model);
      } catch (err) {
        if (m === 0) throw err;
        addWarning(ctx, `Fallback model '${model}' is not configured; skipped`);
        continue;
      }
      if (m > 0) addWarning(ctx, `Answered by fallback model '${model}' after '${chain[m - 1]}' failed`);
      try {
        return await this.runGroup(deployments, ctx, attempt, opts.numRetries ?? this.deps.settings.numRetries);
      } catch (err) {
        const e = err as GatewayError;
        lastError = e;
        if (ctx.signal.aborted || !this.fallbackWorthy(e)) throw e;
      }
    }
    throw lastError ?? new GatewayError('no_healthy_deployment', { message: `No deployment could serve '${publicModel}'` });
  }

  /** Translated chat: unified request in, unified response out. */
  chat(publicModel: string, req: ChatRequest, ctx: RequestContext, opts?: RunOptions): Promise<RunResult<ChatResponse>> {
    return this.run(publicModel, ctx, (d, p, o) => p.chat(prepareRequest(req, d), d.target, o), opts);
  }

  /** Translated stream; resolves once the first client-visible part is in hand. */
  stream(publicModel: string, req: ChatRequest, ctx: RequestContext, opts?: RunOptions): Promise<RunResult<ChatStream>> {
    return this.run(
      publicModel,
      ctx,
      async (d, p, o) => {
        const stream = await p.stream(prepareRequest(req, d), d.target, o);
        // A timeout or early failure here is thrown before any byte reached the client, so it is retried;
        // the attempt's signal is aborted by the loop, which cancels the upstream request.
        return peekFirstPart(stream, d.target.firstTokenTimeoutMs ?? this.deps.settings.streamTimeoutMs);
      },
      opts,
    );
  }

  embed(publicModel: string, req: EmbeddingRequest, ctx: RequestContext, opts?: RunOptions): Promise<RunResult<EmbeddingResponse>> {
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

  private async runGroup<T>(deployments: Deployment[], ctx: RequestContext, attempt: Attempt<T>, numRetries: number): Promise<RunResult<T>> {
    const tried = new Set<string>();
    let lastError: GatewayError | undefined;
    for (let i = 0; i <= numRetries; i++) {
      const fresh = deployments.filter((d) => !tried.has(d.id));
      const deployment = this.selector(fresh.length > 0 ? fresh : deployments, this.random);
      if (deployment === undefined) break;
      if (i > 0 && lastError) {
        // Honour Retry-After only when retrying the same deployment; a different one owes us nothing.
        const wait = backoffMs(i, tried.has(deployment.id) ? lastError.retryAfterMs : undefined, this.random);
        if (wait > MAX_INLINE_WAIT_MS) break;
        await sleep(wait, ctx.signal);
      }
      tried.add(deployment.id);
      const protocol = this.deps.protocolFor(deployment.protocol);
      if (protocol === undefined) {
        throw new GatewayError('internal_error', { message: `Deployment '${deployment.id}' uses unknown protocol '${deployment.protocol}'` });
      }
      const { controller, dispose } = attemptController(ctx.signal);
      const record: RequestContext['attempts'][number] = {
        deployment: deployment.id,
        provider: deployment.provider,
        upstreamModel: deployment.target.model,
        startedAt: Date.now(),
      };
      ctx.attempts.push(record);
      const callOpts: CallOptions = { requestId: ctx.requestId, signal: controller.signal, warn: (msg) => addWarning(ctx, msg) };
      try {
        const result = await attempt(deployment, protocol, callOpts);
        record.durationMs = Date.now() - record.startedAt;
        record.answered = true;
        // Keep the link to the client's signal: a stream that answered lives on after this
        // returns, and a client disconnect must still cancel it. It dies with the request.
        return { result, deployment };
      } catch (err) {
        dispose();
        controller.abort();
        const e = err instanceof GatewayError ? err : toUpstreamError(err, deployment);
        record.durationMs = Date.now() - record.startedAt;
        record.error = e;
        lastError = e;
        if (ctx.signal.aborted) throw new GatewayError('client_closed', { message: 'Client closed the request' });
        if (!e.retryable) throw e;
      }
    }
    throw lastError ?? new GatewayError('no_healthy_deployment', { message: 'No deployment available' });
  }

  private fallbacksFor(publicModel: string, opts: RunOptions): string[] {
    if (opts.fallbacks === false) return [];
    if (opts.fallbacks !== undefined) return opts.fallbacks;
    return this.deps.settings.fallbacks[publicModel] ?? this.deps.settings.defaultFallbacks.filter((m) => m !== publicModel);
  }

  /** Errors a different model might not have: capacity, outages — not the caller's own mistakes. */
  private fallbackWorthy(e: GatewayError): boolean {
    return e.retryable || e.code === 'upstream_auth' || e.code === 'upstream_not_found' || e.code === 'upstream_permission';
  }
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
