import { GatewayError, invalidRequest, type CallOptions, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { callCohere, readJson } from './cohere-http.js';
import type { CohereEmbedResponse } from './cohere-wire.js';

/**
 * Cohere v3+ embedding models require an `input_type`. Without one from the
 * caller we say `search_document`: OpenAI-style clients mostly embed
 * documents for an index, and it is LiteLLM's default too. Queries should
 * pass `providerOptions.cohere.input_type: "search_query"`.
 */
export const DEFAULT_INPUT_TYPE = 'search_document';

const REQUEST_OPTIONS = new Set(['input_type', 'truncate', 'max_tokens', 'output_dimension', 'priority']);

/** `POST /v2/embed` with `embedding_types: ["float"]`; billed input tokens are the usage. */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  const texts = req.input.map((item, i) => {
    if (typeof item !== 'string') throw invalidRequest('Cohere embeddings take text input only, not token arrays', `input[${i}]`);
    return item;
  });
  const body: Record<string, unknown> = { model: target.model, texts, input_type: DEFAULT_INPUT_TYPE, embedding_types: ['float'] };
  if (req.dimensions !== undefined) body['output_dimension'] = req.dimensions;
  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (ns !== 'cohere') {
      opts.warn(`cohere: providerOptions.${ns} is for another provider and was ignored`);
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (REQUEST_OPTIONS.has(key)) body[key] = v;
      else opts.warn(`cohere: providerOptions.cohere.${key} is not an embedding option and was ignored`);
    }
  }
  if (req.user !== undefined) opts.warn('cohere: `user` is not supported and was ignored');
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`cohere: unknown field \`${key}\` was ignored`);

  const res = await callCohere(target, { method: 'POST', path: '/v2/embed', body }, opts);
  const json = await readJson<CohereEmbedResponse>(res, target.provider);
  const vectors = json.embeddings?.float ?? [];
  if (vectors.length !== texts.length) {
    throw new GatewayError('upstream_bad_response', { message: `Cohere returned ${vectors.length} float embeddings for ${texts.length} inputs`, provider: target.provider });
  }
  const reported = json.meta?.billed_units?.input_tokens ?? json.meta?.tokens?.input_tokens;
  const tokens = reported ?? texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  return {
    model: target.model,
    data: vectors.map((v, index) => ({ index, embedding: req.encodingFormat === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v })),
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
    usageSource: reported === undefined ? 'estimated' : 'upstream',
  };
}
