import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { closePools } from '../../src/protocols/http/index.js';
import { parseCorsOrigins } from '../../src/server/security/cors-origins.js';
import { startTestGateway, type TestGateway } from '../e2e/harness.js';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';

const PAGE = 'https://chat.example.com';

function preflight(url: string, origin: string, method = 'POST', headers = 'authorization, content-type'): Promise<Response> {
  return fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });
}

/** What a browser does after a preflight: the real request, with its Origin. */
function post(url: string, origin: string, body: unknown, key: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { origin, authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('CORS for browser clients', () => {
  const openaiFake = new FakeOpenAI();
  const anthropicFake = new FakeAnthropic();
  let gw: TestGateway;
  let listed: TestGateway;
  let off: TestGateway;

  beforeAll(async () => {
    await Promise.all([openaiFake.start(), anthropicFake.start()]);
    const deployments = [
      { publicModel: 'relayed', protocol: 'openai', baseUrl: `${openaiFake.url}/v1`, model: 'gpt-4o-mini' },
      { publicModel: 'translated', protocol: 'anthropic', baseUrl: `${anthropicFake.url}/v1`, model: 'claude-3-5-haiku-latest' },
    ];
    gw = await startTestGateway({ deployments });
    listed = await startTestGateway({ deployments, config: { server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1 << 20, corsOrigins: [PAGE, 'https://*.lobehub.com'] } } });
    off = await startTestGateway({ deployments, config: { server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1 << 20, corsOrigins: [] } } });
  });
  afterAll(async () => {
    await Promise.all([gw.close(), listed.close(), off.close()]);
    await Promise.all([openaiFake.stop(), anthropicFake.stop()]);
    await closePools();
  });

  it.each(['/v1/chat/completions', '/v1/messages', '/v1/models', '/v1beta/models/relayed:streamGenerateContent', '/admin/keys', '/no/such/route'])('answers a preflight for %s by default for any origin', async (path) => {
    const res = await preflight(`${gw.url}${path}`, PAGE, 'POST', 'Authorization, Content-Type, X-Stainless-OS, x-stainless-retry-count, anthropic-version');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = res.headers.get('access-control-allow-headers')?.split(', ') ?? [];
    for (const h of ['authorization', 'content-type', 'x-stainless-os', 'x-stainless-retry-count', 'anthropic-version', 'anthropic-beta', 'x-api-key', 'api-key', 'x-goog-api-key']) expect(allowed).toContain(h);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    // Bearer tokens, never cookies: credentials are never allowed, which is what makes `*` safe.
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('marks a JSON answer so the page can read it and the gateway headers', async () => {
    const res = await post(`${gw.baseURL}/chat/completions`, PAGE, { model: 'relayed', messages: [{ role: 'user', content: 'hi' }] }, gw.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = res.headers.get('access-control-expose-headers') ?? '';
    for (const h of ['x-request-id', 'retry-after', 'x-switchyard-cost', 'x-ratelimit-remaining-requests']) expect(exposed).toContain(h);
    expect(res.headers.get('x-request-id')).toMatch(/\S/);
    await res.json();
  });

  it.each([
    ['relayed (fast path)', 'relayed'],
    ['translated', 'translated'],
  ])('marks a hijacked %s stream too', async (_label, model) => {
    const res = await post(`${gw.baseURL}/chat/completions`, PAGE, { model, stream: true, messages: [{ role: 'user', content: 'hi' }] }, gw.key);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(await res.text()).toContain('data: [DONE]');
  });

  it('marks errors, so a page can show why it was refused', async () => {
    const res = await post(`${gw.baseURL}/chat/completions`, PAGE, { model: 'relayed', messages: [] }, 'sk-wrong-key');
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('works for the openai client unchanged (no Origin, no CORS headers needed)', async () => {
    const client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    const r = await client.chat.completions.create({ model: 'relayed', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.choices[0]?.message.content).toBeTruthy();
    const plain = await fetch(`${gw.baseURL}/models`, { headers: { authorization: `Bearer ${gw.key}` } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('with an allow-list', () => {
    it('reflects a listed origin (and a listed subdomain wildcard) with Vary: Origin', async () => {
      for (const origin of [PAGE, 'https://app.lobehub.com']) {
        const pre = await preflight(`${listed.baseURL}/chat/completions`, origin);
        expect(pre.status).toBe(204);
        expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
        expect(pre.headers.get('vary')).toContain('Origin');
      }
      const res = await post(`${listed.baseURL}/chat/completions`, PAGE, { model: 'relayed', stream: true, messages: [{ role: 'user', content: 'hi' }] }, listed.key);
      expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
      expect(res.headers.get('vary')).toContain('Origin');
      await res.text();
    });

    it('refuses other origins: a 403 preflight, and no allow header on answers', async () => {
      for (const origin of ['https://evil.example.net', 'http://chat.example.com', 'https://lobehub.com.evil.io']) {
        const pre = await preflight(`${listed.baseURL}/chat/completions`, origin);
        expect(pre.status).toBe(403);
        expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      }
      const res = await post(`${listed.baseURL}/chat/completions`, 'https://evil.example.net', { model: 'relayed', messages: [{ role: 'user', content: 'hi' }] }, listed.key);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      await res.text();
    });
  });

  it('sends nothing when switched off', async () => {
    const pre = await preflight(`${off.baseURL}/chat/completions`, PAGE);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.status).toBe(404);
  });
});

describe('CORS settings', () => {
  it('parses "*", "none", a comma list and a YAML list, and names a bad origin', () => {
    expect(parseCorsOrigins('*')).toEqual({ ok: true, origins: ['*'] });
    expect(parseCorsOrigins('none')).toEqual({ ok: true, origins: [] });
    expect(parseCorsOrigins('https://A.example.com/, http://localhost:3000')).toEqual({ ok: true, origins: ['https://a.example.com', 'http://localhost:3000'] });
    expect(parseCorsOrigins(['https://*.example.com'])).toEqual({ ok: true, origins: ['https://*.example.com'] });
    expect(parseCorsOrigins('https://example.com/chat')).toMatchObject({ ok: false, message: expect.stringContaining('https://example.com/chat') });
    expect(parseCorsOrigins('*, https://example.com')).toMatchObject({ ok: false });
  });

  it('reads SWITCHYARD_CORS_ORIGINS and server.cors_origins (the file wins), and fails naming the setting', () => {
    expect(loadConfig({ env: { SWITCHYARD_CORS_ORIGINS: 'https://a.example.com,https://b.example.com' } }).server.corsOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(loadConfig({ env: {} }).server.corsOrigins).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-cors-'));
    try {
      const file = join(dir, 'config.yaml');
      writeFileSync(file, 'server:\n  cors_origins: [https://ui.example.com]\nmodels: {}\n');
      expect(loadConfig({ path: file, env: { SWITCHYARD_CORS_ORIGINS: '*' } }).server.corsOrigins).toEqual(['https://ui.example.com']);
      writeFileSync(file, 'server:\n  cors_origins: ui.example.com\nmodels: {}\n');
      expect(() => loadConfig({ path: file, env: {} })).toThrow(/cors_origins/);
      expect(() => loadConfig({ env: { SWITCHYARD_CORS_ORIGINS: 'ftp://x' } })).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
