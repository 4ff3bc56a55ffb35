import type { ReplyLike, RequestLike } from '../http/exchange.js';
import { estimateInputTokens } from '../../accounting/count-tokens.js';
import { createChatStreamEncoder, decodeChatRequest, encodeChatResponse, encodeError, OPENAI_DIALECT, relayBody, type GatewayDirectives } from '../../dialects/openai/index.js';
import { guardStreamIdle, prepareRequest, peekFirstPart, peekRelay, routingOverrides, type Deployment, type RunOptions } from '../../router/index.js';
import { redactorFor } from '../../protocols/http/index.js';
import { addWarning, toGatewayError, type CallOptions, type ChatRequest, type Protocol, type RelayResponse, type RequestContext } from '../../spec/index.js';
import type { Finish } from '../pipeline/interceptors.js';
import { admit, authenticate, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendRelay } from '../respond/relay-response.js';
import { sendError } from '../respond/send-error.js';
import { sendUnifiedStream } from '../respond/unified-stream.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';
import { discardResult, type ChatLikeResult } from './discard-result.js';

type ChatResult = ChatLikeResult;

/** POST /v1/chat/completions */
export function chatCompletionsHandler(rt: GatewayRuntime) {
  return async (req: RequestLike, reply: ReplyLike): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'chat', OPENAI_DIALECT);
    let finish: Finish | undefined;
    try {
      authenticate(rt, req, ctx);
      const { request, gateway, warnings } = decodeChatRequest(req.body);
      for (const w of warnings) addWarning(ctx, w);
      ctx.publicModel = request.model;
      ctx.stream = request.stream === true;
      if (gateway.tags) ctx.tags = gateway.tags;
      checkModelAccess(rt, ctx, request.model);
      const estimatedInputTokens = estimateInputTokens(request);
      const admission = admit(rt, ctx, {
        publicModel: request.model,
        endpoint: 'chat',
        stream: ctx.stream,
        estimatedInputTokens,
        maxOutputTokens: request.maxOutputTokens,
      });
      const admitted = admission instanceof Promise ? await admission : admission;
      finish = (o) => (rt.router.recordUsage(o.deployment, o.usage), admitted(o));
      const opts: RunOptions<ChatResult> = {
        ...runOptions(ctx, gateway),
        ...routingOverrides(req.headers, ctx.identity, (w) => addWarning(ctx, w)),
        estimatedInputTokens,
        maxOutputTokens: request.maxOutputTokens,
        discard: discardResult,
      };
      const { result } = await rt.router.run(request.model, ctx, chatAttempt(relayBody(req.body as Record<string, unknown>, request), request, rt.router.settings.streamIdleTimeoutMs), opts);
      if (result.kind === 'relay') return await sendRelay(reply, ctx, result.relay, finish, encodeError);
      if (result.kind === 'stream') return await sendUnifiedStream(reply, ctx, result.stream, createChatStreamEncoder({ includeUsage: request.includeUsage === true }), finish);
      const usage = result.response.usage;
      await finish({ status: 'ok', usage, usageSource: 'upstream', ...outcomeBase(ctx) });
      void reply.headers(gatewayHeaders(ctx)).send(encodeChatResponse(result.response));
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, encodeError, rt.log);
    }
  };
}

function runOptions(ctx: RequestContext, gateway: GatewayDirectives) {
  // Routing overrides from the body are honoured only for callers allowed to steer routing.
  const mayOverride = ctx.identity?.canOverrideRouting === true;
  const fallbacks = gateway.disableFallbacks || ctx.identity?.disableFallbacks ? (false as const) : mayOverride ? gateway.fallbacks : undefined;
  return { fallbacks, numRetries: mayOverride ? gateway.numRetries : undefined, timeoutMs: gateway.timeoutMs };
}


/**
 * One try against one deployment. OpenAI-dialect upstreams take the fast
 * path (the client's own body, minimally rewritten); everything else is
 * translated through the unified request.
 */
function chatAttempt(body: Record<string, unknown>, request: ChatRequest, idleTimeoutMs: number | undefined) {
  return (d: Deployment, p: Protocol, o: CallOptions): Promise<ChatResult> => {
    if (p.relay && p.nativeDialect === OPENAI_DIALECT) {
      const relay = p.relay(
        { path: '/chat/completions', method: 'POST', body: withDeploymentOptions(body, d), stream: request.stream === true, clientWantsUsage: request.includeUsage === true },
        d.target,
        o,
      );
      // Plain answers chain with then(): no async frame held across the upstream wait.
      if (!request.stream) return relay.then(relayResult);
      // Held until its first byte, so a stream that breaks before the client saw anything is retried.
      return relay.then((r) => peekRelay(r, { firstByteTimeoutMs: d.target.firstTokenTimeoutMs, idleTimeoutMs, provider: d.provider })).then(relayResult);
    }
    return translatedAttempt(request, idleTimeoutMs, d, p, o);
  };
}

const relayResult = (relay: RelayResponse): ChatResult => ({ kind: 'relay', relay });

/** Any other upstream dialect: the unified request, translated. */
async function translatedAttempt(request: ChatRequest, idleTimeoutMs: number | undefined, d: Deployment, p: Protocol, o: CallOptions): Promise<ChatResult> {
  const upstreamRequest = prepareRequest(request, d);
  if (request.stream) {
    const stream = await p.stream(upstreamRequest, d.target, o);
    return { kind: 'stream', stream: guardStreamIdle(await peekFirstPart(stream, d.target.firstTokenTimeoutMs, redactorFor(d.target)), idleTimeoutMs, d.provider) };
  }
  return { kind: 'json', response: await p.chat(upstreamRequest, d.target, o) };
}

/** Per-deployment OpenAI options from config are merged over the client's body (copied only when present). */
function withDeploymentOptions(body: Record<string, unknown>, d: Deployment): Record<string, unknown> {
  const extra = d.providerOptions?.['openai'];
  return extra ? { ...body, ...extra } : body;
}
