import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { callTencent } from './hunyuan-http.js';

async function chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  const body = encodeRequest(req, target.model, false, opts.warn);
  const { json } = await callTencent(target, { action: 'ChatCompletions', body }, opts);
  return decodeResponse(json!.Response, target.model);
}

async function stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  const body = encodeRequest(req, target.model, true, opts.warn);
  const { res, json } = await callTencent(target, { action: 'ChatCompletions', body, stream: true }, opts);
  if (json !== undefined) {
    // Answered in one piece: replay it as parts.
    const whole = decodeResponse(json.Response, target.model);
    return (async function* one(): AsyncGenerator<StreamPart> {
      yield { type: 'start', id: whole.id, model: whole.model, created: whole.created };
      let toolIndex = 0;
      for (const p of whole.choices[0]?.content ?? []) {
        if (p.type === 'text') yield { type: 'text-delta', choice: 0, text: p.text };
        else if (p.type === 'reasoning') yield { type: 'reasoning-delta', choice: 0, text: p.text };
        else {
          yield { type: 'tool-call-start', choice: 0, toolIndex, id: p.id, name: p.name };
          yield { type: 'tool-call-delta', choice: 0, toolIndex: toolIndex++, argumentsDelta: p.arguments };
        }
      }
      yield { type: 'finish', choice: 0, finishReason: whole.choices[0]?.finishReason ?? { unified: 'other' } };
      yield { type: 'usage', usage: whole.usage };
    })();
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
 * Tencent Hunyuan's native API (hunyuan.tencentcloudapi.com, action
 * ChatCompletions) with TC3-HMAC-SHA256 signing. Hunyuan's OpenAI-compatible
 * endpoint is a plain catalog entry on the `openai` protocol instead.
 */
export const hunyuanProtocol: Protocol = {
  id: 'hunyuan',
  chat,
  stream,
};

export { signTc3 } from './tc3-signer.js';
