import { randomUUID } from 'node:crypto';
import { GatewayError, type StreamPart, type Usage } from '../../spec/index.js';
import { connectionError } from '../http/index.js';
import { isRecord } from './bedrock-wire.js';
import { convertUsage } from './convert-usage.js';
import { EventStreamDecoder, EventStreamError, type EventStreamMessage } from './event-stream-decoder.js';
import { mapStreamException } from './map-bedrock-error.js';
import { mapStopReason } from './map-stop-reason.js';

interface State {
  started: boolean;
  finished: boolean;
  usage?: Usage;
  /** contentBlockIndex → toolIndex for tool-use blocks. */
  tools: Map<number, number>;
}

/**
 * ConverseStream's binary event stream → typed parts. Never throws: a broken
 * socket, a corrupted frame or an AWS exception message ends the stream with
 * an `error` part. Bedrock sends usage in a trailing `metadata` event, after
 * `messageStop`; it is yielded last, once.
 */
export async function* decodeConverseStream(body: AsyncIterable<Buffer>, provider: string, model: string, requestId: string | undefined): AsyncGenerator<StreamPart> {
  const decoder = new EventStreamDecoder();
  const st: State = { started: false, finished: false, tools: new Map() };
  const start = (): StreamPart => ({ type: 'start', id: requestId ?? randomUUID(), model, created: Math.floor(Date.now() / 1000) });
  try {
    for await (const chunk of body) {
      let messages: EventStreamMessage[];
      try {
        messages = decoder.push(chunk);
      } catch (err) {
        if (!(err instanceof EventStreamError)) throw err;
        yield { type: 'error', error: new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a corrupted event stream: ${err.message}`, provider }) };
        return;
      }
      for (const m of messages) {
        const failure = exceptionOf(m, provider);
        if (failure !== undefined) {
          yield { type: 'error', error: failure };
          return;
        }
        if (!st.started) {
          st.started = true;
          yield start();
        }
        const parts = eventParts(m, st, provider);
        if (parts instanceof GatewayError) {
          yield { type: 'error', error: parts };
          return;
        }
        yield* parts;
      }
    }
  } catch (err) {
    yield { type: 'error', error: connectionError(err, provider) };
    return;
  }
  if (!st.finished || decoder.pending > 0) {
    yield { type: 'error', error: new GatewayError('upstream_connection', { message: `Upstream ${provider} closed the stream before it finished`, provider }) };
    return;
  }
  if (st.usage !== undefined) yield { type: 'usage', usage: st.usage };
}

function exceptionOf(m: EventStreamMessage, provider: string): GatewayError | undefined {
  const kind = m.headers[':message-type'];
  if (kind === 'exception') return mapStreamException(provider, String(m.headers[':exception-type'] ?? 'internalServerException'), m.payload);
  if (kind === 'error') {
    const code = String(m.headers[':error-code'] ?? 'InternalServerException');
    return mapStreamException(provider, code, Buffer.from(JSON.stringify({ message: String(m.headers[':error-message'] ?? code) })));
  }
  return undefined;
}

function eventParts(m: EventStreamMessage, st: State, provider: string): StreamPart[] | GatewayError {
  let e: unknown;
  try {
    e = m.payload.length === 0 ? {} : JSON.parse(m.payload.toString('utf8'));
  } catch {
    return new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent an event that is not JSON`, provider, upstreamBody: m.payload.toString('utf8').slice(0, 2000) });
  }
  if (!isRecord(e)) return [];
  switch (m.headers[':event-type']) {
    case 'contentBlockStart': {
      const tool = isRecord(e.start) && isRecord(e.start.toolUse) ? e.start.toolUse : undefined;
      if (tool === undefined) return [];
      const toolIndex = st.tools.size;
      st.tools.set(Number(e.contentBlockIndex ?? toolIndex), toolIndex);
      return [{ type: 'tool-call-start', choice: 0, toolIndex, id: String(tool.toolUseId ?? `tooluse_${randomUUID()}`), name: String(tool.name ?? '') }];
    }
    case 'contentBlockDelta':
      return deltaParts(e, st);
    case 'messageStop':
      if (st.finished) return [];
      st.finished = true;
      return [{ type: 'finish', choice: 0, finishReason: mapStopReason(typeof e.stopReason === 'string' ? e.stopReason : undefined) }];
    case 'metadata': {
      const usage = convertUsage(e.usage);
      if (usage !== undefined) st.usage = usage;
      return [];
    }
    default:
      // messageStart, contentBlockStop and events added later carry nothing to relay.
      return [];
  }
}

function deltaParts(e: Record<string, unknown>, st: State): StreamPart[] {
  const d = isRecord(e.delta) ? e.delta : {};
  if (typeof d.text === 'string') return d.text === '' ? [] : [{ type: 'text-delta', choice: 0, text: d.text }];
  if (isRecord(d.toolUse) && typeof d.toolUse.input === 'string') {
    const toolIndex = st.tools.get(Number(e.contentBlockIndex)) ?? Math.max(0, st.tools.size - 1);
    return d.toolUse.input === '' ? [] : [{ type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: d.toolUse.input }];
  }
  if (isRecord(d.reasoningContent)) {
    const r = d.reasoningContent;
    if (typeof r.text === 'string') return r.text === '' ? [] : [{ type: 'reasoning-delta', choice: 0, text: r.text }];
    if (typeof r.signature === 'string') return [{ type: 'reasoning-signature', choice: 0, signature: r.signature }];
    if (typeof r.redactedContent === 'string') return [{ type: 'reasoning-signature', choice: 0, redactedData: r.redactedContent }];
  }
  return [];
}
