import { redactorFor } from '../protocols/http/index.js';
import { GatewayError, type ChatRequest, type Protocol } from '../spec/index.js';
import type { CheckResult } from './deployment-health.js';
import type { Deployment } from './deployment.js';

/** The smallest useful chat request: one short user turn, one output token. */
function pingRequest(model: string): ChatRequest {
  return { model, messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }], maxOutputTokens: 1 };
}

/**
 * Sends a tiny chat request to one deployment and reports latency and
 * status (One-API's channel test). Never throws: a failure is a result.
 */
export async function testDeployment(d: Deployment, protocol: Protocol | undefined, timeoutMs: number): Promise<CheckResult> {
  const at = Date.now();
  if (protocol === undefined) return { at, ok: false, latencyMs: 0, errorCode: 'internal_error', message: `unknown protocol '${d.protocol}'` };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  timer.unref();
  try {
    const target = d.target.timeoutMs === undefined ? { ...d.target, timeoutMs } : d.target;
    await protocol.chat(pingRequest(d.target.model), target, { requestId: `check_${at.toString(36)}`, signal: controller.signal, warn: () => {} });
    return { at, ok: true, latencyMs: Date.now() - at, status: 200 };
  } catch (err) {
    const e = err instanceof GatewayError ? err : undefined;
    const timedOut = controller.signal.aborted;
    const result: CheckResult = {
      at,
      ok: false,
      latencyMs: Date.now() - at,
      errorCode: timedOut ? 'upstream_timeout' : (e?.code ?? 'internal_error'),
      // Shown in the admin API and kept as a disabled key's reason: never with the credential an upstream echoed.
      message: timedOut ? `no answer within ${timeoutMs} ms` : redactorFor(d.target)(err instanceof Error ? err.message : String(err)),
    };
    const status = e?.upstreamStatus ?? (timedOut ? undefined : e?.status);
    if (status !== undefined) result.status = status;
    return result;
  } finally {
    clearTimeout(timer);
  }
}
