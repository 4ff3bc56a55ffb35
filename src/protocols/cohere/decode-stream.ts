import { GatewayError, type StreamPart, type Usage } from '../../spec/index.js';
import { connectionError, sseEvents, upstreamError } from '../http/index.js';
import type { CohereStreamEvent } from './cohere-wire.js';
import { convertUsage } from './convert-usage.js';
import { decodeLogprobs } from './decode-response.js';
import { mapFinishReason } from './map-finish-reason.js';

export interface StreamDecodeContext {
  requestedModel: string;
  provider: string;
  warn(message: string): void;
}

/**
 * Cohere v2 chat SSE → unified parts. Events are named by `type`:
 * message-start (id), content-start/-delta/-end (text or thinking),
 * tool-plan-delta (reasoning before tool calls), tool-call-start/-delta/-end
 * (arguments as JSON text fragments), citation-start/-end, and message-end
 * with the finish reason and usage. A message-end with finish ERROR and an
 * error text is a failure after the 200, reported as an error part.
 */
export async function* decodeStream(body: AsyncIterable<Buffer | string>, ctx: StreamDecodeContext): AsyncGenerator<StreamPart> {
  const toolIndexByIndex = new Map<number, number>();
  let nextTool = 0;
  let started = false;
  let warnedCitations = false;
  try {
    for await (const ev of sseEvents(body)) {
      if (ev.data.trim() === '' || ev.data === '[DONE]') continue;
      let e: CohereStreamEvent;
      try {
        e = JSON.parse(ev.data) as CohereStreamEvent;
      } catch {
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} sent a stream event that is not JSON`, provider: ctx.provider, upstreamBody: ev.data.slice(0, 2000) }) };
        return;
      }
      const type = e.type ?? ev.event;
      if (!started && type !== 'message-start') {
        started = true;
        yield { type: 'start', id: `cohere-${Date.now().toString(36)}`, model: ctx.requestedModel, created: Math.floor(Date.now() / 1000) };
      }
      const m = e.delta?.message;
      switch (type) {
        case 'message-start':
          if (!started) {
            started = true;
            yield { type: 'start', id: e.id ?? `cohere-${Date.now().toString(36)}`, model: ctx.requestedModel, created: Math.floor(Date.now() / 1000) };
          }
          break;
        case 'content-start':
        case 'content-delta':
          if (m?.content?.text) yield { type: 'text-delta', choice: 0, text: m.content.text };
          if (m?.content?.thinking) yield { type: 'reasoning-delta', choice: 0, text: m.content.thinking };
          break;
        case 'tool-plan-delta':
          if (m?.tool_plan) yield { type: 'reasoning-delta', choice: 0, text: m.tool_plan };
          break;
        case 'tool-call-start': {
          const toolIndex = nextTool++;
          toolIndexByIndex.set(e.index ?? toolIndex, toolIndex);
          const call = m?.tool_calls;
          yield { type: 'tool-call-start', choice: 0, toolIndex, id: call?.id ?? `call_${toolIndex}`, name: call?.function?.name ?? '' };
          if (call?.function?.arguments) yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: call.function.arguments };
          break;
        }
        case 'tool-call-delta': {
          const toolIndex = toolIndexByIndex.get(e.index ?? -1);
          const args = m?.tool_calls?.function?.arguments;
          if (toolIndex !== undefined && args) yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: args };
          break;
        }
        case 'citation-start':
          if (!warnedCitations) {
            warnedCitations = true;
            ctx.warn('cohere: citations were streamed but the unified stream cannot carry them; omitted');
          }
          break;
        case 'message-end': {
          const d = e.delta ?? {};
          if (d.finish_reason === 'ERROR' && d.error) {
            yield { type: 'error', error: upstreamError({ provider: ctx.provider, status: 500, headers: {}, body: ev.data, message: d.error }) };
            return;
          }
          const logprobs = decodeLogprobs(e.logprobs);
          if (logprobs !== undefined) yield { type: 'logprobs', choice: 0, content: logprobs };
          yield { type: 'finish', choice: 0, finishReason: mapFinishReason(d.finish_reason) };
          const usage: Usage | undefined = d.usage !== undefined ? convertUsage(d.usage) : undefined;
          if (usage !== undefined) yield { type: 'usage', usage };
          return;
        }
        default:
          // content-end, tool-call-end, citation-end and debug carry nothing the unified stream needs.
          break;
      }
    }
  } catch (err) {
    yield { type: 'error', error: connectionError(err, ctx.provider) };
    return;
  }
  yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} stream ended before message-end`, provider: ctx.provider }) };
}
