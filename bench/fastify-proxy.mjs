#!/usr/bin/env node
// Diagnostic row `fastify-bare`: the bare proxy's work on Switchyard's own
// transport — Fastify 5 with a buffer body parser + JSON.parse, `model`
// rewritten, undici Pool.request upstream, the answer read whole (JSON) or
// piped through a hijacked reply (SSE). Nothing else: no auth, routing,
// accounting. Switchyard ÷ fastify-bare is the cost of our own code;
// fastify-bare ÷ bare is the cost of the framework and transport choices.
//
//   node bench/fastify-proxy.mjs --port 18305 --upstream http://127.0.0.1:18300/v1
import Fastify from 'fastify';
import { Pool } from 'undici';

const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i === -1 ? def : process.argv[i + 1]; };
const PORT = Number(arg('port', 18305));
const upstream = new URL(arg('upstream', 'http://127.0.0.1:18000/v1'));
const base = upstream.pathname.replace(/\/$/, '');
const pool = new Pool(upstream.origin, { connections: 256, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });
const DROP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

const app = Fastify({ logger: false, requestTimeout: 0, keepAliveTimeout: 65_000, bodyLimit: 10 * 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, buf, done) => {
  try { done(null, buf.length ? JSON.parse(buf.toString('utf8')) : undefined); } catch (e) { done(e, undefined); }
});
app.post('/v1/chat/completions', async (req, reply) => {
  const body = JSON.stringify({ ...req.body, model: 'gpt-4o-mini' });
  const res = await pool.request({ path: `${base}/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-mock' }, body });
  const headers = {};
  for (const k in res.headers) if (!DROP.has(k)) headers[k] = res.headers[k];
  if (!String(res.headers['content-type'] || '').includes('text/event-stream')) {
    const buf = Buffer.from(await res.body.arrayBuffer());
    return reply.code(res.statusCode).headers(headers).send(buf);
  }
  reply.hijack();
  reply.raw.writeHead(res.statusCode, headers);
  reply.raw.flushHeaders();
  for await (const chunk of res.body) if (!reply.raw.write(chunk)) await new Promise((r) => reply.raw.once('drain', r));
  reply.raw.end();
});
await app.listen({ port: PORT, host: '127.0.0.1' });
console.log(`fastify-proxy on http://127.0.0.1:${PORT} -> ${upstream.href} pid=${process.pid}`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { app.close().finally(() => process.exit(0)); setTimeout(() => process.exit(0), 500).unref(); });
