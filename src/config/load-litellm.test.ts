import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from './index.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/litellm-config.yaml', import.meta.url));

const ENV = {
  OPENAI_API_KEY: 'sk-openai',
  OPENAI_EU_KEY: 'sk-openai-eu',
  ANTHROPIC_API_KEY: 'sk-ant',
  GEMINI_API_KEY: 'gm-key',
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

describe('LiteLLM config.yaml', () => {
  const config = loadConfig({ path: FIXTURE, env: ENV });

  it('is detected and keeps the general settings', () => {
    expect(config.source).toEqual({ format: 'litellm', path: FIXTURE });
    expect(config.masterKey).toBe('sk-master');
    expect(config.databaseUrl).toBe('postgres://u@127.0.0.1:5432/db');
    expect(config.server).toEqual({ host: '0.0.0.0', port: 4000, bodyLimitBytes: 10 * 1024 * 1024 });
    expect(config.accounting.unknownPrice).toBe('zero');
  });

  it('turns model_list into deployments with ids, providers and resolved keys', () => {
    expect(config.deployments.map((d) => [d.id, d.publicModel, d.provider, d.protocol, d.target.model])).toEqual([
      ['openai-gpt-4o-primary', 'gpt-4o', 'openai', 'openai', 'gpt-4o'],
      ['gpt-4o#2', 'gpt-4o', 'openai', 'openai', 'gpt-4o'],
      ['claude-sonnet#1', 'claude-sonnet', 'anthropic', 'anthropic', 'claude-sonnet-4-20250514'],
      ['gemini-flash#1', 'gemini-flash', 'gemini', 'gemini', 'gemini-2.5-flash'],
      ['deepseek-chat#1', 'deepseek-chat', 'deepseek', 'openai', 'deepseek-chat'],
      ['local-llama#1', 'local-llama', 'vllm', 'openai', 'meta-llama/Llama-3.1-8B-Instruct'],
      ['embeddings#1', 'embeddings', 'openai', 'openai', 'text-embedding-3-small'],
    ]);
    const [primary, eu, claude, gemini, deepseek, vllm, emb] = config.deployments;
    expect(primary).toMatchObject({ weight: 3, order: 1, rpm: 500, tpm: 90000, source: 'config' });
    expect(primary?.target).toMatchObject({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-openai', auth: { kind: 'bearer' } });
    expect(eu?.target).toMatchObject({ baseUrl: 'https://eu.openai-proxy.example/v1', apiKey: 'sk-openai-eu', timeoutMs: 30_000, firstTokenTimeoutMs: 5_000 });
    expect(eu?.order).toBe(2);
    expect(claude?.target).toMatchObject({ apiKey: 'sk-ant', apiVersion: '2023-06-01', auth: { kind: 'header', name: 'x-api-key' }, defaultMaxTokens: 4096 });
    expect(claude?.tags).toEqual(['paid', 'eu']);
    expect(gemini?.target).toMatchObject({ baseUrl: 'https://generativelanguage.googleapis.com/v1beta', apiKey: 'gm-key' });
    // environment_variables in the file feed os.environ references and key fallbacks.
    expect(deepseek?.target.apiKey).toBe('sk-deepseek-from-file');
    // The vLLM key variable is unset: a key-less provider loads without one.
    expect(vllm?.target).toMatchObject({ baseUrl: 'http://127.0.0.1:8000/v1' });
    expect(vllm?.target.apiKey).toBeUndefined();
    expect(emb?.modelInfo.mode).toBe('embedding');
    expect(emb?.target.apiKey).toBe('sk-openai');
  });

  it('maps model_info, filling gaps from the catalog', () => {
    const claude = config.deployments[2];
    expect(claude?.modelInfo).toEqual({
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      inputCostPerToken: 0.000003,
      outputCostPerToken: 0.000015,
      cacheReadCostPerToken: 0.0000003,
      cacheWriteCostPerToken: 0.00000375,
      supportsVision: true,
      supportsTools: true,
      extra: { base_model: 'claude-sonnet-4' },
    });
    expect(config.deployments[0]?.modelInfo.contextWindow).toBe(128_000);
    expect(config.accessGroups).toEqual({ 'gpt-4o': ['beta-models'], 'local-llama': ['internal'] });
  });

  it('maps router_settings over litellm_settings', () => {
    expect(config.router).toEqual({
      strategy: 'usage-based',
      numRetries: 3,
      timeoutMs: 60_000,
      fallbacks: { 'gpt-4o': ['claude-sonnet'], 'claude-sonnet': ['gemini-flash'] },
      defaultFallbacks: ['gpt-4o'],
      contextWindowFallbacks: { 'gpt-4o': ['gemini-flash'] },
      contentPolicyFallbacks: {},
      allowedFails: 2,
      cooldownTimeMs: 45_000,
      retryPolicy: { RateLimitErrorRetries: 4, AuthenticationErrorRetries: 0 },
    });
  });

  it('lists exactly the unsupported keys in one warning', () => {
    const w = config.warnings.filter((x) => x.startsWith('Ignored LiteLLM settings'));
    expect(w).toHaveLength(1);
    const paths = (w[0] ?? '').split(': ').slice(1).join(': ').split(', ').sort();
    expect(paths).toEqual(
      [
        'general_settings.alerting',
        'litellm_settings.drop_params',
        'litellm_settings.success_callback',
        'model_list[4].litellm_params.max_retries',
        'router_settings.redis_host',
      ].sort(),
    );
    expect(config.warnings).toHaveLength(1);
  });

  it('uses litellm_settings when router_settings is silent', () => {
    const c = parseConfigText(
      ['model_list: []', 'litellm_settings:', '  num_retries: 5', '  request_timeout: 12.5', '  fallbacks: [{a: [b]}]'].join('\n'),
      { path: 'x.yaml', env: {} },
    );
    expect(c.router).toMatchObject({ numRetries: 5, timeoutMs: 12_500, fallbacks: { a: ['b'] }, strategy: 'weighted-random' });
    expect(c.warnings.some((w) => w.includes('Fallbacks name models no deployment serves'))).toBe(true);
  });

  it.each([
    ['simple-shuffle', 'weighted-random'],
    ['least-busy', 'least-busy'],
    ['latency-based-routing', 'lowest-latency'],
    ['usage-based-routing', 'usage-based'],
    ['cost-based-routing', 'lowest-cost'],
  ])('maps routing_strategy %s', (name, strategy) => {
    const c = parseConfigText(`router_settings:\n  routing_strategy: ${name}\n`, { path: 'x.yaml', env: {} });
    expect(c.router.strategy).toBe(strategy);
  });

  it('infers providers of bare names and warns about gemini-*', () => {
    const c = parseConfigText(
      [
        'model_list:',
        '  - model_name: a',
        '    litellm_params: {model: claude-3-5-haiku-20241022, api_key: k}',
        '  - model_name: b',
        '    litellm_params: {model: gemini-2.0-flash, api_key: k}',
        '  - model_name: c',
        '    litellm_params: {model: my-model, custom_llm_provider: custom_openai, api_base: "http://127.0.0.1:9/v1"}',
      ].join('\n'),
      { path: 'x.yaml', env: {} },
    );
    expect(c.deployments.map((d) => d.provider)).toEqual(['anthropic', 'gemini', 'custom']);
    expect(c.warnings).toEqual([expect.stringMatching(/^model_list\[1\]\.litellm_params\.model: .*Vertex AI.*gemini\/gemini-2\.0-flash/)]);
  });

  it('skips providers Switchyard does not serve yet, with a warning', () => {
    const c = parseConfigText(
      [
        'model_list:',
        '  - model_name: sm',
        '    litellm_params: {model: sagemaker/jumpstart-llama, api_key: k}',
        '  - model_name: img',
        '    litellm_params: {model: openai/sora-2, api_key: k}',
        '    model_info: {mode: video_generation}',
        '  - model_name: ok',
        '    litellm_params: {model: openai/gpt-4o, api_key: k}',
      ].join('\n'),
      { path: 'x.yaml', env: {} },
    );
    expect(c.deployments.map((d) => d.publicModel)).toEqual(['ok']);
    expect(c.warnings).toEqual([
      'Skipped 2 deployment(s) Switchyard cannot serve yet: model_list[0] (sagemaker/jumpstart-llama: provider "sagemaker"); model_list[1] (openai/sora-2: mode "video_generation")',
    ]);
  });

  it('warns, like LiteLLM starts anyway, when a provider key is nowhere', () => {
    const c = parseConfigText('model_list:\n  - model_name: g\n    litellm_params: {model: groq/llama-3.3-70b-versatile}\n', {
      path: 'x.yaml',
      env: {},
    });
    expect(c.deployments).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/^model_list\[0\] \(g\): provider "groq" needs an API key: set api_key or GROQ_API_KEY/);
    const withEnv = parseConfigText('model_list:\n  - model_name: g\n    litellm_params: {model: groq/llama-3.3-70b-versatile}\n', {
      path: 'x.yaml',
      env: { GROQ_API_KEY: 'gk' },
    });
    expect(withEnv.deployments[0]?.target.apiKey).toBe('gk');
    expect(withEnv.warnings).toEqual([]);
  });
});

describe('LiteLLM config errors name file, path and problem', () => {
  const base = (params: string, extra = '') =>
    `model_list:\n  - model_name: m\n    litellm_params: ${params}\n${extra}`;

  it.each([
    [base('{model: openai/gpt-4o, api_key: os.environ/NOPE_KEY}'), 'model_list[0].litellm_params.api_key', /environment variable NOPE_KEY is not set \(referenced as os\.environ\/NOPE_KEY\)/],
    [base('{model: opneai/gpt-4o, api_key: k}'), 'model_list[0].litellm_params.model', /cannot tell the provider of "opneai\/gpt-4o"/],
    [base('{model: llama3, api_key: k}'), 'model_list[0].litellm_params.model', /write it as <provider>\/<model>/],
    [base('{model: openai/gpt-4o, rpm: -5}'), 'model_list[0].litellm_params.rpm', /./],
    [base('{model: openai/gpt-4o, weight: lots}'), 'model_list[0].litellm_params.weight', /./],
    [base('{model: openai/gpt-4o, api_base: "not a url"}'), 'model_list[0].litellm_params.api_base', /http\(s\) URL/],
    [base('{api_key: k}'), 'model_list[0].litellm_params.model', /./],
    [base('{model: openai/gpt-4o, api_key: k}', 'router_settings:\n  routing_strategy: fastest\n'), 'router_settings.routing_strategy', /unknown routing strategy "fastest"/],
    [base('{model: openai/gpt-4o, api_key: k}', 'router_settings:\n  retry_policy: {Oops: 1}\n'), 'router_settings.retry_policy.Oops', /unknown key/],
    [base('{model: openai/gpt-4o, api_key: k}', 'general_settings:\n  master_key: os.environ/MISSING_MASTER\n'), 'general_settings.master_key', /MISSING_MASTER is not set/],
    [base('{model: custom_openai/x}'), 'model_list[0].litellm_params.api_base', /needs an api_base/],
  ])('%#: %s', (yaml, path, message) => {
    const err = errorOf(() => parseConfigText(yaml, { path: 'conf/litellm.yaml', env: {} }));
    expect(err.source).toBe('conf/litellm.yaml');
    const issue = err.issues.find((i) => i.path === path);
    expect(issue, `issues: ${JSON.stringify(err.issues)}`).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(err.message).toContain('conf/litellm.yaml:');
    expect(err.message).toContain(path);
  });

  it('points at the line and reports every problem at once', () => {
    const yaml = base('{model: openai/gpt-4o, api_key: os.environ/A1}') + '  - model_name: n\n    litellm_params: {model: openai/gpt-4o, tpm: 0}\n';
    const err = errorOf(() => parseConfigText(yaml, { path: 'c.yaml', env: {} }));
    expect(err.issues.map((i) => [i.path, i.line])).toEqual([
      ['model_list[0].litellm_params.api_key', 3],
      ['model_list[1].litellm_params.tpm', 5],
    ]);
    expect(err.message).toMatch(/^2 problems in c\.yaml:\n  c\.yaml:3: model_list\[0\]/);
  });

  it('refuses duplicate deployment ids', () => {
    const yaml = [
      'model_list:',
      '  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k}, model_info: {id: same}}',
      '  - {model_name: b, litellm_params: {model: openai/gpt-4o, api_key: k}, model_info: {id: same}}',
    ].join('\n');
    const err = errorOf(() => parseConfigText(yaml, { path: 'c.yaml', env: {} }));
    expect(err.issues).toEqual([{ path: 'model_list[1].model_info.id', line: 3, message: 'deployment id "same" is already used by model_list[0]' }]);
  });
});

describe('provider inputs beyond the key (catalog extraInputs)', () => {
  it('maps vertex_project / vertex_location / vertex_credentials and does not warn about them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-cfg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      [
        'model_list:',
        '  - model_name: vgem',
        '    litellm_params:',
        '      model: vertex_ai/gemini-2.5-flash',
        '      vertex_project: my-proj',
        '      vertex_location: europe-west4',
        '      vertex_credentials: os.environ/SA_JSON',
        '      aws_region_name: us-east-1',
      ].join('\n'),
    );
    const config = loadConfig({ path: file, env: { SA_JSON: '{"type":"service_account"}' } });
    const d = config.deployments[0]!;
    expect(d.target.settings).toMatchObject({ project: 'my-proj', location: 'europe-west4' });
    expect(d.target.credentials).toEqual({ serviceAccountJson: '{"type":"service_account"}' });
    // A parameter another provider reads is still reported for this one.
    expect(config.warnings.join('\n')).toMatch(/litellm_params\.aws_region_name/);
    expect(config.warnings.join('\n')).not.toMatch(/vertex_project/);
  });
});
