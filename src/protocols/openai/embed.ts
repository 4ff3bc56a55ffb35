import { GatewayError, type CallOptions, type Embedding, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { applyQuirks } from './apply-quirks.js';
import { callUpstream, readJson } from './call-upstream.js';
import { mapOpenAIError } from './map-openai-error.js';
import { isRecord } from './wire-types.js';

/** POST /embeddings. Vectors come back in the encoding the client asked for, whatever the upstream sent. */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  const body: Record<string, unknown> = { model: target.model, input: req.input };
  if (req.dimensions !== undefined) body.dimensions = req.dimensions;
  if (req.encodingFormat !== undefined) body.encoding_format = req.encodingFormat;
  if (req.user !== undefined) body.user = req.user;
  if (req.extraBody !== undefined) Object.assign(body, req.extraBody);
  for (const [ns, values] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'openai' || ns === target.provider) Object.assign(body, values);
    else opts.warn(`providerOptions.${ns} is ignored by the OpenAI protocol`);
  }
  applyQuirks(body, target.provider, target.quirks, opts.warn);
  const res = await callUpstream(target, opts, { method: 'POST', path: '/embeddings', body: JSON.stringify(body), stream: false });
  const json = await readJson(res, target.provider);
  if (!isRecord(json) || !Array.isArray(json.data)) {
    if (isRecord(json) && json.error !== undefined) throw mapOpenAIError(target.provider, 502, res.headers, JSON.stringify(json));
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned embeddings without data`, provider: target.provider });
  }
  const wantBase64 = req.encodingFormat === 'base64';
  const data: Embedding[] = json.data.map((d: unknown, i: number) => {
    const item = isRecord(d) ? d : {};
    const vec = item.embedding;
    const index = typeof item.index === 'number' ? item.index : i;
    if (typeof vec === 'string') return { index, embedding: wantBase64 ? vec : fromBase64(vec) };
    if (Array.isArray(vec)) return { index, embedding: wantBase64 ? toBase64(vec as number[]) : (vec as number[]) };
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned an embedding that is neither floats nor base64`, provider: target.provider });
  });
  const u = isRecord(json.usage) ? json.usage : {};
  const input = typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0;
  return {
    model: typeof json.model === 'string' ? json.model : target.model,
    data,
    usage: { inputTokens: input, outputTokens: 0, totalTokens: typeof u.total_tokens === 'number' ? u.total_tokens : input },
  };
}

/** OpenAI's base64 embeddings are little-endian float32. */
export function toBase64(vec: number[]): string {
  const buf = Buffer.allocUnsafe(vec.length * 4);
  vec.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

export function fromBase64(b64: string): number[] {
  const buf = Buffer.from(b64, 'base64');
  const out: number[] = new Array(buf.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
