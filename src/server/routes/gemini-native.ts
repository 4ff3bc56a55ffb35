import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { estimateInputTokens } from '../../accounting/count-tokens.js';
import {
  createGeminiStreamEncoder,
  decodeGenerateContent,
  encodeGeminiError,
  encodeGenerateContentResponse,
  GEMINI_DIALECT,
  translatedRequest,
  type DecodedGenerateContent,
} from '../../dialects/gemini/index.js';
import { guardStreamIdle, peekFirstPart, prepareRequest, routingOverrides, type Deployment, type RunOptions } from '../../router/index.js';
import { redactorFor } from '../../protocols/http/index.js';
import { addWarning, GatewayError, toGatewayError, type CallOptions, type Protocol } from '../../spec/index.js';
import { extractGeminiKey } from '../auth/extract-key.js';
import { admit, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import type { Finish } from '../pipeline/interceptors.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendError } from '../respond/send-error.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';
import { discardResult, type ChatLikeResult } from './discard-result.js';
import { sendGeminiStream } from './gemini-native-stream.js';

/** Google's error shape for this route's failures and the app's (bad JSON, body too large). */
export const geminiRouteConfig = { renderError: encodeGeminiError };

const ACTIONS = new Set(['generateContent', 'streamGenerateContent']);

/**
 * `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent`
 * (and the `/v1/` spellings) for Gemini SDK clients, routed to ANY provider:
 * the body is decoded into the unified request, answered in Gemini's
 * shapes. The key may come as `x-goog-api-key` or `?key=` here only.
 *
 * No relay fast path yet: a Gemini upstream also goes through the unified
 * request, with the client's Gemini-only fields carried in
 * `providerOptions.gemini` so it still receives them.
 */
export function registerGeminiNativeRoutes(app: FastifyInstance, rt: GatewayRuntime): void {
  const handler = generateContentHandler(rt);
  for (const version of ['v1beta', 'v1']) app.post(`/${version}/models/*`, { config: geminiRouteConfig }, handler);
}

function generateContentHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'chat', GEMINI_DIALECT);
    let finish: Finish | undefined;
    try {
      ctx.identity = rt.auth.authenticate(extractGeminiKey(req.headers, req.query), { ip: ctx.clientIp ?? '' });
      const { model, action } = modelAction((req.params as Record<string, string>)['*'] ?? '');
      const decoded = decodeGenerateContent(req.body, model);
      ctx.publicModel = model;
      ctx.stream = action === 'streamGenerateContent';
      checkModelAccess(rt, ctx, model);
      const estimatedInputTokens = estimateInputTokens(decoded.request);
      const admitted = await admit(rt, ctx, { publicModel: model, endpoint: 'chat', stream: ctx.stream, estimatedInputTokens, maxOutputTokens: decoded.request.maxOutputTokens });
      finish = (o) => (rt.router.recordUsage(o.deployment, o.usage), admitted(o));
      const opts: RunOptions<ChatLikeResult> = {
        fallbacks: ctx.identity?.disableFallbacks ? false : undefined,
        ...routingOverrides(req.headers, ctx.identity, (w) => addWarning(ctx, w)),
        estimatedInputTokens,
        maxOutputTokens: decoded.request.maxOutputTokens,
        discard: discardResult,
      };
      const { result } = await rt.router.run(model, ctx, attempt(decoded, ctx.stream, rt.router.settings.streamIdleTimeoutMs), opts);
      const encodeOpts = { includeThoughts: decoded.includeThoughts, requestedModel: model, warn: (m: string) => addWarning(ctx, m) };
      if (result.kind === 'stream') {
        const framing = (req.query as Record<string, unknown> | undefined)?.['alt'] === 'sse' ? 'sse' : 'json-array';
        return await sendGeminiStream(reply, ctx, result.stream, createGeminiStreamEncoder(encodeOpts), finish, framing);
      }
      if (result.kind !== 'json') throw new GatewayError('internal_error', { message: 'Gemini route received a relayed answer it cannot encode' });
      const body = encodeGenerateContentResponse(result.response, encodeOpts);
      await finish({ status: 'ok', usage: result.response.usage, usageSource: 'upstream', ...outcomeBase(ctx) });
      void reply.headers(gatewayHeaders(ctx)).send(body);
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, encodeGeminiError, rt.log);
    }
  };
}

/** "gemini-2.5-flash:generateContent" → its parts; a tuned or prefixed name keeps its slashes. */
function modelAction(rest: string): { model: string; action: string } {
  const decoded = decodeURIComponent(rest);
  const colon = decoded.lastIndexOf(':');
  const model = colon > 0 ? decoded.slice(0, colon) : decoded;
  const action = colon > 0 ? decoded.slice(colon + 1) : '';
  if (!ACTIONS.has(action)) {
    throw new GatewayError('not_found', { message: `Method not found: models/${model}:${action || '(none)'} is not served by this gateway (generateContent and streamGenerateContent are).` });
  }
  return { model, action };
}

/** One try against one deployment: the translated request, the Gemini fields kept for protocols that read them. */
function attempt(decoded: DecodedGenerateContent, stream: boolean, idleTimeoutMs: number | undefined) {
  return async (d: Deployment, p: Protocol, o: CallOptions): Promise<ChatLikeResult> => {
    const readsGeminiOptions = p.id === 'gemini' || p.providerOptionNamespaces?.includes('gemini') === true;
    const upstreamRequest = prepareRequest({ ...translatedRequest(decoded, { provider: d.provider, readsGeminiOptions }, o.warn), stream }, d);
    if (stream) {
      const s = await p.stream(upstreamRequest, d.target, o);
      return { kind: 'stream', stream: guardStreamIdle(await peekFirstPart(s, d.target.firstTokenTimeoutMs, redactorFor(d.target)), idleTimeoutMs, d.provider) };
    }
    return { kind: 'json', response: await p.chat(upstreamRequest, d.target, o) };
  };
}
