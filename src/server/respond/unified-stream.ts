import type { ReplyLike } from '../http/exchange.js';
import { GatewayError, addUsage, type CallOutcome, type ChatStream, type RequestContext, type StreamPart, type Usage } from '../../spec/index.js';
import { outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from './headers.js';
import { endStream } from './send-error.js';
import { SSE_HEADERS, writeWithBackpressure } from './write-sse.js';

/** A dialect's stream encoder: typed parts in, framed text out. */
export interface StreamEncoder {
  encode(part: StreamPart): string;
  end(): string;
}

/**
 * Writes a translated stream in the client's dialect. Usage is taken from
 * the stream; when none arrives the text is kept so accounting can count
 * tokens. The outcome is settled before the closing frame is written.
 */
export async function sendUnifiedStream(reply: ReplyLike, ctx: RequestContext, stream: ChatStream, encoder: StreamEncoder, finish: (o: CallOutcome) => Promise<void>): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { ...SSE_HEADERS, ...gatewayHeaders(ctx) });
  res.flushHeaders();
  let usage: Usage | undefined;
  let text = '';
  let error: GatewayError | undefined;
  try {
    for await (const part of stream) {
      if (part.type === 'usage') usage = usage ? addUsage(usage, part.usage) : part.usage;
      else if (part.type === 'text-delta' || part.type === 'reasoning-delta') text += part.text;
      else if (part.type === 'tool-call-delta') text += part.argumentsDelta;
      else if (part.type === 'error') error = part.error;
      if (part.type !== 'start') ctx.firstTokenAt ??= Date.now();
      const frame = encoder.encode(part);
      if (frame) await writeWithBackpressure(res, frame);
      if (error || res.destroyed) break;
    }
  } catch (err) {
    error = err instanceof GatewayError ? err : new GatewayError('upstream_connection', { message: `Upstream stream broke: ${(err as Error).message}` });
    if (!ctx.signal.aborted && !res.destroyed) await writeWithBackpressure(res, encoder.encode({ type: 'error', error }));
  }
  const base = { usage, usageSource: usage ? ('upstream' as const) : undefined, completionText: usage ? undefined : text, ...outcomeBase(ctx) };
  if (ctx.signal.aborted) await finish({ status: 'aborted', ...base });
  else if (error) await finish({ status: 'error', error, ...base });
  else {
    await finish({ status: 'ok', ...base });
    await writeWithBackpressure(res, encoder.end());
  }
  endStream(res);
}
