import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { estimateInputTokens } from '../../accounting/count-tokens.js';
import { encodeError } from '../../dialects/openai/index.js';
import {
  RESPONSES_DIALECT,
  buildChatRequest,
  clientView,
  createResponsesStreamEncoder,
  decodeResponsesRequest,
  encodeResponse,
  newResponseId,
  resolveItemReferences,
  type DecodedResponses,
  type ResponseItem,
  type ResponseObject,
} from '../../dialects/responses/index.js';
import { guardStreamIdle, prepareRequest, peekFirstPart, routingOverrides, type Deployment, type RunOptions } from '../../router/index.js';
import { redactorFor } from '../../protocols/http/index.js';
import { addWarning, toGatewayError, type CallOptions, type ChatRequest, type ChatResponse, type ChatStream, type Protocol, type RequestContext } from '../../spec/index.js';
import type { ResponsesRepository } from '../../store/index.js';
import { admit, authenticate, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import type { Finish } from '../pipeline/interceptors.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendError } from '../respond/send-error.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';
import { discardResult } from './discard-result.js';
import { deleteResponseHandler, getResponseHandler, inputItemsHandler, ownerOf, ResponsesState } from './responses-state.js';
import { sendResponsesStream } from './responses-stream.js';

type ResponsesResult = { kind: 'json'; response: ChatResponse } | { kind: 'stream'; stream: ChatStream };

/**
 * The OpenAI Responses API (`/v1/responses`, and without `/v1`): create,
 * retrieve, delete, list input items. Every upstream — OpenAI's included —
 * is called through the translated chat request, so conversation state is
 * always ours and behaves the same whichever deployment answers.
 */
export function registerResponsesRoutes(app: FastifyInstance, rt: GatewayRuntime, repo: ResponsesRepository | undefined): void {
  const state = new ResponsesState(repo);
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/responses`, createResponseHandler(rt, state));
    app.get(`${prefix}/responses/:id`, getResponseHandler(rt, state));
    app.delete(`${prefix}/responses/:id`, deleteResponseHandler(rt, state));
    app.get(`${prefix}/responses/:id/input_items`, inputItemsHandler(rt, state));
  }
}

/** POST /v1/responses */
function createResponseHandler(rt: GatewayRuntime, state: ResponsesState) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'responses', RESPONSES_DIALECT);
    let finish: Finish | undefined;
    try {
      authenticate(rt, req, ctx);
      const decoded = decodeResponsesRequest(req.body);
      for (const w of decoded.warnings) addWarning(ctx, w);
      ctx.publicModel = decoded.model;
      ctx.stream = decoded.stream;
      checkModelAccess(rt, ctx, decoded.model);
      const owner = ownerOf(ctx.identity);
      const history = decoded.previousResponseId !== undefined ? await state.history(decoded.previousResponseId, owner) : [];
      const input = resolveItemReferences(decoded.input, history);
      const request = buildChatRequest(decoded, history, input, (w) => addWarning(ctx, w));
      if (decoded.store && !state.available) addWarning(ctx, 'this server has no response storage; the response was not stored');
      const estimatedInputTokens = estimateInputTokens(request);
      const admitted = await admit(rt, ctx, {
        publicModel: decoded.model,
        endpoint: 'responses',
        stream: ctx.stream,
        estimatedInputTokens,
        maxOutputTokens: request.maxOutputTokens,
      });
      finish = (o) => (rt.router.recordUsage(o.deployment, o.usage), admitted(o));
      const who = { id: newResponseId(), createdAt: Math.floor(ctx.startedAt / 1000), model: decoded.model };
      const persist = persister(rt, ctx, state, decoded, [...history, ...input], owner);
      const opts: RunOptions<ResponsesResult> = {
        fallbacks: ctx.identity?.disableFallbacks ? false : undefined,
        ...routingOverrides(req.headers, ctx.identity, (w) => addWarning(ctx, w)),
        estimatedInputTokens,
        maxOutputTokens: request.maxOutputTokens,
        discard: discardResult,
      };
      const { result } = await rt.router.run(decoded.model, ctx, responsesAttempt(request, rt.router.settings.streamIdleTimeoutMs), opts);
      if (result.kind === 'stream') {
        return await sendResponsesStream(reply, ctx, result.stream, createResponsesStreamEncoder(who, decoded), finish, persist);
      }
      const response = encodeResponse(result.response, who, decoded);
      await finish({ status: 'ok', usage: result.response.usage, usageSource: 'upstream', ...outcomeBase(ctx) });
      await persist(response);
      void reply.headers(gatewayHeaders(ctx)).send(clientView(response, decoded.includeEncryptedReasoning));
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, encodeError, rt.log);
    }
  };
}

/**
 * Saves a finished response when the client asked to store it. A failed
 * save does not take the answer away from the client (it was generated and
 * billed); it is logged and reported, and continuing from it will 400.
 */
function persister(rt: GatewayRuntime, ctx: RequestContext, state: ResponsesState, decoded: DecodedResponses, conversation: ResponseItem[], owner: string) {
  return async (response: ResponseObject): Promise<void> => {
    if (!decoded.store || !state.available) return;
    try {
      await state.save({ response, conversation, owner, identity: ctx.identity });
    } catch (err) {
      rt.log.error('storing a response failed', { requestId: ctx.requestId, responseId: response.id, message: (err as Error).message });
      addWarning(ctx, 'the response could not be stored; it cannot be continued with previous_response_id');
    }
  };
}

/** One try against one deployment: always the translated request (see registerResponsesRoutes). */
function responsesAttempt(request: ChatRequest, idleTimeoutMs: number | undefined) {
  return async (d: Deployment, p: Protocol, o: CallOptions): Promise<ResponsesResult> => {
    const upstreamRequest = prepareRequest(request, d);
    if (request.stream) {
      const stream = await p.stream(upstreamRequest, d.target, o);
      return { kind: 'stream', stream: guardStreamIdle(await peekFirstPart(stream, d.target.firstTokenTimeoutMs, redactorFor(d.target)), idleTimeoutMs, d.provider) };
    }
    return { kind: 'json', response: await p.chat(upstreamRequest, d.target, o) };
  };
}
