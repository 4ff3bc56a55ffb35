import type { ReplyLike } from '../http/exchange.js';
import type { ServerResponse } from 'node:http';
import { toGatewayError, type GatewayError, type RequestContext } from '../../spec/index.js';
import type { Logger } from '../log.js';
import { gatewayHeaders } from './headers.js';

/** Renders an error in the client's dialect; the renderer is the dialect's. */
export type ErrorRenderer = (err: GatewayError) => Record<string, unknown>;

export function sendError(reply: ReplyLike, ctx: RequestContext | undefined, err: unknown, render: ErrorRenderer, log: Logger): void {
  const e = toGatewayError(err);
  if (e.status >= 500) log.error('request failed', { requestId: ctx?.requestId, code: e.code, status: e.status, provider: e.provider, upstreamStatus: e.upstreamStatus, message: e.message });
  if (reply.sent || reply.raw.headersSent) {
    // Headers already went out (a stream): the dialect's in-band error was written by the stream writer.
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  const headers: Record<string, string> = ctx ? gatewayHeaders(ctx) : {};
  if (e.retryAfterMs !== undefined && e.status === 429) headers['retry-after'] = String(Math.ceil(e.retryAfterMs / 1000));
  void reply.code(e.status === 499 ? 499 : e.status).headers(headers).send(render(e));
}

/** For a hijacked stream whose headers are out: end it quietly if the client is still there. */
export function endStream(res: ServerResponse): void {
  if (!res.writableEnded && !res.destroyed) res.end();
}
