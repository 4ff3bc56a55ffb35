import type { FastifyReply } from 'fastify';
import type { ResponseObject, ResponsesStreamEncoder } from '../../dialects/responses/index.js';
import { GatewayError, addUsage, type CallOutcome, type ChatStream, type RequestContext, type Usage } from '../../spec/index.js';
import { outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { endStream } from '../respond/send-error.js';
import { SSE_HEADERS, writeWithBackpressure } from '../respond/write-sse.js';

/**
 * Writes a translated stream as Responses events. Like the shared stream
 * writer, it settles accounting before the end, but it also needs a step of
 * its own between the last item and the terminal `response.completed`:
 * saving the response (when `store` is on), so the id a client reads from
 * that event can be continued at once.
 */
export async function sendResponsesStream(
  reply: FastifyReply,
  ctx: RequestContext,
  stream: ChatStream,
  encoder: ResponsesStreamEncoder,
  finish: (o: CallOutcome) => Promise<void>,
  persist: (response: ResponseObject) => Promise<void>,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { ...SSE_HEADERS, ...gatewayHeaders(ctx) });
  res.flushHeaders();
  let usage: Usage | undefined;
  let text = '';
  let error: GatewayError | undefined;
  try {
    for await (const part of stream) {
      if (part.type === 'error') {
        error = part.error;
        break;
      }
      if (part.type === 'usage') usage = usage ? addUsage(usage, part.usage) : part.usage;
      else if (part.type === 'text-delta' || part.type === 'reasoning-delta') text += part.text;
      else if (part.type === 'tool-call-delta') text += part.argumentsDelta;
      if (part.type !== 'start') ctx.firstTokenAt ??= Date.now();
      const frames = encoder.encode(part);
      if (frames) await writeWithBackpressure(res, frames);
      if (res.destroyed) break;
    }
  } catch (err) {
    error = err instanceof GatewayError ? err : new GatewayError('upstream_connection', { message: `Upstream stream broke: ${(err as Error).message}` });
  }
  const base = { usage, usageSource: usage ? ('upstream' as const) : undefined, completionText: usage ? undefined : text, ...outcomeBase(ctx) };
  if (ctx.signal.aborted || res.destroyed) {
    await finish({ status: 'aborted', ...base });
  } else if (error) {
    await finish({ status: 'error', error, ...base });
    await writeWithBackpressure(res, encoder.failed(error));
  } else {
    const { response, frames } = encoder.finish();
    if (frames) await writeWithBackpressure(res, frames);
    await finish({ status: 'ok', ...base });
    await persist(response);
    await writeWithBackpressure(res, encoder.terminal(response));
  }
  endStream(res);
}
