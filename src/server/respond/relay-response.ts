import type { ReplyLike } from '../http/exchange.js';
import { GatewayError, type CallOutcome, type RelayResponse, type RequestContext } from '../../spec/index.js';
import { outcomeBase } from '../pipeline/admission.js';
import { gatewayHeaders } from './headers.js';
import { endStream, type ErrorRenderer } from './send-error.js';
import { SSE_HEADERS, writeWithBackpressure } from './write-sse.js';

/**
 * Sends a fast-path (relayed) upstream answer. Non-streaming bodies are small:
 * read whole, settle, then send with the cost headers. Streams are written
 * through as bytes; settlement happens before the final byte so the ledger
 * row exists when the client sees the end.
 */
export async function sendRelay(
  reply: ReplyLike,
  ctx: RequestContext,
  relay: RelayResponse,
  finish: (o: CallOutcome) => Promise<void>,
  render: ErrorRenderer,
  /** How the dialect frames an in-stream error event (Anthropic names it: `event: error`). */
  frameError: (body: Record<string, unknown>) => string = dataFrame,
): Promise<void> {
  const contentType = relay.headers['content-type'] ?? 'application/json';
  if (!ctx.stream) {
    let whole = relay.bodyBuffer;
    let failure: unknown;
    if (whole === undefined) {
      const chunks: Buffer[] = [];
      try {
        for await (const c of relay.body) chunks.push(c as Buffer);
      } catch (err) {
        failure = err;
      }
      whole = Buffer.concat(chunks);
    }
    const result = await relay.done;
    if (failure !== undefined || result.error) {
      const error = failure instanceof GatewayError ? failure : new GatewayError('upstream_connection', { message: `Upstream failed while sending its answer: ${String((failure as Error | undefined)?.message ?? result.error?.message)}` });
      await finish({ status: ctx.signal.aborted ? 'aborted' : 'error', error, ...outcomeBase(ctx) });
      throw error;
    }
    await finish({ status: 'ok', usage: result.usage, usageSource: result.usage ? 'upstream' : undefined, completionText: result.completionText, ...outcomeBase(ctx) });
    void reply.code(relay.status).headers({ 'content-type': contentType, ...gatewayHeaders(ctx) }).send(whole);
    return;
  }

  reply.hijack();
  const res = reply.raw;
  res.writeHead(relay.status, { ...SSE_HEADERS, ...gatewayHeaders(ctx) });
  res.flushHeaders();
  let failure: unknown;
  try {
    for await (const chunk of relay.body) {
      ctx.firstTokenAt ??= Date.now();
      await writeWithBackpressure(res, chunk as Buffer);
      if (res.destroyed) break;
    }
  } catch (err) {
    failure = err;
  }
  const result = await relay.done;
  const base = { usage: result.usage, usageSource: result.usage ? ('upstream' as const) : undefined, completionText: result.completionText, ...outcomeBase(ctx) };
  if (ctx.signal.aborted) {
    await finish({ status: 'aborted', ...base });
    endStream(res);
    return;
  }
  if (failure !== undefined || result.error) {
    const error = failure instanceof GatewayError ? failure : new GatewayError('upstream_connection', { message: `Upstream stream broke: ${String((failure as Error | undefined)?.message ?? result.error?.message)}` });
    await finish({ status: 'error', error, ...base });
    await writeWithBackpressure(res, frameError(render(error)));
    endStream(res);
    return;
  }
  await finish({ status: 'ok', ...base });
  endStream(res);
}

function dataFrame(body: Record<string, unknown>): string {
  return `data: ${JSON.stringify(body)}\n\n`;
}
