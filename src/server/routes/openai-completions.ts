import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeCompletionRequest, encodeError, OPENAI_DIALECT } from '../../dialects/openai/index.js';
import { GatewayError, toGatewayError } from '../../spec/index.js';
import type { Finish } from '../pipeline/interceptors.js';
import { admit, authenticate, checkModelAccess, outcomeBase } from '../pipeline/admission.js';
import { sendRelay } from '../respond/relay-response.js';
import { sendError } from '../respond/send-error.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';

/**
 * POST /v1/completions (legacy text completions). Only OpenAI-protocol
 * upstreams have this API, so it is relayed; a model on another protocol
 * gets a clear 400 instead of a lossy emulation.
 */
export function completionsHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'completions', OPENAI_DIALECT);
    let finish: Finish | undefined;
    try {
      authenticate(rt, req, ctx);
      const decoded = decodeCompletionRequest(req.body);
      ctx.publicModel = decoded.model;
      ctx.stream = decoded.stream;
      checkModelAccess(rt, ctx, decoded.model);
      const body = req.body as Record<string, unknown>;
      const prompt = typeof body.prompt === 'string' ? body.prompt : JSON.stringify(body.prompt ?? '');
      const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
      finish = await admit(rt, ctx, { publicModel: decoded.model, endpoint: 'completions', stream: ctx.stream, estimatedInputTokens: Math.ceil(prompt.length / 4), maxOutputTokens: maxTokens });
      const { result } = await rt.router.run(decoded.model, ctx, async (d, p, o) => {
        if (!p.relay || p.nativeDialect !== OPENAI_DIALECT) {
          throw new GatewayError('unsupported_parameter', { message: `Model '${decoded.model}' is served by ${d.provider}, which has no text-completions API; use /v1/chat/completions.`, param: 'model' });
        }
        return p.relay({ path: '/completions', method: 'POST', body, stream: decoded.stream, clientWantsUsage: decoded.includeUsage }, d.target, o);
      });
      await sendRelay(reply, ctx, result, finish, encodeError);
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, encodeError, rt.log);
    }
  };
}
