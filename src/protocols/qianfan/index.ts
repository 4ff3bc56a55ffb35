import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { embed } from './embed.js';
import { encodeRequest } from './encode-request.js';
import { callErnie } from './qianfan-http.js';

const chatPath = (model: string): string => `/chat/${encodeURIComponent(model)}`;

async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const { json } = await callErnie(target, { path: chatPath(target.model), body: encodeRequest(req, false, opts.warn) }, opts);
  return decodeResponse(json!, target.model);
}

async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const { res, json } = await callErnie(target, { path: chatPath(target.model), body: encodeRequest(req, true, opts.warn), stream: true }, opts);
  if (json !== undefined) {
    // Answered in one piece: replay it as one event.
    const event = `data: ${JSON.stringify({ ...json, is_end: true })}\n\n`;
    return decodeStream((async function* one() {
      yield event;
    })(), { model: target.model, provider: target.provider });
  }
  return (async function* parts(): AsyncGenerator<StreamPart> {
    try {
      yield* decodeStream(res.body, { model: target.model, provider: target.provider });
    } finally {
      if (!res.body.readableEnded) res.body.destroy();
    }
  })();
}

/**
 * Baidu Qianfan's legacy wenxinworkshop API (ERNIE) behind the OAuth
 * access-token flow. The model is the endpoint name in the URL
 * (`ernie-4.0-8k`, `completions_pro` …). Qianfan v2 is OpenAI-compatible
 * and a plain catalog entry instead.
 */
export const qianfanProtocol: Protocol = {
  id: 'qianfan',
  // Text only: ERNIE chat and DashScope text-generation take no image parts.
  inputs: { images: false },
  chat,
  stream,
  embed,
};
