import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { estimateInputTokens } from '../../accounting/count-tokens.js';
import {
  ANTHROPIC_DIALECT,
  createMessagesStreamEncoder,
  decodeMessagesRequest,
  encodeAnthropicError,
  encodeMessagesResponse,
  translatedRequest,
  type DecodedMessages,
} from '../../dialects/anthropic/index.js';
import { guardStreamIdle, prepareRequest, peekFirstPart, peekRelay, routingOverrides, type Deployment, type RunOptions } from '../../router/index.js';
import { redactorFor } from '../../protocols/http/index.js';
import {
  addWarning,
  toGatewayError,
  type CallOptions,
  type GatewayError,
  type Protocol,
  type RequestContext,
} from '../../spec/index.js';
import { admit, authenticate, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendRelay } from '../respond/relay-response.js';
import { sendError, type ErrorRenderer } from '../respond/send-error.js';
import { sendUnifiedStream } from '../respond/unified-stream.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';
import { countTokensHandler } from './anthropic-count-tokens.js';
import { discardResult, type ChatLikeResult } from './discard-result.js';

type MessagesResult = ChatLikeResult;

/**
 * Anthropic's error shape for this route's own failures AND for the app's
 * (bad JSON, body too large): the app's error handler reads it from the
 * route config.
 */
export const anthropicRouteConfig = { renderError: (e: GatewayError) => encodeAnthropicError(e) };

/**
 * `POST /v1/messages` (Claude Code adds `?beta=true`, which changes nothing
 * here), `/v1/messages/count_tokens`, and `GET`/`HEAD /`, which Claude Code
 * probes before its first request.
 */
export function registerAnthropicRoutes(app: FastifyInstance, rt: GatewayRuntime): void {
  app.post('/v1/messages', { config: anthropicRouteConfig }, messagesHandler(rt));
  app.post('/v1/messages/count_tokens', { config: anthropicRouteConfig }, countTokensHandler(rt));
  app.get('/', async () => ({ name: 'switchyard', status: 'ok' }));
}

/** The SSE framing of an in-stream error for Anthropic clients: a named `error` event. */
export function anthropicErrorFrame(body: Record<string, unknown>): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

export function anthropicContext(req: FastifyRequest, reply: FastifyReply): { ctx: RequestContext; render: ErrorRenderer } {
  const ctx = createRequestContext(req, reply, 'messages', ANTHROPIC_DIALECT);
  // Anthropic's SDKs read `request-id` (shown in their errors and logs).
  ctx.responseHeaders['request-id'] = ctx.requestId;
  return { ctx, render: (e) => encodeAnthropicError(e, ctx.requestId) };
}

/** POST /v1/messages */
function messagesHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { ctx, render } = anthropicContext(req, reply);
    let finish: Parameters<typeof sendRelay>[3] | undefined;
    try {
      authenticate(rt, req, ctx);
      const decoded = decodeMessagesRequest(req.body, req.headers);
      const model = decoded.request.model;
      ctx.publicModel = model;
      ctx.stream = decoded.request.stream === true;
      checkModelAccess(rt, ctx, model);
      const estimatedInputTokens = estimateInputTokens(decoded.request);
      const admitted = await admit(rt, ctx, {
        publicModel: model,
        endpoint: 'messages',
        stream: ctx.stream,
        estimatedInputTokens,
        maxOutputTokens: decoded.request.maxOutputTokens,
      });
      finish = (o) => (rt.router.recordUsage(o.deployment, o.usage), admitted(o));
      const opts: RunOptions<MessagesResult> = {
        fallbacks: ctx.identity?.disableFallbacks ? false : undefined,
        ...routingOverrides(req.headers, ctx.identity, (w) => addWarning(ctx, w)),
        estimatedInputTokens,
        maxOutputTokens: decoded.request.maxOutputTokens,
        discard: discardResult,
      };
      const { result } = await rt.router.run(model, ctx, messagesAttempt(req.body as Record<string, unknown>, decoded, rt.router.settings.streamIdleTimeoutMs), opts);
      if (result.kind === 'relay') return await sendRelay(reply, ctx, result.relay, finish, render, anthropicErrorFrame);
      if (result.kind === 'stream') {
        return await sendUnifiedStream(reply, ctx, result.stream, createMessagesStreamEncoder({ requestedModel: model, requestId: ctx.requestId }), finish);
      }
      const body = encodeMessagesResponse(result.response, model, (w) => addWarning(ctx, w));
      await finish({ status: 'ok', usage: result.response.usage, usageSource: 'upstream', ...outcomeBase(ctx) });
      void reply.headers(gatewayHeaders(ctx)).send(body);
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, render, rt.log);
    }
  };
}

/**
 * One try against one deployment. An Anthropic-protocol upstream takes the
 * fast path (the client's body, model rewritten, its anthropic-* headers
 * along); anything else gets the translated request (see translatedRequest:
 * Claude through another cloud keeps the Anthropic fields, other models get
 * each one reported).
 */
function messagesAttempt(body: Record<string, unknown>, decoded: DecodedMessages, idleTimeoutMs: number | undefined) {
  return async (d: Deployment, p: Protocol, o: CallOptions): Promise<MessagesResult> => {
    const stream = decoded.request.stream === true;
    if (isAnthropicNative(p)) {
      const relay = await p.relay!({ path: '/messages', method: 'POST', body: withDeploymentOptions(body, d), stream, headers: relayHeaders(decoded, d) }, d.target, o);
      if (!stream) return { kind: 'relay', relay };
      return { kind: 'relay', relay: await peekRelay(relay, { firstByteTimeoutMs: d.target.firstTokenTimeoutMs, idleTimeoutMs, provider: d.provider }) };
    }
    const readsAnthropicOptions = p.id === 'anthropic' || p.providerOptionNamespaces?.includes('anthropic') === true;
    const upstreamRequest = prepareRequest(translatedRequest(decoded, { provider: d.provider, readsAnthropicOptions }, o.warn), d);
    if (stream) {
      const s = await p.stream(upstreamRequest, d.target, o);
      return { kind: 'stream', stream: guardStreamIdle(await peekFirstPart(s, d.target.firstTokenTimeoutMs, redactorFor(d.target)), idleTimeoutMs, d.provider) };
    }
    return { kind: 'json', response: await p.chat(upstreamRequest, d.target, o) };
  };
}

export function isAnthropicNative(p: Protocol): boolean {
  return p.relay !== undefined && p.nativeDialect === ANTHROPIC_DIALECT;
}

/** The client's `anthropic-*` headers, plus betas a deployment's config asks for. */
export function relayHeaders(decoded: DecodedMessages, d: Deployment): Record<string, string> {
  const h: Record<string, string> = {};
  if (decoded.anthropicVersion !== undefined) h['anthropic-version'] = decoded.anthropicVersion;
  const configured = d.providerOptions?.['anthropic']?.['betas'];
  const fromConfig = typeof configured === 'string' ? [configured] : Array.isArray(configured) ? configured.filter((b): b is string => typeof b === 'string') : [];
  const betas = [...new Set([...decoded.betas, ...fromConfig])];
  if (betas.length > 0) h['anthropic-beta'] = betas.join(',');
  return h;
}

/** Per-deployment Anthropic options from config are merged over the client's body (betas travel as a header). */
export function withDeploymentOptions(body: Record<string, unknown>, d: Deployment): Record<string, unknown> {
  const extra = d.providerOptions?.['anthropic'];
  if (extra === undefined) return body;
  const { betas: _header, ...fields } = extra;
  return { ...body, ...fields };
}
