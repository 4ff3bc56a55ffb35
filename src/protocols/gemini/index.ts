import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, UpstreamTarget } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { embed } from './embed.js';
import { encodeRequest, modelPath } from './encode-request.js';
import { callGemini, readJson } from './gemini-http.js';
import type { GeminiGenerateContentResponse } from './gemini-wire.js';
import { listModels } from './list-models.js';

async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const body = encodeRequest(req, opts.warn);
  const res = await callGemini(target, { method: 'POST', path: modelPath(target.model, 'generateContent'), body }, opts);
  const json = await readJson<GeminiGenerateContentResponse>(res, target.provider);
  return decodeResponse(json, target.model, target.provider, opts.warn);
}

async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const body = encodeRequest(req, opts.warn);
  const res = await callGemini(
    target,
    { method: 'POST', path: modelPath(target.model, 'streamGenerateContent'), query: { alt: 'sse' }, body, stream: true },
    opts,
  );
  return decodeStream(res.body, { requestedModel: target.model, provider: target.provider, warn: opts.warn });
}

/**
 * Google AI Studio's Generative Language API (v1beta). No relay: no client
 * dialect speaks Gemini's wire format yet.
 */
export const geminiProtocol: Protocol = {
  id: 'gemini',
  nativeDialect: 'gemini',
  chat,
  stream,
  embed,
  listModels,
};

export { DEFAULT_BASE_URL as GEMINI_DEFAULT_BASE_URL } from './gemini-http.js';
