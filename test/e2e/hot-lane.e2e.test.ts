import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotLane } from '../../src/server/http/hot-lane.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * Chat completions are served by the hot lane (plain POSTs to the exact
 * path) or by Fastify (everything else: a query string, an Origin header, a
 * trailing slash). Both must answer byte-for-byte alike, bar per-request ids.
 */
describe('hot lane and Fastify answer chat completions alike', () => {
  const fake = new FakeOpenAI();
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({ deployments: [{ publicModel: 'gpt-test', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini' }], bodyLimitBytes: 8 * 1024 });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });

  const STABLE_HEADERS = ['content-type', 'x-switchyard-cost', 'x-switchyard-deployment', 'x-switchyard-provider', 'x-switchyard-attempts', 'x-switchyard-warning', 'retry-after'];

  async function both(body: string, headers: Record<string, string> = { authorization: `Bearer ${gw?.key}` }) {
    const send = async (path: string) => {
      const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const text = (await res.text()).replace(/"(id|created|system_fingerprint)":\s*("[^"]*"|\d+)/g, '"$1":"*"');
      return { status: res.status, text, headers: Object.fromEntries(STABLE_HEADERS.map((h) => [h, res.headers.get(h)])), requestId: res.headers.get('x-request-id') };
    };
    const lane = await send('/v1/chat/completions');
    const fastify = await send('/v1/chat/completions?via=fastify');
    expect(lane.status).toBe(fastify.status);
    expect(lane.text).toBe(fastify.text);
    expect(lane.headers).toEqual(fastify.headers);
    return lane;
  }

  const ask = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], ...extra });

  it('a plain answer', async () => {
    const r = await both(ask());
    expect(r.status).toBe(200);
    expect(r.requestId).toMatch(/^req_[0-9a-z]{25}$/);
    expect(JSON.parse(r.text).choices[0].message.role).toBe('assistant');
  });

  it('a stream', async () => {
    const r = await both(ask({ stream: true, stream_options: { include_usage: true } }));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/event-stream/);
    expect(r.text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('unreadable JSON, an empty body, a body over the limit', async () => {
    const bad = await both('{"model": "gpt-test", "messages": [');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/JSON/);
    expect((await both('')).status).toBe(400);
    const big = await both(ask({ user: 'x'.repeat(9 * 1024) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text).error.type).toBe('invalid_request_error');
  });

  it('no key, an unknown model, a bad field', async () => {
    expect((await both(ask(), {})).status).toBe(401);
    expect((await both(JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }))).status).toBe(404);
    const r = await both(ask({ temperature: 'hot' }));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error.param).toBe('temperature');
  });

  it('the server stays up and a request id from the client is kept', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${gw.key}`, 'x-request-id': 'client-chosen-1' }, body: ask() });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('client-chosen-1');
  });
});

describe('which requests the hot lane takes', () => {
  let server: Server;
  let port = 0;
  const served: string[] = [];
  const lane = hotLane({
    paths: ['/v1/chat/completions'],
    bodyLimitBytes: 1024,
    accessLog: null,
    handler: async (req, reply) => {
      served.push(JSON.stringify(req.body));
      reply.code(201).headers({ 'x-seen': 'lane' }).send({ ok: true });
    },
    onRefused: (reply, err) => reply.code(err.status).send({ error: err.code }),
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (!lane(req, res)) res.writeHead(299).end('framework');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  function call(method: string, path: string, body = '', headers: Record<string, string> = {}) {
    return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('takes a plain POST to its exact path, parsed, and answers like Fastify would', async () => {
    const r = await call('POST', '/v1/chat/completions', '{"a":1}');
    expect(r).toMatchObject({ status: 201, body: '{"ok":true}', headers: { 'x-seen': 'lane', 'content-type': 'application/json; charset=utf-8', 'content-length': '11' } });
    expect(served.at(-1)).toBe('{"a":1}');
  });

  it('leaves other methods, paths, query strings and browser (Origin) requests to the framework', async () => {
    expect((await call('GET', '/v1/chat/completions')).status).toBe(299);
    expect((await call('POST', '/v1/chat/completions/')).status).toBe(299);
    expect((await call('POST', '/v1/chat/completions?x=1', '{}')).status).toBe(299);
    expect((await call('POST', '/v1/embeddings', '{}')).status).toBe(299);
    expect((await call('POST', '/v1/chat/completions', '{}', { origin: 'https://app.example' })).status).toBe(299);
  });

  it('refuses unreadable JSON and bodies over the limit (declared or not) before the handler', async () => {
    const before = served.length;
    expect(await call('POST', '/v1/chat/completions', '{nope')).toMatchObject({ status: 400, body: '{"error":"invalid_json"}' });
    expect(await call('POST', '/v1/chat/completions', 'x'.repeat(2000))).toMatchObject({ status: 413 });
    expect(await call('POST', '/v1/chat/completions', 'x'.repeat(2000), { 'transfer-encoding': 'chunked' })).toMatchObject({ status: 413 });
    expect(served.length).toBe(before);
  });

  it('after close() leaves everything to the framework (which answers 503 while closing)', async () => {
    lane.close();
    expect((await call('POST', '/v1/chat/completions', '{}')).status).toBe(299);
  });
});
