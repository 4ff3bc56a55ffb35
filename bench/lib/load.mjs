// Load phases and the correctness check. Non-streaming load is wrk (one
// thread, closed loop) with the lab's ~1 KB four-message body; streaming load
// is the lab's own stream-load.mjs, which checks every stream's line count.
import http from 'node:http';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { capture } from './processes.mjs';

// The shared lab's request: a support-desk conversation of four messages (~1 KB).
const MESSAGES = [
  { role: 'system', content: 'You are a careful assistant for an e-commerce support desk. Answer briefly, cite the order id when you have one, never invent tracking numbers, and escalate to a human when the customer mentions a chargeback, a legal threat, or a safety issue with a product.' },
  { role: 'user', content: 'Hi, I ordered a pair of trail running shoes (order #A-1029384) nine days ago and the tracking page has said "label created" since then. I need them for a race in two weeks. Can you tell me what is going on and whether I should cancel and reorder in a different size?' },
  { role: 'assistant', content: 'Thanks for the details. Order #A-1029384 was packed on day two, but the carrier has not scanned it yet. I can open a trace with the carrier today or cancel and reorder with express shipping at no extra cost.' },
  { role: 'user', content: 'Please open the trace, and if nothing moves in 48 hours reorder with express shipping in size 10.5 instead of 10. What do you need from me?' },
];
export const body = (model) => JSON.stringify({ model, messages: MESSAGES, temperature: 0.2, max_tokens: 256 });
// `user: pace-<N>ms` is how both mocks learn the inter-chunk delay through any gateway.
export const streamBody = (model, paceMs) => JSON.stringify({ ...JSON.parse(body(model)), stream: true, stream_options: { include_usage: true }, user: `pace-${paceMs}ms` });

const lua = (s) => `[==[${s}]==]`;
function wrkScript(file, t) {
  const headers = Object.entries({ 'Content-Type': 'application/json', ...t.headers }).map(([k, v]) => `wrk.headers[ ${lua(k)} ] = ${lua(v)}`).join('\n');
  writeFileSync(file, `wrk.method = "POST"
wrk.body = ${lua(body(t.model))}
${headers}
function done(s, latency, requests)
  local e = s.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    s.requests, s.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`);
}

/** One wrk phase; `pin` prefixes the argv with taskset for the load CPU. */
export async function wrkPhase(t, { conc, seconds, tmp, rawFile, pin }) {
  const script = path.join(tmp, `${t.name}.lua`);
  wrkScript(script, t);
  const url = `http://127.0.0.1:${t.port}${t.path}`;
  const r = await capture('wrk', pin(['wrk', '-t1', `-c${conc}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, url]), seconds + 20);
  if (rawFile) writeFileSync(rawFile, r.out + r.err);
  const m = /WRKJSON (\{.*\})/.exec(r.out);
  if (!m) return { error: `wrk failed: ${(r.err || r.out).slice(0, 300)}` };
  const j = JSON.parse(m[1]);
  return {
    requests: j.requests,
    rps: +(j.requests / (j.duration_us / 1e6)).toFixed(1),
    p50_ms: j.p50_us / 1000, p90_ms: j.p90_us / 1000, p99_ms: j.p99_us / 1000, max_ms: j.max_us / 1000,
    errors: j.err_connect + j.err_read + j.err_write + j.err_timeout,
    non2xx: j.err_status,
  };
}

/** One streaming phase with the lab's stream-load.mjs. */
export async function streamPhase(t, { conc, seconds, paceMs, expectLines, lab, tmp, rawFile, pin }) {
  const bodyFile = path.join(tmp, `${t.name}-stream-${paceMs}.json`);
  writeFileSync(bodyFile, streamBody(t.model, paceMs));
  const argv = ['node', path.join(lab, 'bench', 'stream-load.mjs'), '--url', `http://127.0.0.1:${t.port}${t.path}`, '--body-file', bodyFile,
    '--concurrency', String(conc), '--duration', String(seconds), '--expect-lines', String(expectLines)];
  for (const [k, v] of Object.entries(t.headers)) argv.push('--header', `${k}: ${v}`);
  const r = await capture('stream-load', pin(argv), seconds + 40);
  if (rawFile) writeFileSync(rawFile, r.out + r.err);
  try {
    return JSON.parse(r.out);
  } catch {
    return { error: `stream-load failed: ${(r.err || r.out).slice(0, 300)}` };
  }
}

export function post(port, p, headers, payload, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { b += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: b }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: '', error: e.message }));
    req.end(payload);
  });
}

/**
 * The answer must be the mock's, unchanged in substance: for a plain call the
 * completion text and usage; for a stream the same number of `data:` lines
 * as the direct mock, the text in order, finish_reason "stop", a usage chunk
 * and `[DONE]` last. A row that fails is still measured but marked FAIL.
 */
export async function verify(t, { chunks, expectText, expectStreamText }) {
  const ns = await post(t.port, t.path, t.headers, body(t.model));
  let nsOk = false;
  try {
    const j = JSON.parse(ns.body);
    nsOk = ns.status === 200 && j.object === 'chat.completion' && j.choices?.[0]?.message?.content === expectText && j.usage?.prompt_tokens > 0;
  } catch { /* not JSON */ }
  const st = await post(t.port, t.path, t.headers, streamBody(t.model, 0));
  const lines = st.body.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
  let text = '';
  let finish = null;
  let usage = false;
  for (const l of lines.slice(0, -1)) {
    try {
      const j = JSON.parse(l);
      const c = j.choices?.[0];
      if (typeof c?.delta?.content === 'string') text += c.delta.content;
      if (c?.finish_reason) finish = c.finish_reason;
      if (j.usage?.prompt_tokens > 0) usage = true;
    } catch { /* counted as a bad line below */ }
  }
  const stOk = st.status === 200 && lines.length === chunks + 2 && lines.at(-1) === '[DONE]' && text === expectStreamText && finish === 'stop' && usage;
  return {
    nonstream_ok: nsOk, nonstream_status: ns.status,
    stream_ok: stOk, stream_status: st.status, stream_data_lines: lines.length, stream_content_type: st.headers?.['content-type'],
    ...(nsOk ? {} : { nonstream_sample: ns.body.slice(0, 300) }),
    ...(stOk ? {} : { stream_sample: st.body.slice(0, 300), stream_text: text, stream_finish: finish, stream_usage: usage }),
  };
}
