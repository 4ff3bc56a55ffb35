import { GatewayError, type CallOptions, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { callErnie } from './qianfan-http.js';
import type { ErnieEmbeddingResponse } from './qianfan-wire.js';

/** `…/wenxinworkshop/embeddings/{model}` (embedding-v1, bge-large-zh …): `{input: [texts]}` → `data[].embedding`. */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  if (req.input.some((x) => typeof x !== 'string')) throw new GatewayError('unsupported_parameter', { message: 'input: Qianfan embeddings take text, not token arrays', param: 'input' });
  if (req.dimensions !== undefined) opts.warn('qianfan: dimensions is not supported; the model\'s own size is returned');
  const body: Record<string, unknown> = { input: req.input };
  if (req.user !== undefined) body.user_id = req.user;
  const { json } = await callErnie(target, { path: `/embeddings/${encodeURIComponent(target.model)}`, body }, opts);
  const r = json as ErnieEmbeddingResponse;
  // ERNIE only answers floats; OpenAI clients that asked for base64 (the openai SDK's default) decode whatever comes back as base64.
  const asRequested = (v: number[]): number[] | string => (req.encodingFormat === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v);
  const tokens = r.usage?.prompt_tokens ?? r.usage?.total_tokens ?? 0;
  return {
    model: target.model,
    data: (r.data ?? []).map((d) => ({ index: d.index, embedding: asRequested(d.embedding) })).sort((a, b) => a.index - b.index),
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
  };
}
