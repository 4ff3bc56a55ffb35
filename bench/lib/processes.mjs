// Child processes of one bench run: each in its own process group, so a
// gateway's whole tree is stopped together, and every one of them is
// killed if the run itself is interrupted.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const live = new Map(); // pid -> name

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const onPath = (bin) => (process.env.PATH || '').split(':').some((d) => d && existsSync(path.join(d, bin)));
export const isLive = (child) => !!child && live.has(child.pid);

/** Long-running process (mock, gateway); output goes to `logFile`. */
export function startProcess(name, argv, { cwd, env, logFile }) {
  const fd = openSync(logFile, 'a');
  const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.set(child.pid, name);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    live.delete(child.pid);
    resolve({ code, signal });
  }));
  child.logFile = logFile;
  return child;
}

export async function stopProcess(child) {
  if (!isLive(child)) return;
  const group = (sig) => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
  group('SIGTERM');
  if ((await Promise.race([child.exited, sleep(5000).then(() => 'late')])) === 'late') {
    group('SIGKILL');
    await Promise.race([child.exited, sleep(2000)]);
  }
}

/** Short process (wrk, stream-load): resolves with its output; killed after `timeoutS`. */
export function capture(name, argv, timeoutS) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.set(child.pid, name);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, timeoutS * 1000);
    child.on('error', (e) => { err += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child.pid);
      resolve({ code, signal, out, err });
    });
  });
}

export function killAllNow() {
  for (const pid of live.keys()) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
}
process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`bench: got ${sig}, stopping children`);
    killAllNow();
    process.exit(130);
  });
}

export function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

/** `preferred` when nothing listens there, else a free ephemeral port (other engineers share this box). */
export async function freePort(preferred) {
  const tryBind = (port) => new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
  });
  return (await tryBind(preferred)) ?? (await tryBind(0));
}
