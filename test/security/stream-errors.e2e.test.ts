import Anthropic from '@anthropic-ai/sdk';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePools } from '../../src/protocols/http/index.js';
import { createLogger } from '../../src/server/log.js';
import { adminClient } from '../admin/admin-client.js';
import { startTestGateway, type TestGateway } from '../e2e/harness.js';
import { expectNoSecrets } from './leak-check.js';

const OPENAI_KEY = 'sk-proj-8fQ2xLm0Zr7TbN4vKc9WdY1eHs6Ju3Ga';
const ANTHROPIC_KEY = 'sk-ant-api03-Pq7Rt2Vx9Zb4Nd6Lf1Hj8Kl3Mn5Ws0Ye';
const SECRETS = [OPENAI_KEY, ANTHROPIC_KEY];

/** The credential this request carried, as the upstream saw it (what real providers echo). */
function received(req: http.IncomingMessage): string {
  const auth = req.headers['authorization'];
  if (typeof auth === 'string') return auth.replace(/^Bearer /, '');
  return String(req.headers['x-api-key'] ?? '');
}

/**
 * An upstream that accepts a stream, sends one token and then an in-band
 * error echoing the key it received — OpenAI's `data: {"error":…}` and
 * Anthropic's `event: error` (split across two writes, as TCP may) — and
 * answers other calls with a 401 that echoes it, like OpenAI's
 * "Incorrect API key provided".
 */
function echoingUpstream(): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = received(req);
      const echo = `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys?key=${encodeURIComponent(key)}`;
      const json = body ? (JSON.parse(body) as { stream?: boolean; model?: string }) : {};
      if (req.url?.endsWith('/chat/completions') && json.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: json.model, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: null }] })}\n\n`);
        res.end(`data: ${JSON.stringify({ error: { message: echo, type: 'server_error', code: key } })}\n\n`);
        return;
      }
      if (req.url?.endsWith('/messages') && json.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const ev = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
        res.write(ev('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: json.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } }));
        res.write(ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
        res.write(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }));
        const error = ev('error', { type: 'error', error: { type: 'overloaded_error', message: echo } });
        const cut = error.indexOf(key.slice(0, 12)) + 6;
        res.write(error.slice(0, cut));
        setTimeout(() => res.end(error.slice(cut)), 20);
        return;
      }
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: echo, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    });
  });
}

async function rawText(url: string, body: unknown, headers: Record<string, string>): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return `${res.status} ${JSON.stringify(Object.fromEntries(res.headers.entries()))}\n${await res.text()}`;
}

describe('in-band stream errors and pass-through bodies that echo the key', () => {
  const upstream = echoingUpstream();
  const lines: string[] = [];
  let gw: TestGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  const chat = { messages: [{ role: 'user' as const, content: 'hi' }] };

  beforeAll(async () => {
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    gw = await startTestGateway({
      deployments: [
        { publicModel: 'via-openai', protocol: 'openai', baseUrl: base, model: 'gpt-4o-mini', apiKey: OPENAI_KEY },
        { publicModel: 'via-anthropic', protocol: 'anthropic', baseUrl: base, model: 'claude-3-5-haiku', apiKey: ANTHROPIC_KEY },
      ],
      router: { numRetries: 0 },
      gatewayOptions: { log: createLogger('debug', (l) => lines.push(l)), accessLog: true },
    });
    openai = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: gw.key, baseURL: gw.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw.close();
    await new Promise<void>((r) => upstream.close(() => r()));
    await closePools();
  });

  async function openaiStream(model: string): Promise<{ text: string; error: unknown }> {
    let text = '';
    try {
      const s = await openai.chat.completions.create({ model, stream: true, ...chat });
      for await (const c of s) text += c.choices[0]?.delta?.content ?? '';
    } catch (error) {
      return { text, error };
    }
    return { text, error: undefined };
  }

  async function anthropicStream(model: string): Promise<{ text: string; error: unknown }> {
    let text = '';
    try {
      const s = anthropic.messages.stream({ model, max_tokens: 16, ...chat });
      for await (const e of s) if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
    } catch (error) {
      return { text, error };
    }
    return { text, error: undefined };
  }

  const show = (e: unknown): string => JSON.stringify({ message: (e as Error | undefined)?.message, error: (e as { error?: unknown } | undefined)?.error });

  it.each([
    ['the OpenAI relay (fast path)', 'via-openai'],
    ['a translated Anthropic upstream', 'via-anthropic'],
  ])('openai client, %s: the in-band error keeps the message, not the key', async (_label, model) => {
    const { text, error } = await openaiStream(model);
    expect(text).toBe('Hello');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('Incorrect API key provided: ****');
    expectNoSecrets(`openai client on ${model}`, show(error), SECRETS);
    const raw = await rawText(`${gw.baseURL}/chat/completions`, { model, stream: true, ...chat }, { authorization: `Bearer ${gw.key}` });
    expect(raw).toContain('Incorrect API key provided');
    expectNoSecrets(`raw SSE from ${model}`, raw, SECRETS);
  });

  it.each([
    ['the Anthropic relay (fast path)', 'via-anthropic'],
    ['a translated OpenAI upstream', 'via-openai'],
  ])('anthropic client, %s: the in-band error keeps the message, not the key', async (_label, model) => {
    const { text, error } = await anthropicStream(model);
    expect(text).toBe('Hello');
    expect(error).toBeDefined();
    expect(show(error)).toContain('Incorrect API key provided');
    expectNoSecrets(`anthropic client on ${model}`, show(error), SECRETS);
    const raw = await rawText(`${gw.url}/v1/messages`, { model, stream: true, max_tokens: 16, ...chat }, { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01' });
    expect(raw).toContain('event: error');
    expectNoSecrets(`raw Anthropic SSE from ${model}`, raw, SECRETS);
  });

  it('a pass-through error body (/openai/v1/models) is scrubbed, its status and shape kept', async () => {
    const res = await fetch(`${gw.url}/openai/v1/models`, { headers: { authorization: `Bearer ${gw.key}` } });
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(JSON.parse(text).error.code).toBe('invalid_api_key');
    expect(text).toContain('Incorrect API key provided: ****');
    expectNoSecrets('pass-through body', text, SECRETS);
  });

  it('a client with a bad gateway key gets a 401 that does not echo it, and the log does not hold it', async () => {
    const bad = 'sk-sy-NotARealKey0123456789abcdefXYZ';
    const err = await new OpenAI({ apiKey: bad, baseURL: gw.baseURL, maxRetries: 0 }).models.list().catch((e: unknown) => e);
    expect((err as APIError).status).toBe(401);
    expect((err as Error).message).toContain('Invalid API key.');
    const raw = await rawText(`${gw.url}/v1/messages`, { model: 'via-anthropic', max_tokens: 4, ...chat }, { 'x-api-key': bad });
    expect(raw.startsWith('401 ')).toBe(true);
    expectNoSecrets('bad-key 401', show(err) + raw, [bad]);
    expectNoSecrets('log after bad key', lines.join(''), [bad, gw.key]);
  });

  it('neither the log nor the ledger holds an upstream key', async () => {
    expect(lines.join('')).toContain('"request"');
    expectNoSecrets('gateway log', lines.join(''), [...SECRETS, gw.key]);
    await gw.gateway.accounts.ledger.flush();
    const res = await adminClient(gw.url)('GET', '/admin/spend/logs?limit=500');
    expect(res.body.data.some((r: { status: string }) => r.status === 'error')).toBe(true);
    expectNoSecrets('ledger', res.text, SECRETS);
  });
});
