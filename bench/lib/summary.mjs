// summary.md for one run: per phase, every row with its ratio to `bare`
// measured in the same run. Ratios are what the team quotes; absolute
// figures on this shared 2-core box move ±10 % between runs.
const num = (v, d = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–');
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && a > 0 && b > 0 ? (a / b).toFixed(2) : '–');
const row = (cells) => `| ${cells.join(' | ')} |`;
const noise = (p, limit) => (p.foreign_cores > limit ? ` ⚠${p.foreign_cores}` : '');

export const FAST_PATH_TARGET = 0.6;

export function renderRunSummary(doc) {
  const { meta } = doc;
  // References first, then the gateways in the order they ran.
  const rank = (r) => { const i = ['direct', 'bare', 'nginx', 'portkey', 'fastify-bare'].indexOf(r.target); return i === -1 ? 10 : i; };
  const results = [...doc.results].sort((a, b) => rank(a) - rank(b));
  const q = meta.cfg.quietMaxCores;
  const bare = results.find((r) => r.target === 'bare');
  const out = [`# Switchyard bench ${meta.stamp}`, ''];
  out.push(`${meta.cpus}× ${meta.cpu_model}, node ${meta.node}, ${meta.loadgen}, body ${meta.body_bytes} B, ` +
    `pinning ${meta.pinning ? `gateway → cpu${meta.pinning.proxy_cpu}, mocks + load generator → cpu${meta.pinning.load_cpu}` : 'off'}, ` +
    `${meta.cfg.rounds} round(s) with the rows in rotating order, each phase ${meta.cfg.duration} s measured after ${meta.cfg.warmup} s warm-up, ${meta.cfg.chunks} chunks per stream, ` +
    `loadavg at start ${meta.loadavg_start.map((x) => x.toFixed(2)).join('/')}, elapsed ${num(meta.elapsed_s, 0)} s, commit ${meta.commit}.`);
  if (meta.build_note) out.push('', `**Build:** ${meta.build_note}`);
  out.push('', 'Figures are medians over the rounds; range = lowest–highest req/s of the rounds. ' +
    'gateway CPU = utime+stime of the gateway process tree (/proc) ÷ requests × 1000. ' +
    'peak RSS = VmHWM of the gateway tree at the end of the run. ÷ bare = ratio to bare in the same round, median over rounds. ' +
    `⚠x = other processes used x cores (median) during the phase; a noisy phase is repeated up to ${meta.cfg.retries} time(s) when the run has time to spare, keeping the quietest attempt.`);

  for (const c of meta.cfg.conc) {
    const base = bare?.phases?.find((p) => p.c === c);
    out.push('', `## Non-streaming, c=${c}`, '',
      row(['target', 'req/s', 'req/s range', 'p50 ms', 'p99 ms', 'gateway CPU s / 1k req', 'peak RSS MB', 'req/s ÷ bare', 'CPU/req ÷ bare', 'errors/non-2xx']),
      row(Array(10).fill('---')));
    for (const r of results) {
      const p = r.phases?.find((x) => x.c === c);
      if (r.error || !p || p.error) { out.push(row([r.target, `**${(r.error || p?.error || 'not run').slice(0, 90)}**`, '', '', '', '', '', '', '', ''])); continue; }
      out.push(row([label(r), num(p.rps, 0) + noise(p, q), range(p.rps_min, p.rps_max), num(p.p50_ms, 2), num(p.p99_ms, 2), num(p.proxy_cpu_s_per_1k, 3), num(r.mem?.peak_rss_mb, 0),
        vs(r, p, 'rps', base, (x) => x.rps), vs(r, p, 'cpu', base, (x) => x.proxy_cpu_s_per_1k), `${p.errors}/${p.non2xx}`]));
    }
  }
  for (const pace of meta.cfg.streamDelays) {
    const base = bare?.stream?.find((p) => p.pace_ms === pace);
    out.push('', `## Streaming, ${pace} ms between chunks, c=${meta.cfg.streamConc}`, '',
      row(['target', 'streams/s', 'streams/s range', 'TTFB p50 ms', 'TTFB p99 ms', 'total p50 ms', 'total p99 ms', 'gateway CPU s / 1k streams', 'peak RSS MB', 'streams/s ÷ bare', 'CPU/stream ÷ bare', 'bad/errors']),
      row(Array(12).fill('---')));
    for (const r of results) {
      const s = r.stream?.find((x) => x.pace_ms === pace);
      if (r.error || !s || s.error) { out.push(row([r.target, `**${(r.error || s?.error || 'not run').slice(0, 90)}**`, '', '', '', '', '', '', '', '', '', ''])); continue; }
      out.push(row([label(r), num(s.streams_per_s, 0) + noise(s, q), range(s.streams_per_s_min, s.streams_per_s_max), num(s.ttfb_ms?.p50, 2), num(s.ttfb_ms?.p99, 2), num(s.total_ms?.p50, 2), num(s.total_ms?.p99, 2),
        num(s.proxy_cpu_s_per_1k, 3), num(r.mem?.peak_rss_mb, 0), vs(r, s, 'rps', base, (x) => x.streams_per_s), vs(r, s, 'cpu', base, (x) => x.proxy_cpu_s_per_1k), `${s.bad}/${s.errors + (s.non2xx || 0)}`]));
    }
  }

  out.push('', '## Correctness (checked before measuring)', '', row(['target', 'upstream', 'ready ms', 'non-streaming', 'stream (data lines)', 'RSS after start MB', 'RSS at end MB']), row(Array(7).fill('---')));
  for (const r of results) {
    if (r.error && !r.verify) { out.push(row([r.target, r.upstream ?? '', '', `**${r.error.slice(0, 90)}**`, '', '', ''])); continue; }
    const v = r.verify || {};
    out.push(row([r.target, r.upstream, num(r.ready_ms, 0), v.nonstream_ok ? 'ok' : `FAIL (${v.nonstream_status})`, `${v.stream_ok ? 'ok' : 'FAIL'} (${v.stream_data_lines})`, num(r.mem_after_start?.rss_mb, 0), num(r.mem?.rss_mb, 0)]));
  }

  const fast = results.find((r) => r.target === 'switchyard-fast');
  if (fast && bare) {
    out.push('', `## Goal: fast path ≥ ${FAST_PATH_TARGET}× bare throughput`, '');
    for (const c of meta.cfg.conc) {
      const a = fast.phases?.find((p) => p.c === c);
      const b = bare.phases?.find((p) => p.c === c);
      const x = typeof a?.vs_bare?.rps === 'number' ? a.vs_bare.rps : a && b && b.rps ? a.rps / b.rps : null;
      out.push(`- c=${c}: ${x === null ? 'not measured' : `${x.toFixed(2)}× — ${x >= FAST_PATH_TARGET ? 'met' : 'NOT met'}`}`);
    }
  }
  return out.join('\n') + '\n';
}

const range = (a, b) => (typeof a === 'number' && typeof b === 'number' ? `${num(a, 0)}–${num(b, 0)}` : '–');
/** Ratio to bare: the per-round median when rounds were paired, else the ratio of the medians. */
function vs(r, p, key, base, metric) {
  if (r.target === 'bare') return '1.00';
  const paired = p.vs_bare?.[key];
  return typeof paired === 'number' ? paired.toFixed(2) : ratio(metric(p), base && metric(base));
}
const label = (r) => (r.verify && (!r.verify.nonstream_ok || !r.verify.stream_ok) ? `${r.target} (verify FAIL)` : r.target);
