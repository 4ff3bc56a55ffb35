import type { FastifyReply, FastifyRequest } from 'fastify';
import { estimateInputTokens } from '../../accounting/count-tokens.js';
import { createChatStreamEncoder, decodeChatRequest, encodeChatResponse, encodeError, OPENAI_DIALECT, relayBody, type GatewayDirectives } from '../../dialects/openai/index.js';
import { prepareRequest, peekFirstPart, type Deployment } from '../../router/index.js';
import { addWarning, toGatewayError, type CallOptions, type ChatRequest, type ChatResponse, type ChatStream, type Protocol, type RelayResponse, type RequestContext } from '../../spec/index.js';
import type { Finish } from '../pipeline/interceptors.js';
import { admit, authenticate, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendRelay } from '../respond/relay-response.js';
import { sendError } from '../respond/send-error.js';
import { sendUnifiedStream } from '../respond/unified-stream.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';

type ChatResult = { kind: 'relay'; relay: RelayResponse } | { kind: 'json'; response: ChatResponse } | { kind: 'stream'; stream: ChatStream };

/** POST /v1/chat/completions */
export function chatCompletionsHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
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
      finish = await admit(rt, ctx, {
        publicModel: request.model,
        endpoint: 'chat',
        stream: ctx.stream,
        estimatedInputTokens: estimateInputTokens(request),
        maxOutputTokens: request.maxOutputTokens,
      });
      const { result } = await rt.router.run(request.model, ctx, chatAttempt(relayBody(req.body as Record<string, unknown>, request), request), runOptions(ctx, gateway));
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
  return { fallbacks, numRetries: mayOverride ? gateway.numRetries : undefined };
}

/**
 * One try against one deployment. OpenAI-dialect upstreams take the fast
 * path (the client's own body, minimally rewritten); everything else is
 * translated through the unified request.
 */
function chatAttempt(body: Record<string, unknown>, request: ChatRequest) {
  return async (d: Deployment, p: Protocol, o: CallOptions): Promise<ChatResult> => {
    if (p.relay && p.nativeDialect === OPENAI_DIALECT) {
      const relay = await p.relay(
        { path: '/chat/completions', method: 'POST', body: withDeploymentOptions(body, d), stream: request.stream === true, clientWantsUsage: request.includeUsage === true },
        d.target,
        o,
      );
      return { kind: 'relay', relay };
    }
    const upstreamRequest = prepareRequest(request, d);
    if (request.stream) {
      const stream = await p.stream(upstreamRequest, d.target, o);
      return { kind: 'stream', stream: await peekFirstPart(stream, d.target.firstTokenTimeoutMs) };
    }
    return { kind: 'json', response: await p.chat(upstreamRequest, d.target, o) };
  };
}

/** Per-deployment OpenAI options from config are merged over the client's body (copied only when present). */
function withDeploymentOptions(body: Record<string, unknown>, d: Deployment): Record<string, unknown> {
  const extra = d.providerOptions?.['openai'];
  return extra ? { ...body, ...extra } : body;
}
