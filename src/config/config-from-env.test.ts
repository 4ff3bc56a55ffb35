import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, ConfigError, configFromEnv, loadConfig, parseConfigText, settingsFromEnv } from './index.js';

describe('environment-only start', () => {
  it('registers the known models of every provider whose key is set', () => {
    const c = configFromEnv({ OPENAI_API_KEY: 'sk-o', GROQ_API_KEY: 'gk', GOOGLE_API_KEY: 'g' });
    expect(c.source).toEqual({ format: 'env' });
    const providers = new Set(c.deployments.map((d) => d.provider));
    expect([...providers].sort()).toEqual(['gemini', 'groq', 'openai']);
    const gpt = c.deployments.find((d) => d.publicModel === 'gpt-4o');
    expect(gpt).toMatchObject({ id: 'gpt-4o#1', source: 'env', target: { apiKey: 'sk-o', baseUrl: 'https://api.openai.com/v1' } });
    expect(gpt?.modelInfo.contextWindow).toBe(128_000);
    // Native names for OpenAI/Anthropic/Gemini, <provider>/<model> for the rest.
    expect(c.deployments.some((d) => d.publicModel === 'gemini-2.5-flash' && d.target.apiKey === 'g')).toBe(true);
    expect(c.deployments.find((d) => d.publicModel === 'groq/llama-3.3-70b-versatile')?.target.quirks?.maxN).toBe(1);
    expect(c.deployments.find((d) => d.publicModel === 'text-embedding-3-small')?.modelInfo.mode).toBe('embedding');
    expect(new Set(c.deployments.map((d) => d.id)).size).toBe(c.deployments.length);
    expect(c.warnings).toEqual([]);
  });

  it('honours base URL variables and ignores empty keys', () => {
    const c = configFromEnv({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1', ANTHROPIC_API_KEY: '' });
    expect(new Set(c.deployments.map((d) => d.target.baseUrl))).toEqual(new Set(['http://127.0.0.1:9999/v1']));
    const viaLiteLLMName = configFromEnv({ OPENAI_API_KEY: 'k', OPENAI_API_BASE: 'http://127.0.0.1:9998/v1' });
    expect(viaLiteLLMName.deployments[0]?.target.baseUrl).toBe('http://127.0.0.1:9998/v1');
  });

  it('reads server settings with defaults and lets flags win', () => {
    const none = configFromEnv({});
    expect(none.server).toEqual({ host: CONFIG_DEFAULTS.host, port: 4000, bodyLimitBytes: 10 * 1024 * 1024 });
    expect(none.dataDir).toBe('./data');
    expect(none.masterKey).toBeUndefined();
    expect(none.deployments).toEqual([]);
    expect(none.warnings[0]).toMatch(/^No models: no config file and none of OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY/);

    const env = {
      SWITCHYARD_MASTER_KEY: 'sk-m',
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/test',
      PORT: '5000',
      HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: '/tmp/sy',
      SWITCHYARD_BODY_LIMIT: '2mb',
    };
    const c = configFromEnv(env);
    expect(c).toMatchObject({
      masterKey: 'sk-m',
      databaseUrl: 'mysql://root@127.0.0.1:3306/test',
      dataDir: '/tmp/sy',
      server: { host: '127.0.0.1', port: 5000, bodyLimitBytes: 2 * 1024 * 1024 },
    });
    expect(loadConfig({ env, port: 0, host: '::1' }).server).toMatchObject({ host: '::1', port: 0 });
  });

  it('fails naming the variable when a setting is unreadable', () => {
    const bad = () => settingsFromEnv({ PORT: 'eighty', SWITCHYARD_BODY_LIMIT: 'lots' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/environment: PORT: "eighty" is not a port number/);
    expect(bad).toThrow(/environment: SWITCHYARD_BODY_LIMIT: "lots" is not a size/);
    expect(() => configFromEnv({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'nope' })).toThrow(/environment: OPENAI_BASE_URL: api_base "nope" is not a valid URL/);
  });
});

describe('precedence with a config file: flags, then file, then environment', () => {
  const env = { SWITCHYARD_MASTER_KEY: 'from-env', DATABASE_URL: 'postgres://env', PORT: '7000', SWITCHYARD_BODY_LIMIT: '1mb' };

  it('file beats environment, flags beat both', () => {
    const c = parseConfigText('master_key: from-file\nserver: {port: 8000}\n', { path: 's.yaml', env, port: 9000 });
    expect(c.masterKey).toBe('from-file');
    expect(c.databaseUrl).toBe('postgres://env');
    expect(c.server).toMatchObject({ port: 9000, bodyLimitBytes: 1024 * 1024 });
    expect(parseConfigText('master_key: from-file\nserver: {port: 8000}\n', { path: 's.yaml', env }).server.port).toBe(8000);
  });

  it('LiteLLM general_settings beat the environment, and environment_variables feed it', () => {
    const c = parseConfigText(
      'general_settings:\n  master_key: sk-file\nenvironment_variables:\n  DATABASE_URL: postgres://file-env\n',
      { path: 'l.yaml', env },
    );
    expect(c.masterKey).toBe('sk-file');
    expect(c.databaseUrl).toBe('postgres://file-env');
    expect(c.server.port).toBe(7000);
    expect(c.warnings).toEqual(['l.yaml defines no models']);
  });

  it('does not discover env models when a file is given', () => {
    const c = parseConfigText('models: {}\n', { path: 's.yaml', env: { OPENAI_API_KEY: 'k' } });
    expect(c.deployments).toEqual([]);
  });
});

describe('environment-only start with providers that need more than a key', () => {
  it('discovers Bedrock from AWS_BEARER_TOKEN_BEDROCK with its region from AWS_REGION', () => {
    const config = configFromEnv({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key', AWS_REGION: 'eu-central-1' });
    const bedrock = config.deployments.filter((d) => d.provider === 'bedrock');
    expect(bedrock.length).toBeGreaterThan(0);
    expect(bedrock[0]!.target.settings?.region).toBe('eu-central-1');
    expect(bedrock[0]!.target.baseUrl).toContain('eu-central-1');
  });
});
