import { GatewayError, invalidRequest, type CallOptions, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { callWorkersAi, readJson, runPath } from './workers-ai-http.js';
import type { WorkersAiEmbedResult, WorkersAiEnvelope } from './workers-ai-wire.js';

/**
 * `POST …/ai/run/@cf/baai/bge-…` with `{text: [...]}` → `{result: {shape,
 * data}}`. Workers AI reports no token count for embeddings, so usage is
 * estimated (about four characters a token) and marked as such.
 */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  const text = req.input.map((item, i) => {
    if (typeof item !== 'string') throw invalidRequest('Workers AI embeddings take text input only, not token arrays', `input[${i}]`);
    return item;
  });
  const body: Record<string, unknown> = { text };
  if (req.dimensions !== undefined) {
    throw new GatewayError('unsupported_parameter', { message: 'dimensions: Workers AI embedding models have a fixed size; `dimensions` cannot be set', param: 'dimensions' });
  }
  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'workers-ai') Object.assign(body, value);
    else opts.warn(`workers-ai: providerOptions.${ns} is for another provider and was ignored`);
  }
  if (req.user !== undefined) opts.warn('workers-ai: `user` is not supported and was ignored');
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`workers-ai: unknown field \`${key}\` was ignored`);

  const res = await callWorkersAi(target, { method: 'POST', path: runPath(target.model), body }, opts);
  const json = await readJson<WorkersAiEnvelope<WorkersAiEmbedResult>>(res, target.provider);
  const vectors = json.result?.data ?? [];
  if (vectors.length !== text.length) {
    throw new GatewayError('upstream_bad_response', { message: `Workers AI returned ${vectors.length} embeddings for ${text.length} inputs`, provider: target.provider });
  }
  const tokens = text.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  return {
    model: target.model,
    data: vectors.map((v, index) => ({ index, embedding: req.encodingFormat === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v })),
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
    usageSource: 'estimated',
  };
}
