import type { ServerResponse } from 'node:http';
import type { ReplyLike } from './exchange.js';

/**
 * The hot lane's reply: the part of Fastify's reply the hot routes use, over
 * the raw response. Content types default as Fastify's do (JSON for
 * objects, text for strings, octet-stream for buffers), so a route answers
 * the same bytes whichever way the request came in.
 */
export class LaneReply implements ReplyLike {
  private status = 200;
  private hijacked = false;
  private readonly extra: Record<string, string> = {};

  constructor(readonly raw: ServerResponse) {}

  get sent(): boolean {
    return this.hijacked || this.raw.writableEnded;
  }

  hijack(): this {
    this.hijacked = true;
    return this;
  }

  code(status: number): this {
    this.status = status;
    return this;
  }

  headers(values: Record<string, string>): this {
    for (const k in values) this.extra[k.toLowerCase()] = values[k]!;
    return this;
  }

  send(payload?: unknown): this {
    if (this.sent) return this;
    const res = this.raw;
    let body: string | Buffer;
    let type: string;
    if (Buffer.isBuffer(payload)) {
      body = payload;
      type = 'application/octet-stream';
    } else if (typeof payload === 'string') {
      body = payload;
      type = 'text/plain; charset=utf-8';
    } else {
      body = payload === undefined ? '' : JSON.stringify(payload);
      type = 'application/json; charset=utf-8';
    }
    const headers = this.extra;
    headers['content-type'] ??= type;
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
    res.writeHead(this.status, headers);
    res.end(body);
    return this;
  }
}
