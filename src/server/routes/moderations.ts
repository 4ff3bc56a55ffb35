import type { FastifyInstance } from 'fastify';
import { invalid, isAbsent, isObject, optString } from '../../dialects/openai/json-checks.js';
import { OPENAI_DIALECT } from '../../dialects/openai/index.js';
import { GatewayError, type ModerationRequest, type ModerationResponse } from '../../spec/index.js';
import { gatewayHeaders } from '../respond/headers.js';
import type { GatewayRuntime } from '../runtime.js';
import { textTokens, unaryHandler } from './unary-endpoint.js';

/** OpenAI's default when a client names no model. */
const DEFAULT_MODEL = 'omni-moderation-latest';

/**
 * `POST /v1/moderations` for protocols with a moderation operation. The
 * upstream reports no usage: the text is billed as its token estimate
 * (OpenAI's moderation models are free; a priced deployment pays that).
 */
export function registerModerationRoutes(app: FastifyInstance, rt: GatewayRuntime): void {
  const handler = unaryHandler<ModerationResponse & { estimated: number }>(rt, {
    endpoint: 'moderations',
    dialect: OPENAI_DIALECT,
    decode(req) {
      const request = decodeModeration(req.body);
      const estimated = textTokens(inputText(request.input));
      return {
        model: request.model,
        estimatedInputTokens: estimated,
        attempt: async (d, p, o) => {
          if (!p.moderate) throw new GatewayError('unsupported_parameter', { message: `Model '${request.model}' (${d.provider}) does not support moderations through this gateway`, param: 'model' });
          return { ...(await p.moderate({ ...request, model: d.target.model }, d.target, o)), estimated };
        },
      };
    },
    async respond(reply, ctx, res, settle) {
      await settle({ usage: { inputTokens: res.estimated, outputTokens: 0, totalTokens: res.estimated }, usageSource: 'estimated' });
      void reply.headers(gatewayHeaders(ctx)).send({ id: res.id, model: res.model, results: res.results });
    },
  });
  for (const prefix of ['/v1', '']) app.post(`${prefix}/moderations`, handler);
}

function decodeModeration(body: unknown): ModerationRequest {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  const input = body['input'];
  if (isAbsent(input)) throw invalid("Missing required parameter: 'input'.", 'input');
  if (typeof input !== 'string' && !Array.isArray(input)) throw invalid("Invalid type for 'input': expected a string or an array.", 'input');
  const req: ModerationRequest = { model: optString(body['model'], 'model') ?? DEFAULT_MODEL, input };
  for (const key of Object.keys(body)) if (key !== 'model' && key !== 'input' && body[key] !== undefined) (req.extraBody ??= {})[key] = body[key];
  return req;
}

/** The text of a moderation input: strings, or the text parts of multimodal input. */
function inputText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return '';
  return input.map((x) => (typeof x === 'string' ? x : isObject(x) && typeof x['text'] === 'string' ? x['text'] : '')).join(' ');
}
