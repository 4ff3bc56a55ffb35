import type { CallOptions, ChatRequest, ChatResponse, ChatStream, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { callUpstream, firstByteTimer, readJson } from './call-upstream.js';
import { decodeChatResponse } from './decode-chat-response.js';
import { decodeChatStream } from './decode-chat-stream.js';
import { encodeChatRequest } from './encode-chat-request.js';
import { mapOpenAIError } from './map-openai-error.js';
import { responseToParts } from './response-to-parts.js';
import { isRecord } from './wire-types.js';

export async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const body = encodeChatRequest({ ...req, stream: false }, target, opts);
  const res = await callUpstream(target, opts, { method: 'POST', path: '/chat/completions', body: JSON.stringify(body), stream: false });
  const json = await readJson(res, target.provider);
  // Some compatible servers answer 200 with an error body.
  if (isRecord(json) && json.error !== undefined && json.error !== null && !Array.isArray(json.choices)) {
    throw mapOpenAIError(target.provider, 502, res.headers, JSON.stringify(json));
  }
  return decodeChatResponse(json, target.provider, target.model);
}

/** Resolves once the upstream accepted (2xx headers); later failures arrive as an `error` part. */
export async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const body = encodeChatRequest({ ...req, stream: true }, target, opts);
  const res = await callUpstream(target, opts, { method: 'POST', path: '/chat/completions', body: JSON.stringify(body), stream: true });
  if (String(res.headers['content-type'] ?? '').includes('application/json')) {
    // Some compatible servers ignore `stream: true` and answer in one piece.
    const whole = decodeChatResponse(await readJson(res, target.provider), target.provider, target.model);
    return (async function* whole_(): AsyncGenerator<StreamPart> {
      yield* responseToParts(whole);
    })();
  }
  const clearTimer = firstByteTimer(res.body, target);
  return (async function* parts(): AsyncGenerator<StreamPart> {
    try {
      for await (const part of decodeChatStream(res.body, target.provider, target.model)) {
        clearTimer();
        yield part;
      }
    } finally {
      clearTimer();
      // A consumer that stops early must not leave the upstream generating.
      if (!res.body.readableEnded) res.body.destroy();
    }
  })();
}
