/**
 * The real `switchyard` command as a child process, for tests that kill it:
 * built from src/ with the package's build config, started on a data
 * directory, ready once its banner names the URL it listens on.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
/**
 * A private build, laid out like the package (bin/ beside dist/), inside
 * node_modules so the compiled code resolves the repository's packages.
 * Not dist/ itself: another suite building dist/ at the same moment would
 * rewrite files under a starting child (tsc does not write atomically).
 */
const BUILD = join(REPO, 'node_modules', '.cache', 'switchyard-money-cli');

/**
 * Compiles src/ with tsconfig.build.json into the private build (incremental,
 * fast when current). tsc exits 2 when it found type errors but still
 * emitted every file: the process can run, and a type error is the
 * type-check's to report, so that only warns here.
 */
export function buildCli(): { ok: boolean; output: string } {
  const build = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', join(BUILD, 'dist'), '--tsBuildInfoFile', join(BUILD, 'dist', '.tsbuildinfo')],
    { cwd: REPO, encoding: 'utf8' },
  );
  const output = build.stdout + build.stderr;
  if (build.status === 2) console.warn(`tsc reported type errors but emitted the build:\n${output}`);
  // The real launcher and package.json (the CLI reads its version from it), so the child runs `bin/switchyard.js` as shipped.
  mkdirSync(join(BUILD, 'bin'), { recursive: true });
  copyFileSync(join(REPO, 'bin', 'switchyard.js'), join(BUILD, 'bin', 'switchyard.js'));
  copyFileSync(join(REPO, 'package.json'), join(BUILD, 'package.json'));
  return { ok: build.status === 0 || build.status === 2, output };
}

export interface CliChild {
  proc: ChildProcess;
  /** …/v1 */
  baseURL: string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startCli(opts: { configPath: string; env: Record<string, string> }): Promise<CliChild> {
  const proc = spawn(process.execPath, [join(BUILD, 'bin', 'switchyard.js'), '--config', opts.configPath, '--port', '0', '--host', '127.0.0.1'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  const baseURL = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 30 s; stderr:\n${err}\nstdout:\n${out}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /API \(OpenAI-compatible\):\s+(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before it was ready: ${err}`));
    });
  });
  return { proc, baseURL, stderr: () => err, exited };
}

/** Ends a child this test started, if it still runs. */
export async function stopCli(child: CliChild | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGKILL');
  await child.exited;
}
