import { GatewayError, invalidRequest, type CallOptions, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { callOllama, readJson } from './ollama-http.js';
import type { OllamaEmbedResponse } from './ollama-wire.js';

const BODY_OPTIONS = new Set(['truncate', 'keep_alive', 'options']);

/** `POST /api/embed`: many inputs in one call; `prompt_eval_count` is the token usage. */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  const input = req.input.map((item, i) => {
    if (typeof item !== 'string') throw invalidRequest('Ollama embeddings take text input only, not token arrays', `input[${i}]`);
    return item;
  });
  const body: Record<string, unknown> = { model: target.model, input };
  if (req.dimensions !== undefined) body['dimensions'] = req.dimensions;
  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (ns !== 'ollama') {
      opts.warn(`ollama: providerOptions.${ns} is for another provider and was ignored`);
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (BODY_OPTIONS.has(key)) body[key] = v;
      else opts.warn(`ollama: providerOptions.ollama.${key} is not an embedding option and was ignored`);
    }
  }
  if (req.user !== undefined) opts.warn('ollama: `user` is not supported and was ignored');
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`ollama: unknown field \`${key}\` was ignored`);

  const res = await callOllama(target, { method: 'POST', path: '/api/embed', body }, opts);
  const json = await readJson<OllamaEmbedResponse>(res, target.provider);
  const vectors = json.embeddings ?? [];
  if (vectors.length !== input.length) {
    throw new GatewayError('upstream_bad_response', { message: `Ollama returned ${vectors.length} embeddings for ${input.length} inputs`, provider: target.provider });
  }
  const counted = json.prompt_eval_count;
  const tokens = counted ?? input.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
  return {
    model: json.model ?? target.model,
    data: vectors.map((v, index) => ({ index, embedding: req.encodingFormat === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v })),
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
    usageSource: counted === undefined ? 'estimated' : 'upstream',
  };
}
