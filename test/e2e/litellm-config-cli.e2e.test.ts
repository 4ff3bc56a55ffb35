import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeGemini } from '../fakes/gemini-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';

/**
 * A LiteLLM config.yaml with openai/, anthropic/ and gemini/ deployments,
 * written the way LiteLLM users write it (os.environ references, general and
 * router settings), served by the real `switchyard --config` process.
 */
const LITELLM_CONFIG = `
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: os.environ/FAKE_OPENAI_BASE
      api_key: os.environ/OPENAI_API_KEY
  - model_name: claude
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_base: os.environ/FAKE_ANTHROPIC_BASE
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: gemini
    litellm_params:
      model: gemini/gemini-2.5-flash
      api_base: os.environ/FAKE_GEMINI_BASE
      api_key: os.environ/GEMINI_API_KEY
  - model_name: text-embedder
    litellm_params:
      model: openai/text-embedding-3-small
      api_base: os.environ/FAKE_OPENAI_BASE
      api_key: os.environ/OPENAI_API_KEY
    model_info:
      mode: embedding

litellm_settings:
  drop_params: true
  success_callback: ["langfuse"]

router_settings:
  routing_strategy: simple-shuffle
  num_retries: 2
  timeout: 30

general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`;

describe('switchyard --config <LiteLLM config.yaml>', () => {
  const openai = new FakeOpenAI({ apiKey: 'sk-openai-up' });
  const anthropic = new FakeAnthropic({ apiKey: 'sk-ant-up' });
  const gemini = new FakeGemini({ apiKey: 'gem-up' });
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
  let child: ChildProcess | undefined;
  let baseURL = '';
  let stderr = '';

  beforeAll(async () => {
    await Promise.all([openai.start(), anthropic.start(), gemini.start()]);
    // The CLI runs from dist/, as `npm start` does; build it (incremental, fast when current).
    const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    writeFileSync(join(dir, 'config.yaml'), LITELLM_CONFIG);
    child = spawn(process.execPath, ['bin/switchyard.js', '--config', join(dir, 'config.yaml'), '--port', '0', '--host', '127.0.0.1'], {
      env: {
        PATH: process.env.PATH,
        FAKE_OPENAI_BASE: `${openai.url}/v1`,
        FAKE_ANTHROPIC_BASE: anthropic.url,
        FAKE_GEMINI_BASE: gemini.url,
        OPENAI_API_KEY: 'sk-openai-up',
        ANTHROPIC_API_KEY: 'sk-ant-up',
        GEMINI_API_KEY: 'gem-up',
        LITELLM_MASTER_KEY: 'sk-litellm-master',
        SWITCHYARD_DATA_DIR: join(dir, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    baseURL = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no banner within 20 s; stderr:\n${stderr}\nstdout:\n${out}`)), 20_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /API \(OpenAI-compatible\):\s+(\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child!.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    });
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await Promise.all([openai.stop(), anthropic.stop(), gemini.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every unsupported key in one start-up warning', () => {
    expect(stderr).toMatch(/litellm_settings\.success_callback/);
  });

  it('serves openai/, anthropic/ and gemini/ deployments with the master key from general_settings', async () => {
    const client = new OpenAI({ apiKey: 'sk-litellm-master', baseURL, maxRetries: 0 });
    openai.script('gpt-4o-mini', { text: 'from openai' });
    anthropic.script('claude-sonnet-4-5', { text: 'from anthropic' });
    gemini.script('gemini-2.5-flash', { text: 'from gemini' });
    for (const [model, text] of [['gpt-4o-mini', 'from openai'], ['claude', 'from anthropic'], ['gemini', 'from gemini']] as const) {
      const res = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      expect(res.choices[0]?.message.content).toBe(text);
    }
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(['claude', 'gemini', 'gpt-4o-mini', 'text-embedder']);
    const emb = await client.embeddings.create({ model: 'text-embedder', input: 'x' });
    expect(emb.data).toHaveLength(1);
  });

  it('refuses any other key', async () => {
    const client = new OpenAI({ apiKey: 'sk-not-it', baseURL, maxRetries: 0 });
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
