#!/usr/bin/env node
// Where the gateway's CPU goes: runs Switchyard with `--cpu-prof` under a
// short wrk (or streaming) load against the same mocks as the bench, then
// prints self and inclusive time per function, mapped back to src/*.ts.
//
//   node bench/profile.mjs                         # fast path, non-streaming, c=32, 10 s
//   MODEL=bench-anthropic STREAM=1 node bench/profile.mjs
// Env: MODEL (bench-fast), STREAM (0), CONC (32), SECONDS (10), PACE_MS (0), TOP (30), BUILD (1), GATEWAY_NODE_ARGS.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { body, streamPhase, wrkPhase, post } from './lib/load.mjs';
import { freePort, onPath, portOpen, sleep, startProcess, stopProcess } from './lib/processes.mjs';
import { MASTER_KEY, NPM_START_NODE_ARGS } from './lib/targets.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAB = path.resolve(process.env.BENCH_LAB || path.join(REPO, '..', 'shared', 'bench-lab'));
const E = process.env;
const MODEL = E.MODEL || 'bench-fast';
const STREAM = E.STREAM === '1';
const CONC = Number(E.CONC || 32);
const SECONDS = Number(E.SECONDS || 10);
const TOP = Number(E.TOP || 30);
// As the bench runs the gateway (bench/lib/targets.mjs): npm start's node flags unless GATEWAY_NODE_ARGS says otherwise.
const nodeArgs = (E.GATEWAY_NODE_ARGS ?? NPM_START_NODE_ARGS).split(' ').filter(Boolean);
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const OUT = path.join(REPO, 'bench', 'results', `profile-${stamp}`);
const pinning = onPath('taskset') && E.PIN !== '0';
const pin = (cpu) => (argv) => (pinning ? ['taskset', '-c', cpu, ...argv] : argv);

async function main() {
  mkdirSync(OUT, { recursive: true });
  if (E.BUILD !== '0' && spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' }).status !== 0) console.error('build failed; profiling the existing dist/');
  const [mockPort, anthropicPort, port] = [await freePort(18350), await freePort(18354), await freePort(18360)];
  writeFileSync(path.join(OUT, 'switchyard.yaml'), `model_list:
  - model_name: bench-fast
    litellm_params: { model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mockPort}/v1", api_key: sk-mock }
  - model_name: bench-anthropic
    litellm_params: { model: anthropic/claude-sonnet-4-5, api_base: "http://127.0.0.1:${anthropicPort}", api_key: sk-mock }
general_settings:
  master_key: ${MASTER_KEY}
`);
  const logFile = path.join(OUT, 'processes.log');
  const mocks = [
    startProcess('mock-openai', pin('0')(['node', path.join(LAB, 'mock-openai.mjs'), '--port', String(mockPort)]), { logFile }),
    startProcess('mock-anthropic', pin('0')(['node', path.join(REPO, 'bench', 'mock-anthropic.mjs'), '--port', String(anthropicPort)]), { logFile }),
  ];
  mkdirSync(path.join(OUT, 'data'), { recursive: true });
  const spawnedAt = Date.now();
  const gw = startProcess('switchyard', pin('1')(['node', ...nodeArgs, '--cpu-prof', '--cpu-prof-dir', OUT, path.join(REPO, 'bin', 'switchyard.js'), '--config', path.join(OUT, 'switchyard.yaml'), '--port', String(port), '--host', '127.0.0.1']),
    { cwd: REPO, env: { SWITCHYARD_MASTER_KEY: MASTER_KEY, SWITCHYARD_DATA_DIR: path.join(OUT, 'data'), NODE_ENV: 'production' }, logFile });
  const t = { name: 'switchyard', port, path: '/v1/chat/completions', model: MODEL, headers: { authorization: `Bearer ${MASTER_KEY}` } };
  const until = Date.now() + 60_000;
  while (!((await portOpen(port)) && (await post(port, t.path, t.headers, body(MODEL))).status === 200)) {
    if (Date.now() > until) throw new Error(`gateway not ready: ${readFileSync(logFile, 'utf8').slice(-400)}`);
    await sleep(200);
  }
  // Samples before the load (start-up, module loading) are left out of the report.
  const skipUs = (Date.now() - spawnedAt) * 1000;
  const opts = { conc: CONC, seconds: SECONDS, tmp: OUT, pin: pin('0') };
  const r = STREAM ? await streamPhase(t, { ...opts, paceMs: Number(E.PACE_MS || 0), expectLines: 22, lab: LAB }) : await wrkPhase(t, opts);
  console.error(`load: ${JSON.stringify(r).slice(0, 300)}`);
  await stopProcess(gw);
  for (const m of mocks) await stopProcess(m);
  const file = readdirSync(OUT).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written (did the gateway exit cleanly on SIGTERM?)');
  const report = analyze(JSON.parse(readFileSync(path.join(OUT, file), 'utf8')), skipUs, r.requests ?? r.completed, `${MODEL}${STREAM ? ' stream' : ''} c=${CONC} ${SECONDS}s: ${r.rps ?? r.streams_per_s}/s`);
  writeFileSync(path.join(OUT, 'top.md'), report);
  console.log(report);
  console.error(`profile: ${path.relative(REPO, path.join(OUT, file))} (open in Chrome DevTools → Performance)`);
}

/** Self and inclusive time per function; our dist/ frames are shown at their src/*.ts position. */
function analyze(profile, skipUs, requests, title) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += dt[i] || 0;
    if (at >= skipUs) self.set(profile.samples[i], (self.get(profile.samples[i]) || 0) + (dt[i] || 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const key = (cf) => `${cf.functionName || '(anonymous)'} ${where(cf)}`;
  const selfBy = new Map();
  const inclBy = new Map();
  const area = new Map();
  // inclusive: walk each sampled node's ancestors once per distinct function
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  for (const [id, us] of self) {
    const n = byId.get(id);
    selfBy.set(key(n.callFrame), (selfBy.get(key(n.callFrame)) || 0) + us);
    area.set(areaOf(n.callFrame), (area.get(areaOf(n.callFrame)) || 0) + us);
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const k = key(byId.get(p).callFrame);
      if (!seen.has(k)) { seen.add(k); inclBy.set(k, (inclBy.get(k) || 0) + us); }
    }
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1)} %`;
  // µs of CPU per request: the sampled window is the load phase (start-up cut, shutdown is short)
  const perReq = (us) => (requests ? (us / requests).toFixed(1) : '–');
  const table = (m, filter = () => true) => [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([k, us]) => `| ${pct(us)} | ${perReq(us)} | ${k.replace(/\|/g, '\\|')} |`).join('\n');
  const busy = total - (area.get('(idle)') || 0);
  const head = '| share | µs / request | %s |\n| --- | --- | --- |';
  return [`# Gateway CPU profile — ${title}`, '', `${(total / 1e6).toFixed(2)} s sampled under load (start-up left out); busy ${perReq(busy)} µs of CPU per request over ${requests} requests.`, '',
    '## By area (self time)', '', head.replace('%s', 'area'), table(area), '',
    '## Top functions, self time', '', head.replace('%s', 'function'), table(selfBy), '',
    '## Our code (src/), inclusive time', '', head.replace('%s', 'function'), table(inclBy, (k) => k.includes(' src/')), ''].join('\n');
}

const maps = new Map();
function where(cf) {
  const url = cf.url || '';
  if (!url) return '';
  const line = cf.lineNumber + 1;
  if (url.includes('/dist/') && !url.includes('node_modules')) {
    const file = fileURLToPath(url);
    if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null);
    const e = maps.get(file)?.findEntry(cf.lineNumber, cf.columnNumber);
    if (e && e.originalSource) return `src/${path.relative(path.join(REPO, 'src'), fileURLToPath(new URL(e.originalSource, pathToFileURL(file)))).replace(/\\/g, '/')}:${e.originalLine + 1}`;
    return `${path.relative(REPO, file)}:${line}`;
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return `${url.slice(nm + 13)}:${line}`;
  return `${url.replace(/^file:\/\//, '')}:${line}`;
}
function areaOf(cf) {
  const url = cf.url || '';
  if (!url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  if (url.includes('node_modules/')) return url.slice(url.lastIndexOf('node_modules/') + 13).split('/').slice(0, url.includes('/@') ? 2 : 1).join('/');
  if (url.includes('/dist/')) return `switchyard ${url.slice(url.indexOf('/dist/') + 6).split('/')[0]}/`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  return url;
}

main().catch((e) => { console.error(e); process.exit(1); });
