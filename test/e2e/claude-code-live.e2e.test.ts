import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationalOpenAI,
  FINAL_ANSWER,
  MAIN_MODEL,
  NOTE_FILE,
  NOTE_TEXT,
  PLAIN_ANSWER,
  redact,
  SMALL_MODEL,
  startRecordingProxy,
  UPSTREAM_MAIN,
  UPSTREAM_SMALL,
  type RecordedCall,
} from '../fixtures/claude-code/claude-code-kit.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * The real Claude Code CLI, headless, against the gateway in front of the
 * OpenAI fake. It needs the CLI (≈250 MB native binary, not a dependency):
 *
 *   npm install --prefix /tmp/cc @anthropic-ai/claude-code@2.1.197
 *   CLAUDE_CODE_BIN=/tmp/cc/node_modules/.bin/claude npx vitest run test/e2e/claude-code-live.e2e.test.ts
 *
 * With CLAUDE_CODE_RECORD=1 it also rewrites the fixtures the replay suite
 * (claude-code-replay.e2e.test.ts, which runs everywhere) sends again.
 */
const bin = process.env['CLAUDE_CODE_BIN'];
const fixtureDir = new URL('../fixtures/claude-code/', import.meta.url);

describe.skipIf(!bin)('Claude Code CLI → switchyard → OpenAI fake (set CLAUDE_CODE_BIN to run)', () => {
  const fake = new ConversationalOpenAI();
  let gw: TestGateway;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let work: string;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({
      deployments: [
        { publicModel: MAIN_MODEL, protocol: 'openai', baseUrl: `${fake.url}/v1`, model: UPSTREAM_MAIN },
        { publicModel: SMALL_MODEL, protocol: 'openai', baseUrl: `${fake.url}/v1`, model: UPSTREAM_SMALL },
      ],
      router: { numRetries: 0 },
    });
    proxy = await startRecordingProxy(gw.url);
    work = mkdtempSync(join(tmpdir(), 'switchyard-cc-'));
    writeFileSync(join(work, NOTE_FILE), `${NOTE_TEXT}\n`);
    fake.notePath = join(work, NOTE_FILE);
  });
  afterAll(async () => {
    await proxy?.close();
    await gw?.close();
    await fake.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function runClaude(prompt: string): Promise<{ code: number | null; stdout: string; stderr: string; calls: RecordedCall[] }> {
    const first = proxy.calls.length;
    const home = join(work, `home-${first}`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: home,
      ANTHROPIC_BASE_URL: proxy.url,
      ANTHROPIC_AUTH_TOKEN: gw.key,
      ANTHROPIC_MODEL: MAIN_MODEL,
      ANTHROPIC_SMALL_FAST_MODEL: SMALL_MODEL,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: SMALL_MODEL,
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
    const child = spawn(bin!, ['-p', prompt, '--model', MAIN_MODEL, '--output-format', 'json', '--allowedTools', 'Read'], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr, calls: proxy.calls.slice(first) };
  }

  function save(name: string, calls: RecordedCall[]): void {
    if (process.env['CLAUDE_CODE_RECORD'] !== '1') return;
    const fixture = { recordedWith: '@anthropic-ai/claude-code@2.1.197', calls: calls.map((c) => ({ ...c, body: redact(c.body) })) };
    writeFileSync(new URL(`${name}.requests.json`, fixtureDir), `${JSON.stringify(fixture, null, 2)}\n`);
  }

  it('answers a plain prompt', async () => {
    const run = await runClaude('What is 2 + 2? Answer in one word.');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: PLAIN_ANSWER });
    expect(run.calls.some((c) => c.method === 'POST' && c.url.startsWith('/v1/messages'))).toBe(true);
    save('plain', run.calls);
  }, 120_000);

  it('runs a Read tool call through the gateway and answers with the file content', async () => {
    const run = await runClaude(`Read the file ${NOTE_FILE} with the Read tool and tell me what it says.`);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: FINAL_ANSWER });
    // The tool result went back upstream as an OpenAI tool message carrying the file content.
    const toolTurn = fake.requests.map((r) => r.body).find((b) => b?.messages?.some((m: { role: string }) => m.role === 'tool'));
    expect(JSON.stringify(toolTurn)).toContain(NOTE_TEXT);
    save('tool-use', run.calls);
  }, 120_000);
});
