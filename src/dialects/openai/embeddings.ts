/**
 * `/v1/embeddings`: decode the request (text or token-array input) and
 * encode the OpenAI list response.
 */
import type { EmbeddingRequest, EmbeddingResponse } from '../../spec/index.js';
import {
  decodeGatewayDirectives,
  isDirectiveKey,
  isUnsupportedGatewayKey,
  type GatewayDirectives,
} from './decode-gateway-directives.js';
import {
  asString,
  invalid,
  isAbsent,
  isObject,
  missing,
  optEnum,
  optInteger,
  optString,
  wrongType,
  type Json,
} from './json-checks.js';

const KNOWN = new Set(['model', 'input', 'dimensions', 'encoding_format', 'user', 'metadata']);

export interface DecodedEmbedding {
  request: EmbeddingRequest;
  /** Gateway directives (tags, fallbacks…) taken out of the body, as for chat. */
  gateway: GatewayDirectives;
  warnings: string[];
}

export function decodeEmbeddingRequest(body: unknown): DecodedEmbedding {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  const model = body['model'];
  if (isAbsent(model)) throw missing('model');
  const request: EmbeddingRequest = { model: asString(model, 'model'), input: decodeInput(body['input']) };
  const dimensions = optInteger(body['dimensions'], 'dimensions', 1);
  if (dimensions !== undefined) request.dimensions = dimensions;
  const format = optEnum(body['encoding_format'], 'encoding_format', ['float', 'base64'] as const);
  if (format !== undefined) request.encodingFormat = format;
  const user = optString(body['user'], 'user');
  if (user !== undefined) request.user = user;

  const warnings: string[] = [];
  let extra: Json | undefined;
  let metadataTags: unknown;
  const metadata = body['metadata'];
  if (isObject(metadata)) {
    // Embedding APIs take no metadata; only LiteLLM's `metadata.tags` means anything here.
    metadataTags = metadata['tags'];
    for (const k in metadata) if (k !== 'tags') warnings.push(`metadata.${k} is not supported on embeddings and was ignored`);
  } else if (!isAbsent(metadata)) throw wrongType('metadata', 'an object', metadata);
  for (const key in body) {
    if (KNOWN.has(key) || isDirectiveKey(key)) continue;
    if (isUnsupportedGatewayKey(key)) warnings.push(`'${key}' is not supported by this gateway and was ignored`);
    else (extra ??= {})[key] = body[key];
  }
  if (extra) request.extraBody = extra;
  return { request, gateway: decodeGatewayDirectives(body, metadataTags), warnings };
}

/** string | string[] | number[] | number[][] → string[] | number[][]. */
function decodeInput(v: unknown): string[] | number[][] {
  if (isAbsent(v)) throw missing('input');
  if (typeof v === 'string') {
    if (v === '') throw invalid("Invalid 'input': empty string. Expected a non-empty string.", 'input');
    return [v];
  }
  if (!Array.isArray(v)) throw wrongType('input', 'a string or an array', v);
  if (v.length === 0) {
    throw invalid("Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'input');
  }
  const first: unknown = v[0];
  if (typeof first === 'string') {
    for (let i = 0; i < v.length; i++) {
      const s = asString(v[i], `input[${i}]`);
      if (s === '') throw invalid(`Invalid 'input[${i}]': empty string. Expected a non-empty string.`, `input[${i}]`);
    }
    return v as string[];
  }
  if (typeof first === 'number') {
    checkTokens(v, 'input');
    return [v as number[]];
  }
  for (let i = 0; i < v.length; i++) {
    const row: unknown = v[i];
    if (!Array.isArray(row)) throw wrongType(`input[${i}]`, 'an array of token ids', row);
    if (row.length === 0) throw invalid(`Invalid 'input[${i}]': empty array of token ids.`, `input[${i}]`);
    checkTokens(row, `input[${i}]`);
  }
  return v as number[][];
}

function checkTokens(arr: unknown[], param: string): void {
  for (let i = 0; i < arr.length; i++) {
    const t = arr[i];
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) throw wrongType(`${param}[${i}]`, 'a token id (non-negative integer)', t);
  }
}

/**
 * `encodingFormat` is what the client asked for. The official SDKs ask for
 * base64 by default and decode whatever comes back as base64, so a protocol
 * that answered with floats is converted here (little-endian float32, as
 * OpenAI encodes) — once, for every protocol, instead of in each of them.
 */
export function encodeEmbeddingResponse(res: EmbeddingResponse, encodingFormat?: 'float' | 'base64'): Record<string, unknown> {
  return {
    object: 'list',
    data: res.data.map((d) => ({ object: 'embedding', index: d.index, embedding: encodingFormat === 'base64' && Array.isArray(d.embedding) ? toBase64Float32(d.embedding) : d.embedding })),
    model: res.model,
    usage: { prompt_tokens: res.usage.inputTokens, total_tokens: res.usage.totalTokens },
  };
}

function toBase64Float32(vector: number[]): string {
  const buf = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buf.writeFloatLE(vector[i]!, i * 4);
  return buf.toString('base64');
}
