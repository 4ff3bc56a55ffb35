import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Endpoint, RequestContext } from '../spec/index.js';

/**
 * Builds the context for one request. Its signal aborts when the client
 * disconnects before the response finished — that is what cancels upstream
 * calls at once. ('close' also fires after a normal end; `writableFinished`
 * tells the two apart.)
 */
export function createRequestContext(req: FastifyRequest, reply: FastifyReply, endpoint: Endpoint, dialect: string): RequestContext {
  const controller = new AbortController();
  const res = reply.raw;
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const incomingId = req.headers['x-request-id'];
  const ua = req.headers['user-agent'];
  return {
    requestId: typeof incomingId === 'string' && /^[\w.:-]{1,128}$/.test(incomingId) ? incomingId : `req_${randomUUID().replaceAll('-', '')}`,
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
}
