import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, UpstreamTarget } from '../../spec/index.js';
import { callCohere, readJson } from './cohere-http.js';
import type { CohereChatResponse } from './cohere-wire.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { embed } from './embed.js';
import { encodeRequest } from './encode-request.js';
import { listModels } from './list-models.js';
import { rerank } from './rerank.js';

async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const body = encodeRequest(req, target.model, false, opts.warn);
  const res = await callCohere(target, { method: 'POST', path: '/v2/chat', body }, opts);
  const json = await readJson<CohereChatResponse>(res, target.provider);
  return decodeResponse(json, target.model, target.provider);
}

async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const body = encodeRequest(req, target.model, true, opts.warn);
  const res = await callCohere(target, { method: 'POST', path: '/v2/chat', body, stream: true }, opts);
  return decodeStream(res.body, { requestedModel: target.model, provider: target.provider, warn: opts.warn });
}

/** Cohere API v2: chat (SSE streams), embed, rerank, and the v1 model list. */
export const cohereProtocol: Protocol = {
  id: 'cohere',
  chat,
  stream,
  embed,
  rerank,
  listModels,
};
