import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { GatewayError, type StreamPart, type Usage } from '../../spec/index.js';
import { connectionError, sseEvents } from '../http/index.js';
import { decodeLogprobs } from './decode-logprobs.js';
import { reasoningText } from './decode-chat-response.js';
import { decodeUsage } from './decode-usage.js';
import { mapFinishReason } from './map-finish-reason.js';
import { streamError } from './map-openai-error.js';
import { isRecord, type OpenAIChatBody, type OpenAIChoice, type OpenAIToolCall } from './wire-types.js';

interface ToolState {
  started: Set<number>;
  byId: Map<string, number>;
  last: number;
}

/**
 * OpenAI chat-completion SSE → typed stream parts. Never throws: a broken
 * socket, a malformed chunk or an `error` payload mid-stream ends the stream
 * with an `error` part carrying a typed GatewayError.
 */
export async function* decodeChatStream(
  body: Readable | AsyncIterable<Buffer | string>,
  provider: string,
  fallbackModel: string,
): AsyncGenerator<StreamPart> {
  let started = false;
  let sawDone = false;
  let usage: Usage | undefined;
  const finished = new Set<number>();
  const tools = new Map<number, ToolState>();
  try {
    for await (const ev of sseEvents(body)) {
      const data = ev.data.trim();
      if (data === '') continue;
      if (data === '[DONE]') {
        sawDone = true;
        break;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        yield errorPart(new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a malformed stream chunk`, provider, upstreamBody: data.slice(0, 2000) }));
        return;
      }
      if (!isRecord(chunk)) continue;
      if (ev.event === 'error' || (chunk.error !== undefined && chunk.error !== null)) {
        yield errorPart(streamError(provider, ev.event === 'error' && chunk.error === undefined ? { error: chunk } : chunk));
        return;
      }
      const c = chunk as OpenAIChatBody;
      if (!started) {
        started = true;
        yield startPart(c, fallbackModel);
      }
      const u = decodeUsage(c.usage);
      if (u !== undefined) usage = u;
      for (const [pos, choice] of (c.choices ?? []).entries()) {
        yield* choiceParts(choice, typeof choice.index === 'number' ? choice.index : pos, tools, finished);
      }
    }
  } catch (err) {
    yield errorPart(connectionError(err, provider));
    return;
  }
  if (!sawDone && finished.size === 0) {
    yield errorPart(new GatewayError('upstream_connection', { message: `Upstream ${provider} closed the stream before it finished`, provider }));
    return;
  }
  if (usage !== undefined) yield { type: 'usage', usage };
}

function startPart(c: OpenAIChatBody, fallbackModel: string): StreamPart {
  const part: StreamPart = {
    type: 'start',
    id: typeof c.id === 'string' && c.id !== '' ? c.id : `chatcmpl-${randomUUID()}`,
    model: typeof c.model === 'string' && c.model !== '' ? c.model : fallbackModel,
    created: typeof c.created === 'number' ? c.created : Math.floor(Date.now() / 1000),
  };
  if (typeof c.system_fingerprint === 'string') part.systemFingerprint = c.system_fingerprint;
  if (typeof c.service_tier === 'string') part.serviceTier = c.service_tier;
  return part;
}

function* choiceParts(choice: OpenAIChoice, index: number, tools: Map<number, ToolState>, finished: Set<number>): Generator<StreamPart> {
  const d = choice.delta ?? {};
  const reasoning = reasoningText(d);
  if (reasoning !== undefined) yield { type: 'reasoning-delta', choice: index, text: reasoning };
  if (typeof d.content === 'string' && d.content !== '') yield { type: 'text-delta', choice: index, text: d.content };
  if (typeof d.refusal === 'string' && d.refusal !== '') yield { type: 'refusal-delta', choice: index, text: d.refusal };
  if (Array.isArray(d.tool_calls)) {
    let st = tools.get(index);
    if (st === undefined) {
      st = { started: new Set(), byId: new Map(), last: 0 };
      tools.set(index, st);
    }
    for (const tc of d.tool_calls) yield* toolParts(tc, index, st);
  }
  const lp = decodeLogprobs(choice.logprobs);
  if (lp !== undefined && lp.length > 0) yield { type: 'logprobs', choice: index, content: lp };
  if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '' && !finished.has(index)) {
    finished.add(index);
    yield { type: 'finish', choice: index, finishReason: mapFinishReason(choice.finish_reason) };
  }
}

function* toolParts(tc: OpenAIToolCall, choice: number, st: ToolState): Generator<StreamPart> {
  // Some compatible servers (Gemini's, Ollama's) omit `index` and send each call whole.
  let idx: number;
  if (typeof tc.index === 'number') idx = tc.index;
  else if (tc.id !== undefined && st.byId.has(tc.id)) idx = st.byId.get(tc.id) as number;
  else if (tc.id !== undefined) idx = st.started.size;
  else idx = st.last;
  st.last = idx;
  if (!st.started.has(idx)) {
    st.started.add(idx);
    const id = tc.id ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    st.byId.set(id, idx);
    yield { type: 'tool-call-start', choice, toolIndex: idx, id, name: tc.function?.name ?? '' };
  }
  const args = tc.function?.arguments;
  if (typeof args === 'string' && args !== '') yield { type: 'tool-call-delta', choice, toolIndex: idx, argumentsDelta: args };
}

function errorPart(error: GatewayError): StreamPart {
  return { type: 'error', error };
}
