import type { CallOptions, ChatRequest, ChatResponse, ChatStream, UpstreamTarget } from '../../spec/index.js';
import { decodeResponse, decodeStream, encodeRequest } from '../anthropic/index.js';
import { readText, send, sseEvents, type UpstreamResponse } from '../http/index.js';
import { mapVertexAnthropicError } from './map-vertex-error.js';
import { vertexAuthorization } from './vertex-auth.js';
import { publisherBase } from './vertex-url.js';

/** The Messages API version Vertex expects in the body (it replaces the `anthropic-version` header). */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/**
 * Claude on Vertex: the Anthropic Messages body without `model` (the URL
 * names it) and with `anthropic_version`, posted to `:rawPredict` or
 * `:streamRawPredict`; answers and SSE events are Anthropic's own, so the
 * Anthropic protocol's encoder and decoders are reused as they are.
 */
async function post(req: ChatRequest, target: UpstreamTarget, opts: CallOptions, stream: boolean): Promise<UpstreamResponse> {
  const authorization = await vertexAuthorization(target, opts.signal);
  const { apiKey: _key, credentials: _secret, ...rest } = target;
  const encoded = encodeRequest(req, { ...rest, auth: { kind: 'none' } }, opts.warn, stream);
  const { model: _model, ...fields } = encoded.body;
  const body = { anthropic_version: target.apiVersion?.startsWith('vertex-') ? target.apiVersion : VERTEX_ANTHROPIC_VERSION, ...fields };
  const headers = encoded.headers;
  delete headers['anthropic-version'];
  headers['authorization'] = authorization;
  if (stream) headers['accept'] = 'text/event-stream';
  const action = stream ? 'streamRawPredict' : 'rawPredict';
  return send({
    url: `${publisherBase(target, 'anthropic')}/models/${encodeURIComponent(target.model)}:${action}`,
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: opts.signal,
    headersTimeoutMs: stream ? target.firstTokenTimeoutMs : undefined,
    timeoutMs: target.timeoutMs,
    provider: target.provider,
  });
}

export async function chatAnthropic(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const res = await post(req, target, opts, false);
  const text = await readText(res, target.provider);
  if (res.status < 200 || res.status >= 300) throw mapVertexAnthropicError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
  return decodeResponse(text, target.provider, opts.warn);
}

export async function streamAnthropic(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const res = await post(req, target, opts, true);
  if (res.status < 200 || res.status >= 300) {
    const text = await readText(res, target.provider);
    throw mapVertexAnthropicError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
  }
  return decodeStream(sseEvents(res.body), target.provider, opts.warn);
}
