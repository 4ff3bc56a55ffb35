import { GatewayError, type CallOptions, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { callDashScope, EMBEDDING_PATH, readJson } from './dashscope-http.js';
import type { DashScopeEmbeddingResponse } from './dashscope-wire.js';

/** `/services/embeddings/text-embedding/text-embedding`: texts in `input.texts`, vectors back by `text_index`. */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  if (req.input.some((x) => typeof x !== 'string')) {
    throw new GatewayError('unsupported_parameter', { message: 'input: DashScope embeddings take text, not token arrays', param: 'input' });
  }
  const parameters: Record<string, unknown> = {};
  if (req.dimensions !== undefined) parameters.dimension = req.dimensions;
  if (req.user !== undefined) opts.warn('dashscope: `user` is not supported and was ignored');
  for (const [ns, values] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'dashscope') Object.assign(parameters, values);
    else opts.warn(`dashscope: providerOptions.${ns} is for another provider and was ignored`);
  }
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`dashscope: unknown field \`${key}\` was not sent`);
  const body = { model: target.model, input: { texts: req.input as string[] }, ...(Object.keys(parameters).length > 0 && { parameters }) };
  const res = await callDashScope(target, EMBEDDING_PATH, body, false, opts);
  const json = await readJson<DashScopeEmbeddingResponse>(res, target.provider);
  // DashScope only answers floats; OpenAI clients that asked for base64 (the openai SDK's default) decode whatever comes back as base64.
  const asRequested = (v: number[]): number[] | string => (req.encodingFormat === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v);
  const data = (json.output?.embeddings ?? []).map((e) => ({ index: e.text_index, embedding: asRequested(e.embedding) })).sort((a, b) => a.index - b.index);
  const tokens = json.usage?.total_tokens ?? 0;
  return { model: target.model, data, usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens } };
}
