#!/usr/bin/env node
// Fast fake Anthropic upstream for the bench (node:http only, no deps): the
// Messages API counterpart of the shared lab's mock-openai.mjs, so the
// translated path can be measured with the same upstream cost.
//
//   POST /v1/messages            -> fixed `message` JSON with usage
//        ... with "stream": true -> message_start, content_block_start,
//                                   N content_block_delta (text_delta),
//                                   content_block_stop, message_delta
//                                   (stop_reason + usage), message_stop
//
// N = CHUNKS - 1: the OpenAI mock sends CHUNKS chunks of which CHUNKS - 1
// precede the finish chunk (the first one carries the role); a translating
// gateway folds the role into its first text chunk, so CHUNKS - 1 text deltas
// give the client the same CHUNKS + 2 `data:` lines (chunks, usage, [DONE]).
//
// Flags (or env): --port (MOCK_ANTHROPIC_PORT, 18004)   --host (MOCK_HOST, 127.0.0.1)
//                 --chunks (MOCK_CHUNKS, 20)             --chunk-delay ms (MOCK_CHUNK_DELAY_MS, 0)
// As with mock-openai.mjs, a body containing "pace-<N>ms" as `user` or
// `metadata.user_id` (where gateways put OpenAI's `user`) paces the stream at N ms.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function opt(name, envName, def) {
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  if (i !== -1 && process.argv[i + 1] !== undefined) return process.argv[i + 1];
  return process.env[envName] ?? def;
}

const PORT = Number(opt('port', 'MOCK_ANTHROPIC_PORT', 18004));
const HOST = opt('host', 'MOCK_HOST', '127.0.0.1');
const CHUNKS = Number(opt('chunks', 'MOCK_CHUNKS', 20));
const CHUNK_DELAY = Number(opt('chunk-delay', 'MOCK_CHUNK_DELAY_MS', 0));

const MODEL = 'claude-sonnet-4-5-20250929';
const ID = 'msg_mock0123456789abcdefABCDEF';
// Same words and same non-streaming text as mock-openai.mjs, so both paths return equal content.
const WORDS = ['Sure', '!', ' Here', ' is', ' a', ' concise', ' answer', ':', ' the', ' capital',
  ' of', ' France', ' is', ' Paris', ',', ' which', ' is', ' also', ' its', ' largest', ' city', '.'];
export const TEXT = WORDS.join('') + ' It sits on the Seine and has a population of roughly two million people '
  + 'in the city proper and over twelve million in the metropolitan area.';
export const streamTextOf = (chunks) => Array.from({ length: Math.max(1, chunks - 1) }, (_, i) => WORDS[i % WORDS.length]).join('');

const USAGE = { input_tokens: 243, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 48, service_tier: 'standard' };
const MESSAGE_BODY = Buffer.from(JSON.stringify({
  id: ID, type: 'message', role: 'assistant', model: MODEL,
  content: [{ type: 'text', text: TEXT }],
  stop_reason: 'end_turn', stop_sequence: null, usage: USAGE,
}));

const event = (type, data) => Buffer.from(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
function streamEvents(chunks = CHUNKS) {
  const deltas = Math.max(1, chunks - 1);
  const out = [event('message_start', {
    message: { id: ID, type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, stop_sequence: null, usage: { ...USAGE, output_tokens: 1 } },
  })];
  out.push(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
  for (let i = 0; i < deltas; i++) out.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: WORDS[i % WORDS.length] } }));
  out.push(event('content_block_stop', { index: 0 }));
  out.push(event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: deltas } }));
  out.push(event('message_stop', {}));
  return out;
}
const EVENTS = streamEvents();
const EVENTS_JOINED = Buffer.concat(EVENTS);

const STREAM_RE = /"stream"\s*:\s*true/;
const PACE_RE = /"user(?:_id)?"\s*:\s*"pace-(\d+)ms"/;

function sendJson(res, status, buf) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': buf.length, 'request-id': 'req_mock' });
  res.end(buf);
}

function handleMessages(res, raw, events, joined) {
  if (!STREAM_RE.test(raw)) return sendJson(res, 200, MESSAGE_BODY);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_mock' });
  const pace = PACE_RE.exec(raw);
  const delay = pace ? Number(pace[1]) : CHUNK_DELAY;
  if (delay <= 0) return res.end(joined);
  let i = 0;
  let closed = false;
  res.on('close', () => { closed = true; });
  const next = () => {
    if (closed) return;
    res.write(events[i++]);
    if (i >= events.length) return res.end();
    setTimeout(next, delay);
  };
  next();
}

/** The mock as an http.Server (not listening); `chunks` as --chunks. */
export function createMockAnthropic({ chunks = CHUNKS } = {}) {
  const events = chunks === CHUNKS ? EVENTS : streamEvents(chunks);
  const joined = chunks === CHUNKS ? EVENTS_JOINED : Buffer.concat(events);
  return http.createServer((req, res) => {
    const url = req.url.split('?')[0];
    if (req.method === 'POST' && (url === '/v1/messages' || url === '/messages')) {
      const parts = [];
      req.on('data', (c) => parts.push(c));
      req.on('end', () => handleMessages(res, parts.length === 1 ? parts[0].toString() : Buffer.concat(parts).toString(), events, joined));
      return;
    }
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && (url === '/' || url === '/health')) return sendJson(res, 200, Buffer.from('{"ok":true}'));
      sendJson(res, 404, Buffer.from(`{"type":"error","error":{"type":"not_found_error","message":"no route ${req.method} ${url}"}}`));
    });
  });
}

function start() {
  const server = createMockAnthropic();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  server.listen(PORT, HOST, () => {
    console.log(`mock-anthropic listening on http://${HOST}:${PORT} deltas=${Math.max(1, CHUNKS - 1)} chunkDelay=${CHUNK_DELAY}ms pid=${process.pid}`);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.close(); process.exit(0); });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) start();
