import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** The connection preface every HTTP/2 client sends first (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** Where the bridge puts an HTTP/2 request's `:authority` for the HTTP/1.1 fake behind it. */
export const H2_AUTHORITY = 'x-fake-h2-authority';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'http2-settings']);

/**
 * One port speaking both HTTP/1.1 and cleartext HTTP/2 with prior knowledge
 * (h2c has no ALPN, so the AWS SDK simply opens with the HTTP/2 preface on
 * `http://` endpoints). Connections are told apart by their first bytes and
 * piped byte for byte: HTTP/1.1 ones to the fake's own HTTP/1.1 server,
 * HTTP/2 ones to an h2c server (nghttp2 reads the socket natively, so bytes
 * already read cannot be handed to it in-process). That server replays each
 * stream to the fake as an HTTP/1.1 request and streams the answer back,
 * resets included (a reset upstream becomes RST_STREAM).
 */
export class H2cFront {
  /** HTTP/2 streams served, so tests can prove the SDK really spoke HTTP/2. */
  h2Streams = 0;
  private readonly server: net.Server;
  private readonly h2: http2.Http2Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly agent = new http.Agent({ keepAlive: false });
  private h2Port = 0;

  constructor(private readonly innerPort: number) {
    this.h2 = http2.createServer();
    this.h2.on('session', (s) => {
      this.sessions.add(s);
      s.on('close', () => this.sessions.delete(s));
      s.on('error', () => {});
    });
    this.h2.on('stream', (stream, headers) => this.bridge(stream, headers));
    this.server = net.createServer((socket) => this.accept(socket));
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.h2.listen(0, '127.0.0.1', resolve));
    this.h2Port = (this.h2.address() as AddressInfo).port;
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sessions) s.destroy();
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.h2.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (first: Buffer) => {
      const n = Math.min(first.length, PREFACE.length);
      this.pipe(socket, first, first.subarray(0, n).equals(PREFACE.subarray(0, n)) ? this.h2Port : this.innerPort);
    });
  }

  private pipe(client: net.Socket, first: Buffer, port: number): void {
    client.pause();
    const inner = net.connect(port, '127.0.0.1');
    this.sockets.add(inner);
    inner.on('close', () => {
      this.sockets.delete(inner);
      if (!client.destroyed) client.end();
    });
    // The fake reset its side: reset ours so the client sees the same broken connection.
    inner.on('error', () => client.resetAndDestroy());
    client.on('close', () => inner.destroy());
    inner.write(first);
    client.pipe(inner);
    inner.pipe(client);
    client.resume();
  }

  private bridge(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    this.h2Streams++;
    const forward: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':') && v !== undefined) forward[k] = v;
    forward.host ??= headers[':authority'];
    // HTTP/1.1 cannot carry pseudo-headers, and SigV4 clients sign `:authority` on HTTP/2.
    forward[H2_AUTHORITY] = headers[':authority'];
    const req = http.request({
      host: '127.0.0.1',
      port: this.innerPort,
      method: headers[':method'],
      path: headers[':path'],
      headers: forward,
      agent: this.agent,
    });
    let complete = false;
    req.on('response', (res) => {
      const out: http2.OutgoingHttpHeaders = { ':status': res.statusCode ?? 502 };
      for (const [k, v] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
      if (stream.destroyed) return void res.destroy();
      stream.respond(out);
      res.on('end', () => {
        complete = true;
      });
      res.on('aborted', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
      res.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
      res.pipe(stream);
    });
    req.on('error', () => {
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
    // The client cancelled: drop the inner request so the fake records the abort.
    stream.on('close', () => {
      if (!complete) req.destroy();
    });
    stream.on('error', () => {});
    stream.pipe(req);
  }
}
