import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeError } from '../../dialects/openai/index.js';
import type { Attempt } from '../../router/index.js';
import { addWarning, toGatewayError, type CallOutcome, type Endpoint, type RequestContext } from '../../spec/index.js';
import { admit, authenticate, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import type { Finish } from '../pipeline/interceptors.js';
import { sendError, type ErrorRenderer } from '../respond/send-error.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';

/** What a one-shot endpoint decoded from its request. */
export interface UnaryCall<T> {
  /** Public model name. */
  model: string;
  /** Rough prompt size, for the budget hold and context checks. */
  estimatedInputTokens: number;
  warnings?: string[];
  /** One try against one deployment (the router retries and falls back around it). */
  attempt: Attempt<T>;
}

/** The billing facts of a served answer, beyond what outcomeBase fills. */
export type Settlement = Pick<CallOutcome, 'usage' | 'usageSource' | 'units'>;

export interface UnaryEndpoint<T> {
  endpoint: Endpoint;
  dialect: string;
  /** Runs after authentication, so an upload is read only for a caller we know. */
  decode(req: FastifyRequest, ctx: RequestContext): UnaryCall<T> | Promise<UnaryCall<T>>;
  /**
   * Sends the answer. `settle` must be called (once) before the last byte
   * goes out, so the ledger row and cost headers exist when the client sees
   * the end; a streaming responder settles with what it learnt at the end.
   */
  respond(reply: FastifyReply, ctx: RequestContext, result: T, settle: (s: Settlement & { status?: CallOutcome['status']; error?: CallOutcome['error'] }) => Promise<void>): Promise<void>;
  render?: ErrorRenderer;
}

/**
 * The route pattern every non-chat endpoint shares (images, audio,
 * moderations, rerank): context → authenticate → decode → model access →
 * admit (limits, budgets) → router → respond → settle. One code path, so
 * none of these endpoints is a side door around auth or accounting.
 */
export function unaryHandler<T>(rt: GatewayRuntime, e: UnaryEndpoint<T>) {
  const render = e.render ?? encodeError;
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, e.endpoint, e.dialect);
    let finish: Finish | undefined;
    try {
      authenticate(rt, req, ctx);
      const call = await e.decode(req, ctx);
      for (const w of call.warnings ?? []) addWarning(ctx, w);
      ctx.publicModel = call.model;
      checkModelAccess(rt, ctx, call.model);
      const admitted = await admit(rt, ctx, { publicModel: call.model, endpoint: e.endpoint, stream: ctx.stream, estimatedInputTokens: call.estimatedInputTokens });
      finish = admitted;
      const { result } = await rt.router.run(call.model, ctx, call.attempt, {
        fallbacks: ctx.identity?.disableFallbacks ? false : undefined,
        estimatedInputTokens: call.estimatedInputTokens,
      });
      await e.respond(reply, ctx, result, (s) => admitted({ status: s.status ?? 'ok', ...s, ...outcomeBase(ctx) }));
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, render, rt.log);
    }
  };
}

/** Tokens a text prompt is held for before the answer is known (the accounting's chars/4 rule). */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
