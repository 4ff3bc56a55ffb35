import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CODEX_KEY_ENV,
  CODEX_MODEL,
  codexConfig,
  ConversationalCodexUpstream,
  FINAL_ANSWER,
  NOTE_FILE,
  NOTE_TEXT,
  PLAIN_ANSWER,
  PLAIN_PROMPT,
  redactCodexCall,
  SHELL_TOOL,
  startRecordingProxy,
  TOOL_PROMPT,
  UPSTREAM_MODEL,
  type RecordedCall,
} from '../fixtures/codex/codex-kit.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * The real Codex CLI, headless (`codex exec`), against the gateway's
 * Responses API in front of the OpenAI fake. It needs the CLI (a native
 * binary inside the npm package, not a dependency):
 *
 *   npm install --prefix /tmp/codex @openai/codex@0.169.0
 *   CODEX_BIN=/tmp/codex/node_modules/.bin/codex npx vitest run test/e2e/codex-live.e2e.test.ts
 *
 * With CODEX_RECORD=1 it also rewrites the fixtures that
 * codex-replay.e2e.test.ts (which runs everywhere) sends again.
 */
const bin = process.env['CODEX_BIN'];
const fixtureDir = new URL('../fixtures/codex/', import.meta.url);

describe.skipIf(!bin)('Codex CLI → switchyard → OpenAI fake (set CODEX_BIN to run)', () => {
  const fake = new ConversationalCodexUpstream();
  let gw: TestGateway;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let work: string;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({ deployments: [{ publicModel: CODEX_MODEL, protocol: 'openai', baseUrl: `${fake.url}/v1`, model: UPSTREAM_MODEL }], router: { numRetries: 0 } });
    proxy = await startRecordingProxy(gw.url);
    work = mkdtempSync(join(tmpdir(), 'switchyard-codex-'));
    writeFileSync(join(work, NOTE_FILE), `${NOTE_TEXT}\n`);
  });
  afterAll(async () => {
    await proxy?.close();
    await gw?.close();
    await fake.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function runCodex(prompt: string): Promise<{ code: number | null; stdout: string; stderr: string; calls: RecordedCall[] }> {
    const first = proxy.calls.length;
    const home = join(work, `.codex-home-${first}`);
    mkdirSync(home);
    writeFileSync(join(home, 'config.toml'), codexConfig(`${proxy.url}/v1`));
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: home, CODEX_HOME: home, [CODEX_KEY_ENV]: gw.key };
    const child = spawn(bin!, ['exec', '--strict-config', '--skip-git-repo-check', '--color', 'never', prompt], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr, calls: proxy.calls.slice(first) };
  }

  function save(name: string, calls: RecordedCall[]): void {
    if (process.env['CODEX_RECORD'] !== '1') return;
    const fixture = { recordedWith: '@openai/codex@0.169.0', calls: calls.map((c) => redactCodexCall(c, work)) };
    writeFileSync(new URL(`${name}.requests.json`, fixtureDir), `${JSON.stringify(fixture, null, 2)}\n`);
  }

  it('answers a plain prompt', async () => {
    const run = await runCodex(PLAIN_PROMPT);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout.trim()).toBe(PLAIN_ANSWER);
    expect(run.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /v1/responses']);
    save('plain', run.calls);
  }, 120_000);

  it('runs a shell tool call through the gateway and answers with its output', async () => {
    const run = await runCodex(TOOL_PROMPT);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout.trim()).toBe(FINAL_ANSWER);
    expect(run.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /v1/responses', 'POST /v1/responses']);
    // Codex ran the command and sent its output back; the upstream got it as a tool message.
    const toolTurn = fake.requests.map((r) => r.body).find((b) => b?.messages?.some((m: { role: string }) => m.role === 'tool'));
    expect(JSON.stringify(toolTurn)).toContain(NOTE_TEXT);
    expect(JSON.stringify(toolTurn)).toContain(SHELL_TOOL);
    save('tool-use', run.calls);
  }, 120_000);
});
