import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AccessLog } from '../access-log.js';

/**
 * What a hot route needs of a request. Fastify's request satisfies it, and so
 * does the raw hot lane's (hot-lane.ts), which serves the busiest route
 * without Fastify's per-request machinery.
 */
export interface RequestLike {
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly ip: string;
  readonly server: { readonly switchyardAccessLog: AccessLog | null };
}

/** What a hot route needs of a reply: Fastify's reply, or the hot lane's LaneReply. */
export interface ReplyLike {
  readonly raw: ServerResponse;
  /** True once the reply was hijacked or fully written. */
  readonly sent: boolean;
  /** The route writes `raw` itself from here on (streams). */
  hijack(): unknown;
  code(status: number): ReplyLike;
  headers(values: Record<string, string>): ReplyLike;
  /** Buffer and string bodies go as they are; anything else as JSON. */
  send(payload?: unknown): unknown;
}
