import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

const ENV = {
  OPENAI_API_KEY: 'sk-openai',
  OPENAI_EU_KEY: 'sk-openai-eu',
  ANTHROPIC_API_KEY: 'sk-ant',
  GEMINI_API_KEY: 'gm-key',
  DEEPSEEK_API_KEY: 'sk-deepseek-from-file',
  LITELLM_MASTER_KEY: 'sk-master',
  DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
};

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('native config', () => {
  const native = loadConfig({ path: fixture('native-config.yaml'), env: ENV });

  it('loads server, secrets and accounting', () => {
    expect(native.source.format).toBe('native');
    expect(native.server).toEqual({ host: '0.0.0.0', port: 8080, bodyLimitBytes: 20 * 1024 * 1024 });
    expect(native.masterKey).toBe('sk-master');
    expect(native.databaseUrl).toBe('postgres://u@127.0.0.1:5432/db');
    expect(native.dataDir).toBe('/var/lib/switchyard');
    expect(native.accounting).toEqual({ unknownPrice: 'refuse' });
    expect(native.warnings).toEqual([]);
  });

  it('describes the same gateway as its LiteLLM equivalent', () => {
    const lite = loadConfig({ path: fixture('litellm-config.yaml'), env: ENV });
    const strip = (c: typeof native) => c.deployments.map(({ providerOptions: _p, ...d }) => d);
    expect(strip(native)).toEqual(strip(lite));
    expect(native.router).toEqual(lite.router);
    expect(native.accessGroups).toEqual(lite.accessGroups);
    expect(native.deployments.find((d) => d.publicModel === 'local-llama')?.providerOptions).toEqual({ openai: { top_k: 20 } });
  });

  it('accepts a single deployment or a list, and our strategy names or LiteLLM ones', () => {
    const c = parseConfigText(
      ['models:', '  a: {provider: ollama, model: llama3}', 'router:', '  strategy: latency-based-routing'].join('\n'),
      { path: 'n.yaml', env: {} },
    );
    expect(c.deployments[0]).toMatchObject({ id: 'a#1', provider: 'ollama', target: { baseUrl: 'http://localhost:11434/v1' } });
    expect(c.router.strategy).toBe('lowest-latency');
  });

  it('reads the file from disk and reports unreadable paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const p = join(dir, 'switchyard.yaml');
    writeFileSync(p, 'models:\n  m: {provider: custom, model: x, api_base: "http://127.0.0.1:1/v1"}\n');
    expect(loadConfig({ path: p, env: {} }).deployments[0]?.target.baseUrl).toBe('http://127.0.0.1:1/v1');
    const err = errorOf(() => loadConfig({ path: join(dir, 'missing.yaml'), env: {} }));
    expect(err.message).toBe(`${join(dir, 'missing.yaml')}: cannot read the file (ENOENT)`);
  });
});

describe('native config errors name file, path and problem', () => {
  it.each([
    ['models:\n  m: {provider: opnai, model: gpt-4o}\n', 'models.m.provider', /unknown provider "opnai"; known: openai, anthropic/],
    ['models:\n  m: {provider: openai, model: gpt-4o}\n', 'models.m.api_key', /needs an API key: set api_key or OPENAI_API_KEY/],
    ['models:\n  m: [{provider: openai, model: gpt-4o, api_key: env:NOPE}]\n', 'models.m[0].api_key', /environment variable NOPE is not set \(referenced as env:NOPE\)/],
    ['models:\n  m: {provider: openai, model: gpt-4o, api_key: k, wieght: 2}\n', 'models.m.wieght', /unknown key/],
    ['models:\n  m: {provider: openai, model: gpt-4o, api_key: k, model_info: {mode: video_generation}}\n', 'models.m.model_info.mode', /mode "video_generation" is not served/],
    ['models:\n  gpt-4o-mini: {provider: openai, api_key: k}\n', 'models["gpt-4o-mini"].model', /is required/],
    ['server: {port: 99999}\n', 'server.port', /./],
    ['server: {body_limit: huge}\n', 'server.body_limit', /size in bytes/],
    ['accounting: {unknown_price: maybe}\n', 'accounting.unknown_price', /./],
    ['master_key: env:NOT_SET\n', 'master_key', /NOT_SET is not set/],
    ['router: {strategy: fastest}\n', 'router.strategy', /unknown routing strategy "fastest"/],
    ['router: {cooldown_time: 0}\n', 'router.cooldown_time', /./],
    ['modles: {}\n', 'modles', /unknown key/],
  ])('%#: %s', (yaml, path, message) => {
    const err = errorOf(() => parseConfigText(yaml, { path: 'switchyard.yaml', env: {} }));
    const issue = err.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(err.issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(err.message).toContain(`switchyard.yaml:${issue?.line ?? ''}`);
  });

  it('lets key-less providers use an unset key variable', () => {
    const c = parseConfigText('models:\n  m: {provider: lmstudio, model: qwen, api_key: env:LMS_KEY}\n', { path: 's.yaml', env: {} });
    expect(c.deployments[0]?.target.apiKey).toBeUndefined();
  });

  it('reports YAML syntax errors with their line', () => {
    const err = errorOf(() => parseConfigText('models:\n  m: {provider: openai\n', { path: 's.yaml', env: {} }));
    expect(err.issues[0]?.line).toBeGreaterThanOrEqual(2);
    expect(err.message).toMatch(/^s\.yaml:\d+: invalid YAML/);
    const dup = errorOf(() => parseConfigText('server: {}\nserver: {}\n', { path: 's.yaml', env: {} }));
    expect(dup.message).toMatch(/invalid YAML/);
  });

  it('refuses empty files, non-mappings and mixed formats', () => {
    expect(errorOf(() => parseConfigText('', { path: 's.yaml', env: {} })).message).toBe('s.yaml: the file is empty');
    expect(errorOf(() => parseConfigText('- a\n', { path: 's.yaml', env: {} })).message).toBe('s.yaml: the top level must be a mapping of settings');
    expect(errorOf(() => parseConfigText('model_list: []\nmodels: {}\n', { path: 's.yaml', env: {} })).message).toMatch(
      /mixes LiteLLM sections \(model_list\) with native ones \(models\)/,
    );
  });
});
