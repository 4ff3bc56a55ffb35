// CPU and memory accounting from /proc, the same measures as the shared
// lab: a process tree's utime+stime around a phase, VmHWM for peak RSS, and
// "foreign" CPU (everything this run did not start) for noise control.
import { readdirSync, readFileSync } from 'node:fs';

export const CLK_TCK = Number(process.env.CLK_TCK || 100);

function readStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: fields start after the last ')'
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), start: f[19], comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')) };
  } catch {
    return null;
  }
}

export function snapshot() {
  const m = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = readStat(d);
    if (st) m.set(st.pid, st);
  }
  return m;
}

export function tree(snap, root) {
  const out = new Set();
  if (!root) return out;
  const kids = new Map();
  for (const st of snap.values()) {
    if (!kids.has(st.ppid)) kids.set(st.ppid, []);
    kids.get(st.ppid).push(st.pid);
  }
  const todo = [root];
  while (todo.length) {
    const p = todo.pop();
    if (!snap.has(p) || out.has(p)) continue;
    out.add(p);
    todo.push(...(kids.get(p) || []));
  }
  return out;
}

function ticksBetween(a, b, pids) {
  let t = 0;
  for (const pid of pids) {
    const after = b.get(pid);
    if (!after) continue;
    const before = a.get(pid);
    // a recycled pid (different start time) counts from zero
    t += after.ticks - (before && before.start === after.start ? before.ticks : 0);
  }
  return t;
}

function machineBusy() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return f[0] + f[1] + f[2] + f[5] + f[6];
}

/** This process plus the children it has reaped (wrk, stream-load): utime+stime+cutime+cstime. */
function selfTicks() {
  const s = readFileSync('/proc/self/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
}

/** A point-in-time reading; `roots` = { proxy: pid|undefined, mocks: pid[] }. */
export function reading(roots) {
  return { snap: snapshot(), busy: machineBusy(), self: selfTicks(), t: Date.now(), roots };
}

/**
 * CPU between two readings. Foreign CPU is measured two ways and the larger
 * kept: per process (misses processes born and dead inside the phase), and
 * machine-wide busy time minus what this run accounts for (reads a little
 * high under heavy loopback traffic, as softirq work lands on idle CPUs).
 */
export function cpuBetween(a, b) {
  const both = (root) => new Set([...tree(a.snap, root), ...tree(b.snap, root)]);
  const proxy = a.roots.proxy ? both(a.roots.proxy) : new Set();
  const mocks = new Set(a.roots.mocks.flatMap((p) => [...both(p)]));
  const mine = new Set([process.pid, ...proxy, ...mocks, ...tree(b.snap, process.pid)]);
  const wall = (b.t - a.t) / 1000;
  const foreignTop = [];
  let foreign = 0;
  for (const st of b.snap.values()) {
    if (mine.has(st.pid) || st.pid === 2 || st.ppid === 2) continue; // kthreadd's children are kernel threads
    const d = ticksBetween(a.snap, b.snap, [st.pid]);
    if (d > 0) {
      foreign += d;
      foreignTop.push([d, `${st.pid}:${st.comm}`]);
    }
  }
  foreignTop.sort((x, y) => y[0] - x[0]);
  const proxyTicks = ticksBetween(a.snap, b.snap, proxy);
  const mockTicks = ticksBetween(a.snap, b.snap, mocks);
  const residual = Math.max(0, b.busy - a.busy - (b.self - a.self) - proxyTicks - mockTicks);
  const cores = (ticks) => +(ticks / CLK_TCK / wall).toFixed(3);
  return {
    wall_s: wall,
    proxy_cpu_s: a.roots.proxy ? proxyTicks / CLK_TCK : null,
    mock_cpu_s: mockTicks / CLK_TCK,
    foreign_proc_cores: cores(foreign),
    foreign_sys_cores: cores(residual),
    foreign_cores: cores(Math.max(foreign, residual)),
    foreign_top: foreignTop.slice(0, 3).map(([d, n]) => `${n}=${(d / CLK_TCK).toFixed(2)}s`),
  };
}

/** Sum of VmHWM (peak) and VmRSS over a process tree, in MB. */
export function memoryOf(root) {
  let hwm = 0;
  let rss = 0;
  for (const pid of tree(snapshot(), root)) {
    try {
      const s = readFileSync(`/proc/${pid}/status`, 'utf8');
      hwm += Number((/VmHWM:\s+(\d+)/.exec(s) || [0, 0])[1]);
      rss += Number((/VmRSS:\s+(\d+)/.exec(s) || [0, 0])[1]);
    } catch {
      /* exited */
    }
  }
  return { peak_rss_mb: +(hwm / 1024).toFixed(1), rss_mb: +(rss / 1024).toFixed(1) };
}
