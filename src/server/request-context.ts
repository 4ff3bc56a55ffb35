import type { AccessLog } from './access-log.js';
import type { ReplyLike, RequestLike } from './http/exchange.js';
import { newOrderedId } from '../store/index.js';
import { Cancellation, type Endpoint, type RequestContext } from '../spec/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when access logging is on (SWITCHYARD_ACCESS_LOG=1); null keeps the hot path free of it. */
    switchyardAccessLog: AccessLog | null;
  }
}

/**
 * Builds the context for one request. Its signal aborts when the client
 * disconnects before the response finished — that is what cancels upstream
 * calls at once. ('close' also fires after a normal end; `writableFinished`
 * tells the two apart.)
 */
export function createRequestContext(req: RequestLike, reply: ReplyLike, endpoint: Endpoint, dialect: string): RequestContext {
  const controller = new Cancellation();
  const res = reply.raw;
  const accessLog = req.server.switchyardAccessLog;
  // on, not once: 'close' comes once per response, and once() wraps the listener in a bound function.
  res.on('close', () => {
    const aborted = !res.writableFinished;
    if (aborted) controller.abort();
    if (accessLog) accessLog(ctx, res.statusCode, aborted);
  });
  const incomingId = req.headers['x-request-id'];
  const ua = req.headers['user-agent'];
  const ctx: RequestContext = {
    requestId: typeof incomingId === 'string' && /^[\w.:-]{1,128}$/.test(incomingId) ? incomingId : newOrderedId('req'),
    startedAt: Date.now(),
    signal: controller.signal,
    identity: null,
    endpoint,
    dialect,
    stream: false,
    clientIp: req.ip,
    userAgent: typeof ua === 'string' ? ua : undefined,
    tags: [],
    warnings: [],
    responseHeaders: {},
    attempts: [],
  };
  return ctx;
}
