import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, UpstreamTarget } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { embed } from './embed.js';
import { encodeRequest } from './encode-request.js';
import { listModels } from './list-models.js';
import { callWorkersAi, readJson, runPath } from './workers-ai-http.js';
import type { WorkersAiChatResult, WorkersAiEnvelope } from './workers-ai-wire.js';

async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const body = encodeRequest(req, false, opts.warn);
  const res = await callWorkersAi(target, { method: 'POST', path: runPath(target.model), body }, opts);
  return decodeResponse(await readJson<WorkersAiEnvelope<WorkersAiChatResult>>(res, target.provider), target.model, req.maxOutputTokens, target.provider);
}

async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const body = encodeRequest(req, true, opts.warn);
  const res = await callWorkersAi(target, { method: 'POST', path: runPath(target.model), body, stream: true }, opts);
  return decodeStream(res.body, { model: target.model, provider: target.provider, ...(req.maxOutputTokens !== undefined && { maxTokens: req.maxOutputTokens }) });
}

/**
 * Cloudflare Workers AI's native REST API (`POST …/accounts/{id}/ai/run/
 * {model}`, SSE streams, the v4 `{result, success, errors}` envelope). The
 * same account also speaks OpenAI under `…/ai/v1` (the `cloudflare`
 * catalog entry); the native API reaches every model in the catalogue,
 * including those the compatible endpoint does not list.
 */
export const workersAiProtocol: Protocol = {
  id: 'workers-ai',
  inputs: { images: false },
  chat,
  stream,
  embed,
  listModels,
};
