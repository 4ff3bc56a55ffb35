import { GatewayError, invalidRequest, type CallOptions, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { readText, send } from '../http/index.js';
import { mapGeminiError } from '../gemini/map-gemini-error.js';
import { vertexAuthorization } from './vertex-auth.js';
import { publisherBase } from './vertex-url.js';

interface PredictResponse {
  predictions?: { embeddings?: { values?: number[]; statistics?: { token_count?: number; truncated?: boolean } } }[];
}

/** Per-instance fields (`task_type`, `title`) and request parameters (`autoTruncate`, `outputDimensionality`) callers may set. */
const INSTANCE_OPTIONS = new Set(['task_type', 'title']);
const PARAMETER_OPTIONS = new Set(['autoTruncate', 'outputDimensionality']);

/**
 * Text embeddings through `:predict` (`instances: [{content}]` →
 * `predictions[].embeddings.values`). gemini-embedding-001 takes one
 * instance per request on Vertex, so its inputs go out one call each, in
 * parallel; the older text-embedding models take the whole batch at once.
 * Token counts come from each prediction's statistics.
 */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  const texts = req.input.map((item, i) => {
    if (typeof item !== 'string') throw invalidRequest('Vertex AI embeddings take text input only, not token arrays', `input[${i}]`);
    return item;
  });
  const instanceExtra: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  if (req.dimensions !== undefined) parameters['outputDimensionality'] = req.dimensions;
  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (ns !== 'vertex' && ns !== 'google') {
      opts.warn(`vertex: providerOptions.${ns} is for another provider and was ignored`);
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (INSTANCE_OPTIONS.has(key)) instanceExtra[key] = v;
      else if (key === 'taskType') instanceExtra['task_type'] = v;
      else if (PARAMETER_OPTIONS.has(key)) parameters[key] = v;
      else opts.warn(`vertex: providerOptions.${ns}.${key} is not an embedding option and was ignored`);
    }
  }
  if (req.user !== undefined) opts.warn('vertex: `user` is not supported and was ignored');
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`vertex: unknown field \`${key}\` was ignored`);

  const url = `${publisherBase(target, 'google')}/models/${encodeURIComponent(target.model)}:predict`;
  const authorization = await vertexAuthorization(target, opts.signal);
  const batches = /^gemini-embedding/.test(target.model) ? texts.map((t) => [t]) : [texts];
  const results = await Promise.all(batches.map((batch) => predict(url, authorization, batch, instanceExtra, parameters, target, opts)));
  const predictions = results.flat();
  if (predictions.length !== texts.length) {
    throw new GatewayError('upstream_bad_response', { message: `Vertex AI returned ${predictions.length} embeddings for ${texts.length} inputs`, provider: target.provider });
  }
  let tokens = 0;
  let counted = true;
  for (const p of predictions) {
    const n = p.embeddings?.statistics?.token_count;
    if (typeof n === 'number') tokens += n;
    else counted = false;
  }
  if (!counted) tokens = texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  return {
    model: target.model,
    data: predictions.map((p, index) => {
      const values = p.embeddings?.values ?? [];
      return { index, embedding: req.encodingFormat === 'base64' ? Buffer.from(new Float32Array(values).buffer).toString('base64') : values };
    }),
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
    usageSource: counted ? 'upstream' : 'estimated',
  };
}

async function predict(
  url: string,
  authorization: string,
  texts: string[],
  instanceExtra: Record<string, unknown>,
  parameters: Record<string, unknown>,
  target: UpstreamTarget,
  opts: CallOptions,
): Promise<NonNullable<PredictResponse['predictions']>> {
  const body: Record<string, unknown> = { instances: texts.map((content) => ({ content, ...instanceExtra })) };
  if (Object.keys(parameters).length > 0) body['parameters'] = parameters;
  const res = await send({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers, authorization },
    body: JSON.stringify(body),
    signal: opts.signal,
    timeoutMs: target.timeoutMs,
    provider: target.provider,
  });
  const text = await readText(res, target.provider);
  if (res.status < 200 || res.status >= 300) throw mapGeminiError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
  try {
    return (JSON.parse(text) as PredictResponse).predictions ?? [];
  } catch (cause) {
    throw new GatewayError('upstream_bad_response', { message: 'Vertex AI sent a prediction that is not JSON', provider: target.provider, upstreamBody: text.slice(0, 2000), cause });
  }
}
