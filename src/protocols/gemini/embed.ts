import { GatewayError, invalidRequest, type CallOptions, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { callGemini, readJson } from './gemini-http.js';
import { GEMINI_OPTION_KEYS, modelPath } from './encode-request.js';

interface BatchEmbedResponse {
  embeddings?: { values?: number[] }[];
  usageMetadata?: { promptTokenCount?: number; totalTokenCount?: number };
}

/** Per-request fields of `EmbedContentRequest` a caller may set through providerOptions.gemini. */
const REQUEST_OPTIONS = new Set(['taskType', 'title', 'outputDimensionality']);

/**
 * Embeddings through `:batchEmbedContents` (one call for many inputs).
 * Gemini reports no token usage for embeddings, so usage is estimated at
 * ~4 characters per token and the response says so (`usageSource`).
 */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  const texts = req.input.map((item, i) => {
    if (typeof item !== 'string') throw invalidRequest('Gemini embeddings take text input only, not token arrays', `input[${i}]`);
    return item;
  });
  const extra: Record<string, unknown> = {};
  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (!GEMINI_OPTION_KEYS.includes(ns)) {
      opts.warn(`gemini: providerOptions.${ns} is for another provider and was ignored`);
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (REQUEST_OPTIONS.has(key)) extra[key] = v;
      else opts.warn(`gemini: providerOptions.${ns}.${key} is not an embedding option and was ignored`);
    }
  }
  if (req.user !== undefined) opts.warn('gemini: `user` is not supported and was ignored');
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`gemini: unknown field \`${key}\` was ignored`);

  const model = target.model.includes('/') ? target.model : `models/${target.model}`;
  const requests = texts.map((text) => {
    const r: Record<string, unknown> = { model, content: { parts: [{ text }] }, ...extra };
    if (req.dimensions !== undefined) r['outputDimensionality'] = req.dimensions;
    return r;
  });
  const res = await callGemini(target, { method: 'POST', path: modelPath(target.model, 'batchEmbedContents'), body: { requests } }, opts);
  const json = await readJson<BatchEmbedResponse>(res, target.provider);
  const embeddings = json.embeddings ?? [];
  if (embeddings.length !== texts.length) {
    throw new GatewayError('upstream_bad_response', { message: `Gemini returned ${embeddings.length} embeddings for ${texts.length} inputs`, provider: target.provider });
  }

  const upstreamTokens = json.usageMetadata?.promptTokenCount ?? json.usageMetadata?.totalTokenCount;
  const tokens = upstreamTokens ?? texts.reduce((sum, t) => sum + Math.max(1, Math.ceil(t.length / 4)), 0);
  return {
    model: target.model,
    data: embeddings.map((e, index) => ({ index, embedding: req.encodingFormat === 'base64' ? toBase64(e.values ?? []) : e.values ?? [] })),
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
    usageSource: upstreamTokens === undefined ? 'estimated' : 'upstream',
  };
}

/** OpenAI's base64 embedding format: little-endian float32 bytes. */
function toBase64(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}
