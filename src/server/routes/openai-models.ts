import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeError, encodeModel, encodeModelList, OPENAI_DIALECT } from '../../dialects/openai/index.js';
import { GatewayError, type Identity } from '../../spec/index.js';
import { authenticate } from '../pipeline/admission.js';
import { sendError } from '../respond/send-error.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';

function visibleModels(rt: GatewayRuntime, identity: Identity | null) {
  const created = Math.floor(rt.startedAt / 1000);
  return rt.registry
    .publicModels()
    .filter((m) => rt.registry.isAllowed(m, identity?.allowedModels) && rt.registry.isAllowed(m, identity?.teamAllowedModels))
    .sort()
    .map((id) => ({ id, created, ownedBy: rt.registry.resolve(id)[0]?.provider ?? 'switchyard' }));
}

/** GET /v1/models — the public models this caller may use. */
export function listModelsHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'models', OPENAI_DIALECT);
    try {
      authenticate(rt, req, ctx);
      void reply.send(encodeModelList(visibleModels(rt, ctx.identity)));
    } catch (err) {
      sendError(reply, ctx, err, encodeError, rt.log);
    }
  };
}

/** GET /v1/models/{id} — ids may contain slashes ("deepseek/deepseek-chat"). */
export function getModelHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'models', OPENAI_DIALECT);
    try {
      authenticate(rt, req, ctx);
      const id = decodeURIComponent(req.params['*']);
      const model = visibleModels(rt, ctx.identity).find((m) => m.id === id);
      if (!model) throw new GatewayError('model_not_found', { message: `The model '${id}' does not exist or you do not have access to it.`, param: 'model' });
      void reply.send(encodeModel(model));
    } catch (err) {
      sendError(reply, ctx, err, encodeError, rt.log);
    }
  };
}
