import { GatewayError, type StreamPart, type Usage } from '../../spec/index.js';
import { connectionError, sseEvents } from '../http/index.js';
import { convertUsage, mapFinishReason } from './decode-response.js';
import type { DashScopeGeneration } from './dashscope-wire.js';
import { mapDashScopeError } from './map-dashscope-error.js';

export interface StreamDecodeContext {
  model: string;
  provider: string;
}

/**
 * DashScope SSE (`id:`, `event:result`, a `:HTTP_STATUS/200` comment, then
 * `data:{…}`) with incremental_output → unified parts. finish_reason is the
 * string "null" until the last event; usage is cumulative in every event, so
 * the last one counts. An `event:error` frame (status in its comment) is a
 * failure after the 200, mapped like an HTTP error.
 */
export async function* decodeStream(body: AsyncIterable<Buffer | string>, ctx: StreamDecodeContext): AsyncGenerator<StreamPart> {
  const toolIndexByIndex = new Map<number, number>();
  let started = false;
  let finished = false;
  let usage: Usage | undefined;
  try {
    for await (const ev of sseEvents(body)) {
      if (ev.event === 'error') {
        yield { type: 'error', error: mapDashScopeError(ctx.provider, 500, {}, ev.data) };
        return;
      }
      if (ev.data.trim() === '') continue;
      let e: DashScopeGeneration;
      try {
        e = JSON.parse(ev.data) as DashScopeGeneration;
      } catch {
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} sent a stream event that is not JSON`, provider: ctx.provider, upstreamBody: ev.data.slice(0, 2000) }) };
        return;
      }
      if (!started) {
        started = true;
        yield { type: 'start', id: e.request_id ?? `dashscope-${Date.now().toString(36)}`, model: ctx.model, created: Math.floor(Date.now() / 1000) };
      }
      if (e.usage) usage = convertUsage(e.usage);
      const c = e.output?.choices?.[0];
      const m = c?.message;
      if (m?.reasoning_content) yield { type: 'reasoning-delta', choice: 0, text: m.reasoning_content };
      if (m?.content) yield { type: 'text-delta', choice: 0, text: m.content };
      for (const t of m?.tool_calls ?? []) {
        const key = t.index ?? 0;
        let toolIndex = toolIndexByIndex.get(key);
        if (toolIndex === undefined) {
          toolIndex = toolIndexByIndex.size;
          toolIndexByIndex.set(key, toolIndex);
          yield { type: 'tool-call-start', choice: 0, toolIndex, id: t.id || `call_${toolIndex}`, name: t.function?.name ?? '' };
        }
        if (t.function?.arguments) yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: t.function.arguments };
      }
      const reason = c?.finish_reason;
      if (reason && reason !== 'null' && !finished) {
        finished = true;
        yield { type: 'finish', choice: 0, finishReason: mapFinishReason(reason) };
      }
    }
  } catch (err) {
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
