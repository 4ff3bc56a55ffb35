import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/log.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startTestGateway, type TestGateway } from './harness.js';

describe('access log (SWITCHYARD_ACCESS_LOG=1)', () => {
  const fake = new FakeOpenAI();
  const lines: string[] = [];
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({
      deployments: [{ publicModel: 'gpt-test', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini' }],
      router: { numRetries: 0 },
      gatewayOptions: { accessLog: true, log: createLogger('info', (l) => lines.push(l)) },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });

  const requestLines = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

  it('writes one line per request with id, status, model, deployment and timing — and no key', async () => {
    fake.script('gpt-4o-mini', { text: 'logged', usage: { input: 3, output: 1 } });
    const client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const bad = new OpenAI({ apiKey: 'sk-not-a-real-key-123', baseURL: gw.baseURL, maxRetries: 0 });
    await bad.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
    for (let i = 0; i < 50 && requestLines().length < 2; i++) await new Promise((r) => setTimeout(r, 10));

    const [ok, denied] = requestLines();
    expect(ok).toMatchObject({ requestId: res.response.headers.get('x-request-id'), endpoint: 'chat', status: 200, model: 'gpt-test', deployment: 'gpt-test#0', attempts: 1, key: 'master' });
    expect(typeof ok!.latencyMs).toBe('number');
    expect(denied).toMatchObject({ status: 401, endpoint: 'chat' });
    const all = lines.join('\n');
    expect(all).not.toContain(gw.key);
    expect(all).not.toContain('sk-not-a-real-key-123');
    expect(all).not.toContain('sk-upstream-test');
  });
});
