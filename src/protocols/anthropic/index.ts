import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, UpstreamTarget } from '../../spec/index.js';
import { readText, send, sseEvents, type UpstreamResponse } from '../http/index.js';
import { anthropicUrl } from './anthropic-url.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { listAnthropicModels } from './list-models.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { relay } from './relay.js';

export { encodeRequest } from './encode-request.js';
export { decodeResponse } from './decode-response.js';
export { decodeStream } from './decode-stream.js';
export { mapAnthropicError, mapAnthropicStreamError } from './map-anthropic-error.js';
export { mapStopReason } from './map-stop-reason.js';

/** Anthropic Messages API (`POST /v1/messages`). No embeddings: Anthropic has none. */
export const anthropicProtocol: Protocol = {
  id: 'anthropic',
  nativeDialect: 'anthropic-messages',

  async chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
    const res = await post(req, target, opts, false);
    const text = await readText(res, target.provider);
    if (res.status < 200 || res.status >= 300) throw mapAnthropicError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
    return decodeResponse(text, target.provider, opts.warn);
  },

  async stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
    const res = await post(req, target, opts, true);
    if (res.status < 200 || res.status >= 300) {
      const text = await readText(res, target.provider);
      throw mapAnthropicError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
    }
    return decodeStream(sseEvents(res.body), target.provider, opts.warn);
  },

  /** The fast path for Anthropic-dialect clients (`/v1/messages`, `/v1/messages/count_tokens`). */
  relay,

  listModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
    return listAnthropicModels(target, opts);
  },
};

function post(req: ChatRequest, target: UpstreamTarget, opts: CallOptions, stream: boolean): Promise<UpstreamResponse> {
  const { body, headers } = encodeRequest(req, target, opts.warn, stream);
  if (stream) headers.accept = 'text/event-stream';
  return send({
    url: anthropicUrl(target, '/messages'),
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: opts.signal,
    headersTimeoutMs: stream ? target.firstTokenTimeoutMs : undefined,
    timeoutMs: target.timeoutMs,
    provider: target.provider,
  });
}
