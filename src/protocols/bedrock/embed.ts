import { GatewayError, invalidRequest, type CallOptions, type Embedding, type EmbeddingRequest, type EmbeddingResponse, type UpstreamTarget } from '../../spec/index.js';
import { readText } from '../http/index.js';
import { toBase64 } from '../openai/embed.js';
import { callBedrock } from './bedrock-http.js';
import { isRecord } from './bedrock-wire.js';
import { baseModelId } from './model-family.js';

type Warn = (m: string) => void;

interface Batch {
  body: Record<string, unknown>;
  /** Vectors out of one InvokeModel answer. */
  read(json: Record<string, unknown>): number[][];
  /** Token count from the body when the model reports it there. */
  tokens?(json: Record<string, unknown>): number | undefined;
}

/** Titan takes one text per call; Cohere up to 96. */
const COHERE_BATCH = 96;
const PARALLEL_CALLS = 8;

/**
 * Embeddings through InvokeModel (`POST /model/{id}/invoke`): Converse has
 * none, and each maker has its own body. Titan (`inputText`, one per call)
 * and Cohere (`texts`, batched) are supported; other models fail with a 400.
 */
export async function embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
  if (req.input.some((x) => typeof x !== 'string')) throw invalidRequest('input: Bedrock embeddings take text, not token arrays', 'input');
  const texts = req.input as string[];
  const own = takeOptions(req, opts.warn);
  const id = baseModelId(target.model);
  const batches = id.startsWith('amazon.titan-embed') ? titanBatches(id, texts, req, own, target.provider) : id.startsWith('cohere.embed') ? cohereBatches(id, texts, req, own, target.provider) : undefined;
  if (batches === undefined) {
    throw new GatewayError('unsupported_parameter', { message: `Bedrock embeddings support Titan and Cohere embedding models, not ${target.model}`, param: 'model' });
  }
  if (req.user !== undefined) opts.warn('user: not supported by Bedrock embeddings; not sent');
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`${key}: unknown field, not sent to Bedrock (use providerOptions.bedrock)`);

  const results: { vectors: number[][]; tokens: number }[] = [];
  for (let i = 0; i < batches.length; i += PARALLEL_CALLS) {
    results.push(...(await Promise.all(batches.slice(i, i + PARALLEL_CALLS).map((b) => invoke(b, target, opts)))));
  }
  const vectors = results.flatMap((r) => r.vectors);
  if (vectors.length !== texts.length) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned ${vectors.length} embeddings for ${texts.length} inputs`, provider: target.provider });
  }
  const tokens = results.reduce((n, r) => n + r.tokens, 0);
  const data: Embedding[] = vectors.map((v, index) => ({ index, embedding: req.encodingFormat === 'base64' ? toBase64(v) : v }));
  return { model: target.model, data, usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens }, usageSource: 'upstream' };
}

async function invoke(b: Batch, target: UpstreamTarget, opts: CallOptions): Promise<{ vectors: number[][]; tokens: number }> {
  const res = await callBedrock(target, opts, { action: 'invoke', body: JSON.stringify(b.body), stream: false, accept: 'application/json' });
  const text = await readText(res, target.provider);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!isRecord(json)) throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned an embedding body that is not a JSON object`, provider: target.provider, upstreamBody: text.slice(0, 2000) });
  const vectors = b.read(json);
  const header = Number(res.headers['x-amzn-bedrock-input-token-count']);
  const tokens = b.tokens?.(json) ?? (Number.isFinite(header) ? header : 0);
  return { vectors, tokens };
}

function titanBatches(id: string, texts: string[], req: EmbeddingRequest, own: Record<string, unknown>, provider: string): Batch[] {
  const v2 = id.startsWith('amazon.titan-embed-text-v2');
  const image = id.startsWith('amazon.titan-embed-image');
  if (req.dimensions !== undefined && !v2 && !image) throw invalidRequest(`dimensions: ${id} has a fixed vector size`, 'dimensions');
  return texts.map((inputText) => {
    const body: Record<string, unknown> = { inputText, ...own };
    if (req.dimensions !== undefined) {
      if (v2) body.dimensions = req.dimensions;
      else body.embeddingConfig = { outputEmbeddingLength: req.dimensions };
    }
    return {
      body,
      read: (json) => [vectorOf(json.embedding, provider)],
      tokens: (json) => (typeof json.inputTextTokenCount === 'number' ? json.inputTextTokenCount : undefined),
    };
  });
}

function cohereBatches(id: string, texts: string[], req: EmbeddingRequest, own: Record<string, unknown>, provider: string): Batch[] {
  if (req.dimensions !== undefined && !id.startsWith('cohere.embed-v4')) throw invalidRequest(`dimensions: ${id} has a fixed vector size`, 'dimensions');
  const out: Batch[] = [];
  for (let i = 0; i < texts.length; i += COHERE_BATCH) {
    // Cohere requires input_type; documents is the neutral choice for stored texts.
    const body: Record<string, unknown> = { texts: texts.slice(i, i + COHERE_BATCH), input_type: 'search_document', ...own };
    if (req.dimensions !== undefined) body.output_dimension = req.dimensions;
    out.push({
      body,
      read: (json) => {
        const e = json.embeddings;
        const list = Array.isArray(e) ? e : isRecord(e) && Array.isArray(e.float) ? e.float : undefined;
        if (list === undefined) throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} (Cohere) returned no float embeddings`, provider });
        return list.map((v: unknown) => vectorOf(v, provider));
      },
    });
  }
  return out;
}

function vectorOf(v: unknown, provider: string): number[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} returned an embedding that is not a list of numbers`, provider });
}

/** `providerOptions.bedrock` is merged into the InvokeModel body (Titan `normalize`, Cohere `input_type`, `truncate` …). */
function takeOptions(req: EmbeddingRequest, warn: Warn): Record<string, unknown> {
  let own: Record<string, unknown> = {};
  for (const [ns, values] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'bedrock') own = { ...values };
    else warn(`providerOptions.${ns} is ignored by the Bedrock protocol`);
  }
  return own;
}
