import { randomUUID } from 'node:crypto';
import { GatewayError, type StreamPart, type Usage } from '../../spec/index.js';
import { connectionError, sseEvents } from '../http/index.js';
import { decodeLogprobs, decodePart, toolCallIds } from './decode-parts.js';
import type { GeminiCandidate, GeminiGenerateContentResponse } from './gemini-wire.js';
import { blockedFinishReason, mapFinishReason } from './map-finish-reason.js';
import { mapGeminiStreamError } from './map-gemini-error.js';
import { mapGeminiUsage } from './map-gemini-usage.js';

export interface StreamDecodeContext {
  requestedModel: string;
  provider: string;
  warn(message: string): void;
}

interface ChoiceState {
  toolCount: number;
  finished: boolean;
}

/**
 * `:streamGenerateContent?alt=sse` → unified stream parts. Each `data:` event
 * is a whole GenerateContentResponse holding only the new parts; function
 * calls arrive complete, so each becomes a tool-call-start plus one delta
 * with all its arguments. Usage is cumulative in every event that has it,
 * so only the last one is reported, once, after the finishes.
 */
export async function* decodeStream(body: AsyncIterable<Buffer | string>, ctx: StreamDecodeContext): AsyncGenerator<StreamPart> {
  const nextId = toolCallIds();
  const choices = new Map<number, ChoiceState>();
  let started = false;
  let usage: Usage | undefined;

  try {
    for await (const event of sseEvents(body)) {
      if (event.data.trim() === '') continue;
      let chunk: GeminiGenerateContentResponse;
      try {
        chunk = JSON.parse(event.data) as GeminiGenerateContentResponse;
      } catch {
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: 'Gemini sent a stream event that is not JSON', provider: ctx.provider, upstreamBody: event.data.slice(0, 2000) }) };
        return;
      }
      if (chunk.error !== undefined) {
        yield { type: 'error', error: mapGeminiStreamError(chunk.error, ctx.provider, event.data) };
        return;
      }
      if (!started) {
        started = true;
        yield { type: 'start', id: chunk.responseId ?? `gemini-${randomUUID()}`, model: chunk.modelVersion ?? ctx.requestedModel, created: Math.floor(Date.now() / 1000) };
      }
      (chunk.candidates ?? []).forEach((c, i) => {
        const index = c.index ?? i;
        if (!choices.has(index)) choices.set(index, { toolCount: 0, finished: false });
      });
      for (const [i, c] of (chunk.candidates ?? []).entries()) {
        yield* candidateParts(c, c.index ?? i, choices.get(c.index ?? i) as ChoiceState, nextId, ctx.warn);
      }
      const blockReason = chunk.promptFeedback?.blockReason;
      if (blockReason !== undefined && (chunk.candidates ?? []).length === 0 && !choices.has(0)) {
        choices.set(0, { toolCount: 0, finished: true });
        yield { type: 'finish', choice: 0, finishReason: blockedFinishReason(blockReason) };
      }
      if (chunk.usageMetadata !== undefined) usage = mapGeminiUsage(chunk.usageMetadata);
    }
  } catch (err) {
    yield { type: 'error', error: connectionError(err, ctx.provider) };
    return;
  }

  const unfinished = choices.size === 0 || [...choices.values()].some((c) => !c.finished);
  if (unfinished) {
    yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: 'Gemini stream ended before a finishReason', provider: ctx.provider }) };
    return;
  }
  if (usage !== undefined) yield { type: 'usage', usage };
}

function* candidateParts(
  c: GeminiCandidate,
  choice: number,
  state: ChoiceState,
  nextId: (id: string | undefined) => string,
  warn: (m: string) => void,
): Generator<StreamPart> {
  for (const part of c.content?.parts ?? []) {
    for (const p of decodePart(part, nextId, warn)) {
      if (p.type === 'text') {
        if (p.text !== '') yield { type: 'text-delta', choice, text: p.text };
      } else if (p.type === 'reasoning') {
        if (p.text !== '') yield { type: 'reasoning-delta', choice, text: p.text };
        if (p.signature !== undefined) yield { type: 'reasoning-signature', choice, signature: p.signature };
      } else {
        const toolIndex = state.toolCount++;
        yield { type: 'tool-call-start', choice, toolIndex, id: p.id, name: p.name };
        yield { type: 'tool-call-delta', choice, toolIndex, argumentsDelta: p.arguments };
      }
    }
  }
  const logprobs = decodeLogprobs(c.logprobsResult);
  if (logprobs !== undefined) yield { type: 'logprobs', choice, content: logprobs };
  if (c.finishReason !== undefined && !state.finished) {
    state.finished = true;
    yield { type: 'finish', choice, finishReason: mapFinishReason(c.finishReason, state.toolCount > 0) };
  }
}
