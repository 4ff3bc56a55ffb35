// Starting one row: render its config, start it pinned, wait for a good
// answer, then check the answer is the mock's before anything is measured.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { body, post, verify } from './load.mjs';
import { isLive, portOpen, sleep, startProcess } from './processes.mjs';
import { memoryOf } from './proc-accounting.mjs';
import { openaiStreamText, substitute } from './targets.mjs';
import { TEXT, streamTextOf } from '../mock-anthropic.mjs';

async function waitReady(t, child, timeoutS) {
  const until = Date.now() + timeoutS * 1000;
  while (Date.now() < until) {
    if (child && !isLive(child)) return false;
    if ((await portOpen(t.port)) && (await post(t.port, t.path, t.headers, body(t.model), 3000)).status === 200) return true;
    await sleep(200);
  }
  return false;
}

/** Returns { t, child, res }; `res.error` is set when the row cannot be measured. */
export async function startTarget(def, ctx, { pin, chunks, log }) {
  const tctx = { ...ctx, PORT: def.port };
  const t = { ...def, headers: Object.fromEntries(Object.entries(def.headers || {}).map(([k, v]) => [k, substitute(v, tctx)])) };
  const res = { target: t.name, upstream: t.upstream, port: t.port, model: t.model, phases: [], stream: [] };
  let child = null;
  try {
    def.prepare?.(tctx);
    if (def.start) {
      res.start = substitute(def.start, tctx);
      const env = { PORT: String(t.port), MOCK_PORT: String(ctx.MOCK_PORT), UPSTREAM: ctx.UPSTREAM, UPSTREAM_V1: ctx.UPSTREAM_V1, LAB: ctx.LAB, TMP: ctx.TMP };
      for (const [k, v] of Object.entries(def.env || {})) env[k] = substitute(v, tctx);
      log(`start ${t.name}: ${res.start}`);
      child = startProcess(t.name, pin(['sh', '-c', `exec ${res.start}`]), { cwd: def.cwd ? substitute(def.cwd, tctx) : undefined, env, logFile: path.join(ctx.TMP, `${t.name}.log`) });
    }
    const t0 = Date.now();
    const timeoutS = def.readyTimeoutS || 30;
    if (!(await waitReady(t, child, timeoutS))) {
      res.error = `not ready within ${timeoutS}s` + (child ? `; log: ${readFileSync(child.logFile, 'utf8').slice(-300).replace(/\s+/g, ' ')}` : '');
      log(`  ${t.name}: ${res.error}`);
      return { t, child, res };
    }
    res.ready_ms = Date.now() - t0;
    const streamText = t.upstream === 'anthropic' ? streamTextOf(chunks) : openaiStreamText(chunks);
    res.verify = await verify(t, { chunks, expectText: TEXT, expectStreamText: streamText });
    res.mem_after_start = child ? memoryOf(child.pid) : null;
    log(`  ${t.name} ready in ${res.ready_ms} ms; verify non-stream=${res.verify.nonstream_ok} stream=${res.verify.stream_ok} (${res.verify.stream_data_lines} data lines)`);
  } catch (e) {
    res.error = String(e);
    log(`  ${t.name}: ${e.stack}`);
  }
  return { t, child, res };
}
