import type { FastifyInstance, FastifyReply } from 'fastify';
import { OPENAI_DIALECT } from '../../dialects/openai/index.js';
import { GatewayError, type ImageResponse, type Protocol, type RequestContext } from '../../spec/index.js';
import { gatewayHeaders } from '../respond/headers.js';
import type { GatewayRuntime } from '../runtime.js';
import { decodeImageEdit, decodeImageGeneration } from './images-decode.js';
import { readMultipartForm } from './multipart-form.js';
import { textTokens, unaryHandler, type Settlement } from './unary-endpoint.js';

/**
 * `POST /v1/images/generations` (JSON) and `/v1/images/edits` (multipart),
 * for protocols with image operations (the OpenAI protocol and its
 * compatible providers). Billed per image generated (`units.images`) plus
 * tokens where the model reports them (gpt-image-1).
 */
export function registerImageRoutes(app: FastifyInstance, rt: GatewayRuntime, uploadLimitBytes: number): void {
  const generations = unaryHandler<ImageResponse>(rt, {
    endpoint: 'images',
    dialect: OPENAI_DIALECT,
    decode(req) {
      const request = decodeImageGeneration(req.body);
      return {
        model: request.model,
        estimatedInputTokens: textTokens(request.prompt),
        attempt: (d, p, o) => imageOperation(p, 'generateImage', d.provider, request.model).call(p, { ...request, model: d.target.model }, d.target, o),
      };
    },
    respond: sendImages,
  });
  const edits = unaryHandler<ImageResponse>(rt, {
    endpoint: 'images',
    dialect: OPENAI_DIALECT,
    async decode(req) {
      const request = decodeImageEdit(await readMultipartForm(req, uploadLimitBytes));
      return {
        model: request.model,
        estimatedInputTokens: textTokens(request.prompt),
        attempt: (d, p, o) => imageOperation(p, 'editImage', d.provider, request.model).call(p, { ...request, model: d.target.model }, d.target, o),
      };
    },
    respond: sendImages,
  });
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/images/generations`, generations);
    app.post(`${prefix}/images/edits`, edits);
  }
}

function imageOperation<K extends 'generateImage' | 'editImage'>(p: Protocol, op: K, provider: string, model: string): NonNullable<Protocol[K]> {
  const fn = p[op];
  if (fn === undefined) {
    const what = op === 'generateImage' ? 'image generation' : 'image edits';
    throw new GatewayError('unsupported_parameter', { message: `Model '${model}' (${provider}) does not support ${what} through this gateway`, param: 'model' });
  }
  return fn as NonNullable<Protocol[K]>;
}

async function sendImages(reply: FastifyReply, ctx: RequestContext, res: ImageResponse, settle: (s: Settlement) => Promise<void>): Promise<void> {
  // Per-image models report no tokens: zero usage, so the per-image price is what is billed.
  await settle({ usage: res.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, usageSource: 'upstream', units: { images: res.data.length } });
  void reply.headers(gatewayHeaders(ctx)).send(encodeImages(res));
}

export function encodeImages(res: ImageResponse): Record<string, unknown> {
  const body: Record<string, unknown> = {
    created: res.created,
    data: res.data.map((d) => {
      const out: Record<string, unknown> = {};
      if (d.url !== undefined) out['url'] = d.url;
      if (d.b64Json !== undefined) out['b64_json'] = d.b64Json;
      if (d.revisedPrompt !== undefined) out['revised_prompt'] = d.revisedPrompt;
      return out;
    }),
    ...res.extra,
  };
  if (res.usage !== undefined) body['usage'] = { input_tokens: res.usage.inputTokens, output_tokens: res.usage.outputTokens, total_tokens: res.usage.totalTokens };
  return body;
}
