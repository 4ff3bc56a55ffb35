// Rounds → one figure per row and phase: the median of each measure over the
// rounds, and the ratio to `bare` taken round by round (the two were measured
// minutes apart at most) before its median is taken. Output keeps the shared
// lab's field names, so its report.mjs can read our results.json too.
const finite = (x) => typeof x === 'number' && Number.isFinite(x);
export function median(xs) {
  const a = xs.filter(finite).sort((x, y) => x - y);
  if (a.length === 0) return null;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}
const round = (x, d) => (finite(x) ? +x.toFixed(d) : null);
const sum = (xs) => xs.reduce((a, b) => a + (finite(b) ? b : 0), 0);

export function aggregate(results, phases) {
  const bare = results.find((r) => r.target === 'bare');
  for (const r of results) {
    r.phases = [];
    r.stream = [];
    if (!r.samples) continue;
    for (const p of phases) {
      const all = r.samples[p.key] || [];
      const list = p.c !== undefined ? r.phases : r.stream;
      const ok = all.filter((s) => !s.error);
      if (ok.length === 0) {
        if (all.length) list.push({ c: p.c ?? all[0].c, pace_ms: p.pace, error: all[0].error });
        continue;
      }
      const med = (f, d = 3) => round(median(ok.map(f)), d);
      const vsBare = (metric) => {
        if (!bare || r === bare) return null;
        const base = bare.samples?.[p.key] || [];
        return round(median(ok.map((s) => {
          const b = base.find((x) => x.round === s.round && !x.error);
          return b && metric(s) > 0 && metric(b) > 0 ? metric(s) / metric(b) : NaN;
        })), 3);
      };
      const common = {
        rounds: ok.length,
        proxy_cpu_s_per_1k: med((s) => s.proxy_cpu_s_per_1k, 4),
        proxy_cpu_util: med((s) => s.proxy_cpu_util),
        foreign_cores: med((s) => s.foreign_cores),
        foreign_cores_max: round(Math.max(...ok.map((s) => s.foreign_cores)), 3),
        errors: sum(ok.map((s) => s.errors)),
        non2xx: sum(ok.map((s) => s.non2xx)),
      };
      if (p.c !== undefined) {
        const rps = ok.map((s) => s.rps);
        list.push({
          c: p.c, ...common, rps: med((s) => s.rps, 1), rps_min: Math.min(...rps), rps_max: Math.max(...rps), requests: sum(ok.map((s) => s.requests)),
          p50_ms: med((s) => s.p50_ms), p90_ms: med((s) => s.p90_ms), p99_ms: med((s) => s.p99_ms),
          mock_cpu_s_per_1k: med((s) => s.mock_cpu_s_per_1k, 4),
          vs_bare: { rps: vsBare((s) => s.rps), cpu: vsBare((s) => s.proxy_cpu_s_per_1k) },
        });
      } else {
        const q = (k) => ({ p50: med((s) => s[k]?.p50), p90: med((s) => s[k]?.p90), p99: med((s) => s[k]?.p99) });
        const sps = ok.map((s) => s.streams_per_s);
        list.push({
          c: ok[0].c, pace_ms: p.pace, ...common, streams_per_s: med((s) => s.streams_per_s, 1), streams_per_s_min: Math.min(...sps), streams_per_s_max: Math.max(...sps),
          completed: sum(ok.map((s) => s.completed)), bad: sum(ok.map((s) => s.bad)), ttfb_ms: q('ttfb_ms'), total_ms: q('total_ms'),
          vs_bare: { rps: vsBare((s) => s.streams_per_s), cpu: vsBare((s) => s.proxy_cpu_s_per_1k) },
        });
      }
    }
  }
}
