import type { IncomingMessage, ServerResponse } from 'node:http';
import { toGatewayError, type GatewayError } from '../../spec/index.js';
import type { AccessLog } from '../access-log.js';
import { bodyTooLarge, invalidJsonBody } from './body-errors.js';
import type { ReplyLike, RequestLike } from './exchange.js';
import { LaneReply } from './lane-reply.js';

export type HotHandler = (req: RequestLike, reply: ReplyLike) => Promise<void>;

export interface HotLaneOptions {
  /** Exact request paths (no query string) served for POST. */
  paths: readonly string[];
  handler: HotHandler;
  bodyLimitBytes: number;
  accessLog: AccessLog | null;
  /** Answers a request the lane refused before its handler ran (unreadable JSON, too large) or whose handler failed. */
  onRefused: (reply: ReplyLike, err: GatewayError) => void;
}

export type HotLane = ((req: IncomingMessage, res: ServerResponse) => boolean) & { close(): void };

/**
 * Offers a request to the lane; returns false when Fastify should take it.
 *
 * Why it exists: on the fast path the framework's per-request work (request
 * and reply objects, hooks, routing, the body parser, the send pipeline)
 * cost about a third of a bare Node proxy's whole hop. The lane takes only
 * the plainest form of the busiest route — POST to an exact path, no query
 * string, no Origin header (browsers get CORS from Fastify's hook) — and
 * leaves everything else, including every odd case, to Fastify, which
 * still has the same route. Both feed the same handler, so behaviour is the
 * same either way; the e2e suites run through the lane.
 */
export function hotLane(opts: HotLaneOptions): HotLane {
  const paths = new Set(opts.paths);
  const server = { switchyardAccessLog: opts.accessLog };
  let closing = false;
  const lane = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (closing || req.method !== 'POST' || !paths.has(req.url ?? '') || req.headers.origin !== undefined) return false;
    readBody(req, opts.bodyLimitBytes, (err, body) => {
      const reply = new LaneReply(res);
      if (err) return opts.onRefused(reply, err);
      const request: RequestLike = { headers: req.headers, body, ip: req.socket.remoteAddress ?? '', server };
      // Handlers answer their own errors; a rejection is a bug, answered as Fastify's error handler would.
      opts.handler(request, reply).catch((e: unknown) => opts.onRefused(reply, toGatewayError(e)));
    });
    return true;
  };
  // From close() on every request goes to Fastify, which answers 503 while closing.
  return Object.assign(lane, {
    close: (): void => {
      closing = true;
    },
  });
}

/** Reads the whole body and parses it as JSON (empty → undefined), within the limit. */
function readBody(req: IncomingMessage, limit: number, done: (err: GatewayError | null, body?: unknown) => void): void {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return done(bodyTooLarge(limit));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > limit) {
      failed = true;
      chunks.length = 0;
      return done(bodyTooLarge(limit));
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (failed) return;
    if (size === 0) return done(null, undefined);
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    let body: unknown;
    try {
      body = JSON.parse(buf.toString('utf8'));
    } catch (e) {
      return done(invalidJsonBody(e));
    }
    done(null, body);
  });
  // An aborted upload: the socket is gone, nothing to answer.
  req.on('error', () => {
    failed = true;
  });
}
