#!/usr/bin/env node
// One benchmark run (`npm run bench`): Switchyard's fast path and its
// Anthropic-translated path against the shared lab's references — the mock
// alone (`direct`), a bare Node proxy and nginx — with the lab's method, all
// in the same run. Knobs are env vars (see bench/README.md); results go to
// bench/results/<run-id>/{summary.md,results.json,raw/}.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBetween, memoryOf, reading } from './lib/proc-accounting.mjs';
import { aggregate } from './lib/aggregate.mjs';
import { body, streamPhase, wrkPhase } from './lib/load.mjs';
import { freePort, onPath, portOpen, sleep, startProcess, stopProcess, killAllNow } from './lib/processes.mjs';
import { startTarget } from './lib/start-target.mjs';
import { renderRunSummary } from './lib/summary.mjs';
import { loadTargets } from './lib/targets.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const E = process.env;
const num = (k, d) => (E[k] !== undefined && E[k] !== '' ? Number(E[k]) : d);
const list = (k, d) => String(E[k] || d).split(',').map((s) => s.trim()).filter(Boolean);

const LAB = path.resolve(E.BENCH_LAB || path.join(REPO, '..', 'shared', 'bench-lab'));
const nginxBin = E.NGINX_BIN || 'nginx';
const cfg = {
  targets: list('TARGETS', ['direct', 'bare', 'switchyard-fast', 'switchyard-anthropic', ...(onPath(nginxBin) ? ['nginx'] : [])].join(',')),
  conc: list('CONC', '32,256').map(Number),
  duration: num('DURATION', 4),
  warmup: num('WARMUP', 1),
  streamConc: num('STREAM_CONC', 32),
  streamDuration: num('STREAM_DURATION', num('DURATION', 4)),
  streamDelays: list('STREAM_DELAYS', '5,0').map(Number),
  chunks: num('CHUNKS', 20),
  proxyCpu: String(E.PROXY_CPU ?? '1'),
  loadCpu: String(E.LOAD_CPU ?? '0'),
  quietWaitS: num('QUIET_WAIT_S', 10),
  quietMaxCores: num('QUIET_MAX_CORES', 0.2),
  retries: num('NOISY_RETRIES', 1),
  rounds: num('ROUNDS', 3),
};
// The phases alone take `minimalS`; by default half as much again is allowed for
// start-up, waiting for quiet and repeating noisy phases (see slackMs).
const phaseMs = () => (cfg.warmup + Math.max(cfg.duration, cfg.streamDuration) + 1.5) * 1000;
const minimalS = (cfg.rounds * (cfg.conc.length + cfg.streamDelays.length) * phaseMs()) / 1000 * cfg.targets.length + 5 * cfg.targets.length;
cfg.maxRunS = num('MAX_RUN_S', Math.max(240, Math.round(minimalS * 1.5)));
const STAMP = E.RUN_ID || new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const OUT = path.resolve(E.OUT_DIR || path.join(REPO, 'bench', 'results', STAMP));
// Scratch stays under bench/results/ so bare-proxy's symlink resolves the repo's node_modules.
const TMP = path.join(REPO, 'bench', 'results', 'tmp', STAMP);
const T0 = Date.now();
const deadline = T0 + cfg.maxRunS * 1000;
const log = (...a) => console.error(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(6)}s]`, ...a);
const pinning = E.PIN !== '0' && onPath('taskset') && os.cpus().length >= 2;
const pin = (cpu) => (argv) => (pinning ? ['taskset', '-c', cpu, ...argv] : argv);
const onLoadCpu = pin(cfg.loadCpu);

function preflight() {
  if (!onPath('wrk')) fail('wrk not found: apt-get install -y wrk');
  if (!existsSync(path.join(LAB, 'bench', 'stream-load.mjs'))) fail(`shared bench lab not found at ${LAB} (set BENCH_LAB)`);
  if (cfg.targets.includes('portkey') && !existsSync(path.join(LAB, 'peers', 'portkey', 'node_modules', '@portkey-ai', 'gateway'))) {
    fail(`portkey is not installed: (cd ${path.join(LAB, 'peers', 'portkey')} && npm install)`);
  }
  if (!cfg.targets.some((t) => t.startsWith('switchyard'))) return null;
  if (E.BUILD === '0') return existsSync(path.join(REPO, 'dist', 'cli', 'main.js')) ? 'BUILD=0: used the existing dist/' : fail('dist/ missing; run npm run build');
  log('npm run build');
  const b = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  if (b.status === 0) return null;
  const out = `${b.stdout}${b.stderr}`.trim().split('\n');
  const errors = out.filter((l) => /error TS\d+/.test(l));
  const tail = (errors.length ? errors.slice(0, 3) : out.slice(-3)).join(' / ');
  if (!existsSync(path.join(REPO, 'dist', 'cli', 'main.js'))) fail(`npm run build failed and there is no dist/: ${tail}`);
  // tsc emits despite type errors (no noEmitOnError), so dist/ is the working tree as it is now.
  log(`npm run build reported errors (${tail}); measuring the dist/ it emitted anyway`);
  return `npm run build reported type errors (work in progress elsewhere?); tsc emitted dist/ anyway and that was measured: ${tail.slice(0, 300)}`;
}
function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

// Waiting for quiet and repeating noisy phases spend only the time the run can
// spare: every row still gets measured once within MAX_RUN_S on a busy box.
let phasesLeft = 0;
const slackMs = () => deadline - Date.now() - phasesLeft * phaseMs();
// An equal share of the slack per phase still to run, so early rounds do not use it all.
const shareMs = () => slackMs() / Math.max(1, phasesLeft + 1);

/** Waits (≤ QUIET_WAIT_S, within the slack) until other processes use ≤ QUIET_MAX_CORES. */
async function waitQuiet(label, roots) {
  const until = Date.now() + Math.max(0, Math.min(cfg.quietWaitS * 1000, shareMs()));
  for (let first = true; ; first = false) {
    const a = reading(roots);
    await sleep(500);
    const d = cpuBetween(a, reading(roots));
    if (d.foreign_cores <= cfg.quietMaxCores) return { waited: !first, foreign_cores: d.foreign_cores };
    if (first) log(`  ${label}: ${d.foreign_cores} foreign cores (${d.foreign_top.join(', ')}); waiting up to ${cfg.quietWaitS}s`);
    if (Date.now() >= until) return { waited: true, gave_up: true, foreign_cores: d.foreign_cores };
  }
}

/** One measured phase, repeated while other work disturbed it (within the slack); the least noisy attempt is kept. */
async function measure(label, roots, warm, run) {
  let best = null;
  phasesLeft--;
  const started = Date.now();
  const share = shareMs();
  const canRepeat = () => Date.now() - started + phaseMs() <= share;
  for (let attempt = 0; attempt <= cfg.retries && Date.now() < deadline && (attempt === 0 || canRepeat()); attempt++) {
    const quiet = await waitQuiet(label, roots);
    await warm();
    const a = reading(roots);
    const r = await run(attempt);
    const acc = cpuBetween(a, reading(roots));
    if (!best || acc.foreign_cores < best.acc.foreign_cores) best = { r, acc, quiet, attempt };
    if (acc.foreign_cores <= cfg.quietMaxCores) break;
    const again = attempt < cfg.retries && canRepeat();
    log(`  ${label}: ${acc.foreign_cores} foreign cores during the phase (${acc.foreign_top.join(', ')})${again ? ', again' : ', keeping the least noisy'}`);
  }
  return best;
}

/** One phase of one row in one round: wrk at `c`, or streams at `pace`. */
async function runPhase(round, phase, { t, child, res }, mocks) {
  const roots = { proxy: child?.pid, mocks };
  const tag = `${t.name}-${phase.key}-r${round + 1}`;
  const raw = (k, ext) => path.join(OUT, 'raw', `${tag}${k ? `-try${k}` : ''}.${ext}`);
  if (phase.c !== undefined) {
    const m = await measure(`${t.name} c=${phase.c} round ${round + 1}`, roots,
      () => wrkPhase(t, { conc: phase.c, seconds: cfg.warmup, tmp: TMP, pin: onLoadCpu }),
      (k) => wrkPhase(t, { conc: phase.c, seconds: cfg.duration, tmp: TMP, pin: onLoadCpu, rawFile: raw(k, 'wrk.txt') }));
    if (!m) return;
    const ph = { round: round + 1, c: phase.c, ...m.r, ...m.acc, quiet_wait: m.quiet, attempt: m.attempt };
    if (m.r.requests) {
      ph.proxy_cpu_s_per_1k = m.acc.proxy_cpu_s != null ? (m.acc.proxy_cpu_s / m.r.requests) * 1000 : null;
      ph.proxy_cpu_util = m.acc.proxy_cpu_s != null ? m.acc.proxy_cpu_s / m.acc.wall_s : null;
      ph.mock_cpu_s_per_1k = (m.acc.mock_cpu_s / m.r.requests) * 1000;
    }
    log(`  ${t.name} c=${phase.c} r${round + 1}: ${m.r.rps} req/s p50=${m.r.p50_ms} p99=${m.r.p99_ms} ms gatewayCPU/1k=${ph.proxy_cpu_s_per_1k?.toFixed(3)} util=${ph.proxy_cpu_util?.toFixed(2)} err=${m.r.errors}/${m.r.non2xx} foreign=${m.acc.foreign_cores}`);
    res.samples[phase.key].push(ph);
    return;
  }
  const opts = { conc: cfg.streamConc, paceMs: phase.pace, expectLines: cfg.chunks + 2, lab: LAB, tmp: TMP, pin: onLoadCpu };
  const m = await measure(`${t.name} stream pace=${phase.pace} round ${round + 1}`, roots,
    () => streamPhase(t, { ...opts, seconds: cfg.warmup }),
    (k) => streamPhase(t, { ...opts, seconds: cfg.streamDuration, rawFile: raw(k, 'json') }));
  if (!m) return;
  const ph = { round: round + 1, c: cfg.streamConc, pace_ms: phase.pace, ...m.r, ...m.acc, quiet_wait: m.quiet, attempt: m.attempt };
  if (m.r.completed) {
    ph.proxy_cpu_s_per_1k = m.acc.proxy_cpu_s != null ? (m.acc.proxy_cpu_s / m.r.completed) * 1000 : null;
    ph.proxy_cpu_util = m.acc.proxy_cpu_s != null ? m.acc.proxy_cpu_s / m.acc.wall_s : null;
  }
  log(`  ${t.name} stream pace=${phase.pace}ms r${round + 1}: ${m.r.streams_per_s}/s ttfb p50=${m.r.ttfb_ms?.p50} total p50=${m.r.total_ms?.p50} gatewayCPU/1k=${ph.proxy_cpu_s_per_1k?.toFixed(3)} bad=${m.r.bad} err=${m.r.errors} foreign=${m.acc.foreign_cores}`);
  res.samples[phase.key].push(ph);
}

async function main() {
  mkdirSync(path.join(OUT, 'raw'), { recursive: true });
  mkdirSync(TMP, { recursive: true });
  // The orchestrator, mocks and load generators share LOAD_CPU; each gateway gets PROXY_CPU alone.
  if (pinning) spawnSync('taskset', ['-a', '-p', '-c', cfg.loadCpu, String(process.pid)], { stdio: 'ignore' });
  setTimeout(() => { log(`MAX_RUN_S (${cfg.maxRunS}s) + 120s exceeded; stopping`); killAllNow(); process.exit(3); }, (cfg.maxRunS + 120) * 1000).unref();
  const buildNote = preflight();
  const base = num('PORT_BASE', 18300);
  const ports = {};
  for (const [k, off] of [['MOCK_PORT', 0], ['BARE_PORT', 1], ['NGINX_PORT', 2], ['PORTKEY_PORT', 3], ['ANTHROPIC_PORT', 4], ['FASTIFY_PORT', 5], ['SWITCHYARD_FAST_PORT', 10], ['SWITCHYARD_ANTHROPIC_PORT', 11]]) {
    ports[k] = num(k, await freePort(base + off));
  }
  const env = { ...E, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const all = await loadTargets({ lab: LAB, repo: REPO, env });
  for (const name of cfg.targets) if (!all[name]) fail(`unknown target ${name}; known: ${Object.keys(all).join(', ')}`);
  const ctx = { LAB, TMP, REPO, MOCK_PORT: ports.MOCK_PORT, ANTHROPIC_PORT: ports.ANTHROPIC_PORT, UPSTREAM: `http://127.0.0.1:${ports.MOCK_PORT}`, UPSTREAM_V1: `http://127.0.0.1:${ports.MOCK_PORT}/v1`, NGINX_BIN: nginxBin };
  const meta = {
    stamp: STAMP, cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, node: process.version, loadgen: 'wrk -t1',
    commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', 'src']) ? ' + uncommitted src/ changes in the working tree' : ''),
    body_bytes: Buffer.byteLength(body('gpt-4o-mini')), loadavg_start: os.loadavg(), ports, lab: LAB,
    pinning: pinning ? { proxy_cpu: cfg.proxyCpu, load_cpu: cfg.loadCpu, mock_and_loadgen_cpu: cfg.loadCpu } : false, cfg, build_note: buildNote,
  };
  log(`run ${STAMP}: ${cfg.targets.join(',')} rounds=${cfg.rounds} conc=${cfg.conc} ${cfg.duration}s (+${cfg.warmup}s warm-up) stream c=${cfg.streamConc} paces=${cfg.streamDelays}ms, pinning ${pinning ? `gateway→cpu${cfg.proxyCpu}` : 'off'}`);

  const mockLog = path.join(TMP, 'mocks.log');
  const mocks = [
    startProcess('mock-openai', onLoadCpu(['node', path.join(LAB, 'mock-openai.mjs'), '--port', String(ports.MOCK_PORT), '--chunks', String(cfg.chunks)]), { logFile: mockLog }),
    startProcess('mock-anthropic', onLoadCpu(['node', path.join(REPO, 'bench', 'mock-anthropic.mjs'), '--port', String(ports.ANTHROPIC_PORT), '--chunks', String(cfg.chunks)]), { logFile: mockLog }),
  ];
  for (const port of [ports.MOCK_PORT, ports.ANTHROPIC_PORT]) {
    const until = Date.now() + 10_000;
    while (!(await portOpen(port))) { if (Date.now() > until) fail(`mock on ${port} did not start: ${readFileSync(mockLog, 'utf8').slice(-300)}`); await sleep(100); }
  }
  // Every row is started (each alone on PROXY_CPU while it is measured; the
  // others sit idle), then the phases run in rounds with the rows in rotating
  // order: drift in the box's background load then touches every row alike,
  // and each row's figure is the median of its rounds.
  const rows = [];
  for (const name of cfg.targets) rows.push(await startTarget(all[name], ctx, { pin: pin(cfg.proxyCpu), chunks: cfg.chunks, log }));
  const phases = [...cfg.conc.map((c) => ({ key: `c${c}`, c })), ...cfg.streamDelays.map((pace) => ({ key: `stream-pace${pace}`, pace }))];
  for (const row of rows) row.res.samples = Object.fromEntries(phases.map((p) => [p.key, []]));
  const live = rows.filter((r) => !r.res.error);
  phasesLeft = cfg.rounds * phases.length * live.length;
  const mockPids = mocks.map((m) => m.pid);
  for (let round = 0; round < cfg.rounds && Date.now() < deadline; round++) {
    const order = live.map((_, i) => live[(i + round) % live.length]);
    log(`round ${round + 1}/${cfg.rounds}: ${order.map((r) => r.t.name).join(', ')}`);
    for (const phase of phases) for (const row of order) if (Date.now() < deadline) await runPhase(round, phase, row, mockPids);
  }
  for (const row of rows) {
    row.res.mem = row.child ? memoryOf(row.child.pid) : null;
    await stopProcess(row.child);
  }
  const results = rows.map((r) => r.res);
  aggregate(results, phases);
  for (const m of mocks) await stopProcess(m);
  meta.loadavg_end = os.loadavg();
  meta.elapsed_s = (Date.now() - T0) / 1000;
  const doc = { meta, results };
  writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(doc, null, 2));
  const md = renderRunSummary(doc);
  writeFileSync(path.join(OUT, 'summary.md'), md);
  console.log(md);
  log(`done in ${meta.elapsed_s.toFixed(0)}s → ${path.relative(REPO, OUT)}/summary.md`);
}

function git(args) {
  try { return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return '?'; }
}

main().catch((e) => { console.error(e); killAllNow(); process.exit(1); });
