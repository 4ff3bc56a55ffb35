import { randomUUID } from 'node:crypto';
import { GatewayError, type StreamPart } from '../../spec/index.js';
import { connectionError } from '../http/index.js';
import { createdSeconds, decodeLogprobs, decodeMessage, decodeUsage, toolCallIds } from './decode-message.js';
import { mapDoneReason } from './map-done-reason.js';
import { mapOllamaStreamError } from './map-ollama-error.js';
import { ndjsonLines } from './ndjson-lines.js';
import type { OllamaChatChunk } from './ollama-wire.js';

export interface StreamDecodeContext {
  requestedModel: string;
  provider: string;
}

/**
 * Ollama's NDJSON stream → unified parts. Each line holds the new piece of
 * the message; tool calls arrive whole (start + one delta each); the last
 * line has `done: true` with the done reason and the token counts. A stream
 * that ends without that line was cut, and says so.
 */
export async function* decodeStream(body: AsyncIterable<Buffer | string>, ctx: StreamDecodeContext): AsyncGenerator<StreamPart> {
  const nextId = toolCallIds();
  let started = false;
  let tools = 0;
  try {
    for await (const line of ndjsonLines(body)) {
      let chunk: OllamaChatChunk;
      try {
        chunk = JSON.parse(line) as OllamaChatChunk;
      } catch {
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} sent a stream line that is not JSON`, provider: ctx.provider, upstreamBody: line.slice(0, 2000) }) };
        return;
      }
      if (typeof chunk.error === 'string') {
        yield { type: 'error', error: mapOllamaStreamError(chunk.error, ctx.provider, line) };
        return;
      }
      if (!started) {
        started = true;
        yield { type: 'start', id: `ollama-${randomUUID()}`, model: chunk.model ?? ctx.requestedModel, created: createdSeconds(chunk.created_at) };
      }
      for (const p of decodeMessage(chunk.message, nextId)) {
        if (p.type === 'text') yield { type: 'text-delta', choice: 0, text: p.text };
        else if (p.type === 'reasoning') yield { type: 'reasoning-delta', choice: 0, text: p.text };
        else if (p.type === 'tool-call') {
          const toolIndex = tools++;
          yield { type: 'tool-call-start', choice: 0, toolIndex, id: p.id, name: p.name };
          yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: p.arguments };
        }
      }
      const logprobs = decodeLogprobs(chunk.logprobs);
      if (logprobs !== undefined) yield { type: 'logprobs', choice: 0, content: logprobs };
      if (chunk.done === true) {
        yield { type: 'finish', choice: 0, finishReason: mapDoneReason(chunk.done_reason, tools > 0) };
        if (chunk.prompt_eval_count !== undefined || chunk.eval_count !== undefined) yield { type: 'usage', usage: decodeUsage(chunk) };
        return;
      }
    }
  } catch (err) {
    yield { type: 'error', error: connectionError(err, ctx.provider) };
    return;
  }
  yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${ctx.provider} stream ended before its done line`, provider: ctx.provider }) };
}
