import { randomUUID } from 'node:crypto';
import { GatewayError, type StreamPart } from '../../spec/index.js';
import { connectionError, sseEvents } from '../http/index.js';
import { decodeUsage, finishReason, responseText, toolCallArguments, toolCallIds, toolCallName } from './decode-parts.js';
import { mapWorkersAiStreamError } from './map-workers-ai-error.js';
import type { WorkersAiChatResult, WorkersAiToolCallIn } from './workers-ai-wire.js';

export interface StreamDecodeContext {
  model: string;
  provider: string;
  maxTokens?: number;
}

/**
 * Workers AI's SSE stream → unified parts. Each `data:` object holds the
 * next piece of `response` (plus a `p` padding field to ignore); tool calls
 * come as `tool_calls` pieces, keyed by `index` when a call is streamed in
 * fragments; usage rides on a late object; `data: [DONE]` ends it. A
 * stream that stops before `[DONE]` was cut, and says so.
 */
export async function* decodeStream(body: AsyncIterable<Buffer | string>, ctx: StreamDecodeContext): AsyncGenerator<StreamPart> {
  const nextId = toolCallIds();
  // Upstream call index → our toolIndex, so fragments of one call stay one call.
  const calls = new Map<number, number>();
  let tools = 0;
  let raw: string | null | undefined;
  let usage: WorkersAiChatResult['usage'];
  yield { type: 'start', id: `workers-ai-${randomUUID()}`, model: ctx.model, created: Math.floor(Date.now() / 1000) };
  try {
    for await (const event of sseEvents(body)) {
      const data = event.data.trim();
      if (data === '') continue;
      if (data === '[DONE]') {
        yield { type: 'finish', choice: 0, finishReason: finishReason(raw, tools > 0, usage?.completion_tokens, ctx.maxTokens) };
        if (usage !== undefined) yield { type: 'usage', usage: decodeUsage(usage) };
        return;
      }
      let chunk: WorkersAiChatResult & { error?: unknown; errors?: unknown };
      try {
        chunk = JSON.parse(data) as typeof chunk;
      } catch {
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} sent a stream event that is not JSON`, provider: ctx.provider, upstreamBody: data.slice(0, 2000) }) };
        return;
      }
      if (event.event === 'error' || chunk.error !== undefined || (Array.isArray(chunk.errors) && chunk.errors.length > 0)) {
        yield { type: 'error', error: mapWorkersAiStreamError(data, ctx.provider) };
        return;
      }
      const text = responseText(chunk.response);
      if (text !== '') yield { type: 'text-delta', choice: 0, text };
      for (const call of chunk.tool_calls ?? []) yield* toolCallParts(call);
      if (chunk.usage !== undefined && chunk.usage !== null) usage = chunk.usage;
      if (chunk.finish_reason !== undefined && chunk.finish_reason !== null) raw = chunk.finish_reason;
    }
  } catch (err) {
    yield { type: 'error', error: connectionError(err, ctx.provider) };
    return;
  }
  yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} stream ended before data: [DONE]`, provider: ctx.provider }) };

  function* toolCallParts(call: WorkersAiToolCallIn): Generator<StreamPart> {
    // Without an index every piece is a whole call (the flat native shape).
    let toolIndex = typeof call.index === 'number' ? calls.get(call.index) : undefined;
    if (toolIndex === undefined) {
      toolIndex = tools++;
      if (typeof call.index === 'number') calls.set(call.index, toolIndex);
      yield { type: 'tool-call-start', choice: 0, toolIndex, id: nextId(call, toolIndex), name: toolCallName(call) ?? '' };
    }
    const args = toolCallArguments(call);
    if (args !== '') yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: args };
  }
}
