import { GatewayError, type StreamPart, type Usage } from '../../spec/index.js';
import { connectionError, sseEvents, upstreamError } from '../http/index.js';
import { convertUsage, mapFinishReason } from './decode-response.js';
import type { HunyuanChatBody } from './hunyuan-wire.js';

export interface StreamDecodeContext {
  model: string;
  provider: string;
}

/**
 * Hunyuan SSE (`data: {…}` events, no [DONE]) → unified parts. Every event
 * carries the running Usage; the one with a non-empty FinishReason ends the
 * answer. Tool calls arrive as fragments keyed by `Id` (Tencent: merge by
 * Id). An `ErrorMsg` inside the stream is a failure after the 200.
 */
export async function* decodeStream(body: AsyncIterable<Buffer | string>, ctx: StreamDecodeContext): AsyncGenerator<StreamPart> {
  const toolIndexById = new Map<string, number>();
  let started = false;
  let usage: Usage | undefined;
  let finished = false;
  try {
    for await (const ev of sseEvents(body)) {
      if (ev.data.trim() === '' || ev.data === '[DONE]') continue;
      let e: HunyuanChatBody;
      try {
        e = JSON.parse(ev.data) as HunyuanChatBody;
      } catch {
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} sent a stream event that is not JSON`, provider: ctx.provider, upstreamBody: ev.data.slice(0, 2000) }) };
        return;
      }
      if (!started) {
        started = true;
        yield { type: 'start', id: e.Id ?? `hunyuan-${Date.now().toString(36)}`, model: ctx.model, created: e.Created ?? Math.floor(Date.now() / 1000) };
      }
      if (e.ErrorMsg && (e.ErrorMsg.Code !== undefined || e.ErrorMsg.Msg)) {
        const status = e.ErrorMsg.Code === 4001 ? 504 : 500;
        yield { type: 'error', error: upstreamError({ provider: ctx.provider, status, headers: {}, body: ev.data, message: e.ErrorMsg.Msg ?? `Hunyuan stream error ${e.ErrorMsg.Code}`, upstreamCode: String(e.ErrorMsg.Code) }) };
        return;
      }
      if (e.Usage) usage = convertUsage(e.Usage);
      for (const c of e.Choices ?? []) {
        const d = c.Delta ?? {};
        if (d.ReasoningContent) yield { type: 'reasoning-delta', choice: 0, text: d.ReasoningContent };
        if (d.Content) yield { type: 'text-delta', choice: 0, text: d.Content };
        for (const call of d.ToolCalls ?? []) {
          let toolIndex = toolIndexById.get(call.Id);
          if (toolIndex === undefined) {
            toolIndex = toolIndexById.size;
            toolIndexById.set(call.Id, toolIndex);
            yield { type: 'tool-call-start', choice: 0, toolIndex, id: call.Id, name: call.Function?.Name ?? '' };
          }
          if (call.Function?.Arguments) yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: call.Function.Arguments };
        }
        if (c.FinishReason && !finished) {
          finished = true;
          yield { type: 'finish', choice: 0, finishReason: mapFinishReason(c.FinishReason) };
        }
      }
    }
  } catch (err) {
    // A connection lost after the finish event cost nothing the client needs.
    if (!finished) {
      yield { type: 'error', error: connectionError(err, ctx.provider) };
      return;
    }
  }
  if (!finished) {
    yield { type: 'error', error: new GatewayError('upstream_connection', { message: `Upstream ${ctx.provider} stream ended before a finish reason`, provider: ctx.provider }) };
    return;
  }
  if (usage !== undefined) yield { type: 'usage', usage };
}
