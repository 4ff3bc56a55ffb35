import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { callDashScope, GENERATION_PATH, readJson } from './dashscope-http.js';
import type { DashScopeGeneration } from './dashscope-wire.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { embed } from './embed.js';
import { encodeRequest } from './encode-request.js';

async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const res = await callDashScope(target, GENERATION_PATH, encodeRequest(req, target.model, false, opts.warn), false, opts);
  return decodeResponse(await readJson<DashScopeGeneration>(res, target.provider), target.model);
}

async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const res = await callDashScope(target, GENERATION_PATH, encodeRequest(req, target.model, true, opts.warn), true, opts);
  return (async function* parts(): AsyncGenerator<StreamPart> {
    try {
      yield* decodeStream(res.body, { model: target.model, provider: target.provider });
    } finally {
      if (!res.body.readableEnded) res.body.destroy();
    }
  })();
}

/**
 * Alibaba Cloud DashScope's native API (Qwen text-generation and
 * text-embedding). The OpenAI-compatible mode is a catalog entry on the
 * `openai` protocol; this one adds DashScope-only parameters and workspaces.
 */
export const dashscopeProtocol: Protocol = {
  id: 'dashscope',
  // Text only: ERNIE chat and DashScope text-generation take no image parts.
  inputs: { images: false },
  chat,
  stream,
  embed,
};
