import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, type CallInfo, type CallOutcome, type RequestContext } from '../../spec/index.js';
import { extractKey } from '../auth/extract-key.js';
import type { GatewayRuntime } from '../runtime.js';
import { admitAll, type Finish } from './interceptors.js';

/** Authenticates from memory and records who is calling. Runs before any body work. */
export function authenticate(rt: GatewayRuntime, req: { readonly headers: IncomingHttpHeaders }, ctx: RequestContext): void {
  ctx.identity = rt.auth.authenticate(extractKey(req.headers), { ip: ctx.clientIp ?? '' });
}

/** 404 for a model nobody configured, 403 for one this caller may not use. */
export function checkModelAccess(rt: GatewayRuntime, ctx: RequestContext, publicModel: string): void {
  rt.registry.resolve(publicModel);
  const id = ctx.identity;
  if (!rt.registry.isAllowed(publicModel, id?.allowedModels) || !rt.registry.isAllowed(publicModel, id?.teamAllowedModels)) {
    throw new GatewayError('model_not_allowed', {
      message: `This key is not allowed to use the model '${publicModel}'.`,
      param: 'model',
    });
  }
}

/** Runs the interceptors (limits, budgets, guardrails); returns the once-only finish (synchronously when they all admit synchronously). */
export function admit(rt: GatewayRuntime, ctx: RequestContext, call: CallInfo): Finish | Promise<Finish> {
  return admitAll(rt.interceptors, ctx, call);
}

/** The outcome fields every route fills the same way. */
export function outcomeBase(ctx: RequestContext): Pick<CallOutcome, 'deployment' | 'provider' | 'upstreamModel' | 'latencyMs' | 'ttftMs'> {
  const last = ctx.attempts.find((a) => a.answered) ?? ctx.attempts[ctx.attempts.length - 1];
  return {
    deployment: last?.deployment,
    provider: last?.provider,
    upstreamModel: last?.upstreamModel,
    latencyMs: Date.now() - ctx.startedAt,
    ttftMs: ctx.firstTokenAt !== undefined ? ctx.firstTokenAt - ctx.startedAt : undefined,
  };
}
