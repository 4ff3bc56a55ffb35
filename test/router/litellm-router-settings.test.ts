import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { GatewayConfig } from '../../src/config/types.js';
import { createLogger } from '../../src/server/log.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { TEST_MASTER_KEY, type TestGateway } from '../e2e/harness.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { chat, hits } from './router-harness.js';

/**
 * LiteLLM's `router_settings` keys, loaded from a LiteLLM config.yaml with
 * `loadConfig` and served by a real gateway: each one changes behaviour as
 * it does in LiteLLM.
 */
const fake = new FakeOpenAI();
const dir = mkdtempSync(join(tmpdir(), 'switchyard-litellm-router-'));
let config: GatewayConfig;
let gateway: Gateway;
let g: TestGateway;

function yaml(base: string): string {
  const model = (name: string, upstream: string, extra = '') => `  - model_name: ${name}
    litellm_params:
      model: openai/${upstream}
      api_base: ${base}
      api_key: sk-upstream-test
${extra}`;
  return `model_list:
${model('gpt-main', 'main-a')}
${model('gpt-main', 'main-b')}
${model('gpt-backup', 'backup')}
${model('gpt-small', 'small', '    model_info:\n      max_input_tokens: 30\n')}
${model('gpt-large', 'large', '    model_info:\n      max_input_tokens: 200000\n')}
${model('gpt-strict', 'strict')}
${model('gpt-open', 'open')}
${model('gpt-slow', 'slow')}
${model('gpt-limited', 'limited')}
router_settings:
  routing_strategy: least-busy
  num_retries: 1
  timeout: 0.2
  allowed_fails: 0
  cooldown_time: 0.5
  fallbacks: [{gpt-main: [gpt-backup]}, {gpt-limited: [gpt-backup]}]
  context_window_fallbacks: [{gpt-small: [gpt-large]}]
  content_policy_fallbacks: [{gpt-strict: [gpt-open]}]
  retry_policy:
    RateLimitErrorRetries: 0
    InternalServerErrorRetries: 1
general_settings:
  master_key: ${TEST_MASTER_KEY}
`;
}

beforeAll(async () => {
  await fake.start();
  const path = join(dir, 'config.yaml');
  writeFileSync(path, yaml(`${fake.url}/v1`));
  config = { ...loadConfig({ path, env: {} }), dataDir: dir, server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1 << 20 } };
  gateway = await createGateway(config, { log: createLogger('error') });
  const url = await gateway.listen();
  g = { gateway, url, baseURL: `${url}/v1`, key: TEST_MASTER_KEY, dataDir: dir, close: () => gateway.close() };
});
afterAll(async () => {
  await gateway?.close();
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => fake.reset());

describe('LiteLLM router_settings', () => {
  it('are all read (none reported as unsupported)', () => {
    expect(config.warnings.join('\n')).not.toMatch(/router_settings/);
    expect(config.router).toMatchObject({
      strategy: 'least-busy',
      numRetries: 1,
      timeoutMs: 200,
      allowedFails: 0,
      cooldownTimeMs: 500,
      fallbacks: { 'gpt-main': ['gpt-backup'], 'gpt-limited': ['gpt-backup'] },
      contextWindowFallbacks: { 'gpt-small': ['gpt-large'] },
      contentPolicyFallbacks: { 'gpt-strict': ['gpt-open'] },
      retryPolicy: { RateLimitErrorRetries: 0, InternalServerErrorRetries: 1 },
    });
  });

  it('num_retries + allowed_fails + cooldown_time: a failing deployment is retried away from and skipped while cooling', async () => {
    fake.script('main-a', { error: { status: 500 } });
    fake.script('main-b', { error: { status: 500 } });
    const r = await chat(g, { model: 'gpt-main' });
    // Both deployments failed once (1 try + 1 retry), then the fallback answered.
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-model')).toBe('gpt-backup');
    expect(hits(fake, 'main-a') + hits(fake, 'main-b')).toBe(2);
    fake.reset();
    const cooled = await chat(g, { model: 'gpt-main' });
    expect(cooled.headers.get('x-switchyard-model')).toBe('gpt-backup');
    expect(hits(fake, 'main-a') + hits(fake, 'main-b')).toBe(0);
    await new Promise((res) => setTimeout(res, 550));
    const back = await chat(g, { model: 'gpt-main' });
    expect(back.status).toBe(200);
    expect(back.headers.get('x-switchyard-model')).toBeNull();
  });

  it('retry_policy RateLimitErrorRetries: 0 — a 429 is not retried, the fallback answers', async () => {
    fake.script('limited', { error: { status: 429 } });
    const r = await chat(g, { model: 'gpt-limited' });
    expect(r.headers.get('x-switchyard-model')).toBe('gpt-backup');
    expect(hits(fake, 'limited')).toBe(1);
  });

  it('timeout: an upstream slower than it is cut with a 504 upstream_timeout', async () => {
    fake.script('slow', { latencyMs: 800 });
    const started = Date.now();
    const r = await chat(g, { model: 'gpt-slow' });
    expect(r.status).toBe(504);
    expect(r.json.error.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(750);
  });

  it('context_window_fallbacks: a prompt over max_input_tokens goes to the larger model', async () => {
    const r = await chat(g, { model: 'gpt-small', messages: [{ role: 'user', content: 'many words '.repeat(40) }] });
    expect(r.headers.get('x-switchyard-model')).toBe('gpt-large');
    expect(hits(fake, 'small')).toBe(0);
  });

  it('content_policy_fallbacks: a content-filter refusal goes to the listed model', async () => {
    fake.script('strict', { error: { status: 400, type: 'content_filter', message: 'filtered' } });
    const r = await chat(g, { model: 'gpt-strict' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-switchyard-model')).toBe('gpt-open');
  });

  it('routing_strategy least-busy: a request goes around a deployment busy with another', async () => {
    fake.script('main-a', { latencyMs: 150 });
    fake.script('main-b', { latencyMs: 150 });
    const rs = await Promise.all([chat(g, { model: 'gpt-main' }), chat(g, { model: 'gpt-main' })]);
    expect(new Set(rs.map((r) => r.headers.get('x-switchyard-deployment'))).size).toBe(2);
  });
});
