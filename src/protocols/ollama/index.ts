import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, UpstreamTarget } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { embed } from './embed.js';
import { encodeRequest } from './encode-request.js';
import { listModels } from './list-models.js';
import { callOllama, readJson } from './ollama-http.js';
import type { OllamaChatChunk } from './ollama-wire.js';

async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  // Ollama streams unless told not to, so `stream: false` is always sent.
  const body = encodeRequest({ ...req, model: target.model }, false, opts.warn);
  const res = await callOllama(target, { method: 'POST', path: '/api/chat', body }, opts);
  return decodeResponse(await readJson<OllamaChatChunk>(res, target.provider), target.model, target.provider);
}

async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const body = encodeRequest({ ...req, model: target.model }, true, opts.warn);
  const res = await callOllama(target, { method: 'POST', path: '/api/chat', body, stream: true }, opts);
  return decodeStream(res.body, { requestedModel: target.model, provider: target.provider });
}

/**
 * Ollama's native API (`/api/chat`, NDJSON streams, `/api/embed`,
 * `/api/tags`). The same server also speaks OpenAI under `/v1` (the
 * `ollama` catalog entry); the native API adds thinking control, JSON
 * schema `format`, images and tool calls with object arguments.
 */
export const ollamaProtocol: Protocol = {
  id: 'ollama',
  chat,
  stream,
  embed,
  listModels,
};
