import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeEmbeddingRequest, encodeEmbeddingResponse, encodeError, OPENAI_DIALECT } from '../../dialects/openai/index.js';
import { addWarning, toGatewayError } from '../../spec/index.js';
import type { Finish } from '../pipeline/interceptors.js';
import { admit, authenticate, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendError } from '../respond/send-error.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';

/** POST /v1/embeddings — translated for every protocol (responses are small; no relay needed). */
export function embeddingsHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'embeddings', OPENAI_DIALECT);
    let finish: Finish | undefined;
    try {
      authenticate(rt, req, ctx);
      const { request, warnings } = decodeEmbeddingRequest(req.body);
      for (const w of warnings) addWarning(ctx, w);
      ctx.publicModel = request.model;
      checkModelAccess(rt, ctx, request.model);
      const estimated = request.input.reduce<number>((n, x) => n + (typeof x === 'string' ? Math.ceil(x.length / 4) : x.length), 0);
      finish = await admit(rt, ctx, { publicModel: request.model, endpoint: 'embeddings', stream: false, estimatedInputTokens: estimated });
      const { result } = await rt.router.embed(request.model, request, ctx);
      await finish({ status: 'ok', usage: result.usage, usageSource: 'upstream', ...outcomeBase(ctx) });
      void reply.headers(gatewayHeaders(ctx)).send(encodeEmbeddingResponse(result, request.encodingFormat));
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, encodeError, rt.log);
    }
  };
}
