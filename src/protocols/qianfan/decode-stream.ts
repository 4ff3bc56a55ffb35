import { GatewayError, type StreamPart, type Usage } from '../../spec/index.js';
import { connectionError, sseEvents } from '../http/index.js';
import { callId, convertUsage, mapFinishReason } from './decode-response.js';
import { mapErnieError } from './map-qianfan-error.js';
import type { ErnieResponse } from './qianfan-wire.js';

export interface StreamDecodeContext {
  model: string;
  provider: string;
}

/**
 * ERNIE SSE (`data: {…}` per sentence, `is_end: true` on the last, which
 * carries the finish reason and usage) → unified parts. A function call
 * arrives whole in one event. An `error_code` event is a failure after the 200.
 */
export async function* decodeStream(body: AsyncIterable<Buffer | string>, ctx: StreamDecodeContext): AsyncGenerator<StreamPart> {
  let started = false;
  let ended = false;
  let usage: Usage | undefined;
  let tools = 0;
  try {
    for await (const ev of sseEvents(body)) {
      if (ev.data.trim() === '') continue;
      let e: ErnieResponse;
      try {
        e = JSON.parse(ev.data) as ErnieResponse;
      } catch {
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} sent a stream event that is not JSON`, provider: ctx.provider, upstreamBody: ev.data.slice(0, 2000) }) };
        return;
      }
      if (e.error_code !== undefined) {
        yield { type: 'error', error: mapErnieError(ctx.provider, e.error_code, e.error_msg ?? `ERNIE error ${e.error_code}`, {}, ev.data) };
        return;
      }
      if (!started) {
        started = true;
        yield { type: 'start', id: e.id ?? `qianfan-${Date.now().toString(36)}`, model: ctx.model, created: e.created ?? Math.floor(Date.now() / 1000) };
      }
      if (e.result) yield { type: 'text-delta', choice: 0, text: e.result };
      if (e.function_call) {
        if (e.function_call.thoughts) yield { type: 'reasoning-delta', choice: 0, text: e.function_call.thoughts };
        const toolIndex = tools++;
        yield { type: 'tool-call-start', choice: 0, toolIndex, id: callId(e.id), name: e.function_call.name };
        yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: e.function_call.arguments };
      }
      if (e.usage) usage = convertUsage(e.usage);
      if (e.is_end === true && !ended) {
        ended = true;
        const reason = tools > 0 && e.finish_reason !== 'function_call' ? 'function_call' : e.finish_reason;
        yield { type: 'finish', choice: 0, finishReason: mapFinishReason(reason) };
      }
    }
  } catch (err) {
    if (!ended) {
      yield { type: 'error', error: connectionError(err, ctx.provider) };
      return;
    }
  }
  if (!ended) {
    yield { type: 'error', error: new GatewayError('upstream_connection', { message: `Upstream ${ctx.provider} stream ended before is_end`, provider: ctx.provider }) };
    return;
  }
  if (usage !== undefined) yield { type: 'usage', usage };
}
