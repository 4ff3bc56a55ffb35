import type { FastifyReply } from 'fastify';
import type { GeminiStreamEncoder } from '../../dialects/gemini/index.js';
import { GatewayError, addUsage, type CallOutcome, type ChatStream, type RequestContext, type Usage } from '../../spec/index.js';
import { outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { endStream } from '../respond/send-error.js';
import { writeWithBackpressure } from '../respond/write-sse.js';

/**
 * Gemini's two stream framings: `?alt=sse` is Server-Sent Events (what the
 * SDKs ask for), one `data:` event per chunk; without it Google streams a
 * JSON array, element by element, as it is generated.
 */
export type GeminiFraming = 'sse' | 'json-array';

function framer(mode: GeminiFraming): { frame(obj: unknown): string; close(): string } {
  let opened = false;
  if (mode === 'sse') return { frame: (obj) => `data: ${JSON.stringify(obj)}\r\n\r\n`, close: () => '' };
  return {
    frame(obj) {
      const head = opened ? ',\r\n' : '[';
      opened = true;
      return head + JSON.stringify(obj);
    },
    close: () => (opened ? ']' : '[]'),
  };
}

/**
 * Writes a translated stream as Gemini chunks. Usage comes from the
 * stream; without it the text is kept for local counting. The outcome is
 * settled before the closing chunk is written, so the ledger row exists
 * when the client sees the end.
 */
export async function sendGeminiStream(reply: FastifyReply, ctx: RequestContext, stream: ChatStream, encoder: GeminiStreamEncoder, finish: (o: CallOutcome) => Promise<void>, mode: GeminiFraming): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  const f = framer(mode);
  res.writeHead(200, {
    'content-type': mode === 'sse' ? 'text/event-stream' : 'application/json; charset=UTF-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    ...gatewayHeaders(ctx),
  });
  res.flushHeaders();
  let usage: Usage | undefined;
  let text = '';
  let error: GatewayError | undefined;
  const write = async (objs: unknown[]): Promise<void> => {
    for (const o of objs) await writeWithBackpressure(res, f.frame(o));
  };
  try {
    for await (const part of stream) {
      if (part.type === 'usage') usage = usage ? addUsage(usage, part.usage) : part.usage;
      else if (part.type === 'text-delta' || part.type === 'reasoning-delta') text += part.text;
      else if (part.type === 'tool-call-delta') text += part.argumentsDelta;
      else if (part.type === 'error') error = part.error;
      if (part.type !== 'start') ctx.firstTokenAt ??= Date.now();
      await write(encoder.encode(part));
      if (error || res.destroyed) break;
    }
  } catch (err) {
    error = err instanceof GatewayError ? err : new GatewayError('upstream_connection', { message: `Upstream stream broke: ${(err as Error).message}` });
    if (!ctx.signal.aborted && !res.destroyed) await write(encoder.encode({ type: 'error', error }));
  }
  const base = { usage, usageSource: usage ? ('upstream' as const) : undefined, completionText: usage ? undefined : text, ...outcomeBase(ctx) };
  if (ctx.signal.aborted) await finish({ status: 'aborted', ...base });
  else if (error) {
    await finish({ status: 'error', error, ...base });
    await writeWithBackpressure(res, f.close());
  } else {
    await finish({ status: 'ok', ...base });
    await write(encoder.end());
    await writeWithBackpressure(res, f.close());
  }
  endStream(res);
}
