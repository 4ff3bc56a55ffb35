import type { ReplyLike } from '../http/exchange.js';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { GatewayError, type CallOutcome, type RelayResponse, type RelayResult, type RequestContext } from '../../spec/index.js';
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
    if (relay.whole !== undefined && relay.whole.result.error === undefined) return sendWhole(reply, ctx, relay.status, contentType, relay.whole, finish);
    let failure: unknown;
    const chunks: Buffer[] = [];
    try {
      for await (const c of relay.body) chunks.push(c as Buffer);
    } catch (err) {
      failure = err;
    }
    const whole = Buffer.concat(chunks);
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
  const failure = await pipeBody(relay.body, res, ctx);
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

/** A whole answer already read and settled: no async frame, one wait (the ledger row's journal write). */
function sendWhole(reply: ReplyLike, ctx: RequestContext, status: number, contentType: string, whole: { body: Buffer; result: RelayResult }, finish: (o: CallOutcome) => Promise<void>): Promise<void> {
  const { result } = whole;
  return finish({ status: 'ok', usage: result.usage, usageSource: result.usage ? 'upstream' : undefined, completionText: result.completionText, ...outcomeBase(ctx) }).then(() => {
    void reply.code(status).headers({ 'content-type': contentType, ...gatewayHeaders(ctx) }).send(whole.body);
  });
}

/**
 * Pipes the relayed stream to the client with backpressure; resolves with
 * the upstream's error, if any. Event-driven rather than `for await`: the
 * async iterator cost a promise and a microtask hop per chunk. A client that
 * goes away destroys the body, which aborts the upstream.
 */
function pipeBody(body: Readable, res: ServerResponse, ctx: RequestContext): Promise<unknown> {
  return new Promise<unknown>((resolve) => {
    let over = false;
    const finish = (failure?: unknown): void => {
      if (over) return;
      over = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(failure);
    };
    const onData = (chunk: Buffer): void => {
      ctx.firstTokenAt ??= Date.now();
      if (!res.write(chunk)) body.pause();
    };
    const onDrain = (): void => {
      body.resume();
    };
    const onEnd = (): void => finish();
    const onError = (err: unknown): void => finish(err);
    const onClose = (): void => {
      finish();
      if (!body.destroyed) body.destroy();
    };
    if (res.destroyed) return onClose();
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    res.on('drain', onDrain);
    res.once('close', onClose);
  });
}

function dataFrame(body: Record<string, unknown>): string {
  return `data: ${JSON.stringify(body)}\n\n`;
}
