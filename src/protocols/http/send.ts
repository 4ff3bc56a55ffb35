import type { Dispatcher } from 'undici';
import { Cancellation, GatewayError, type CancelSignal } from '../../spec/index.js';
import { poolFor } from './pools.js';

export interface SendOptions {
  url: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  body?: string | Buffer | null;
  /** Client disconnect: aborts at once. */
  signal: CancelSignal;
  /** Time allowed until response headers arrive (ms); 0/undefined = none. */
  headersTimeoutMs?: number;
  /** Whole-request deadline (ms), body included. */
  timeoutMs?: number;
  /** Provider id for error messages. */
  provider: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** Clears the whole-request timer (call when the body is fully consumed). */
  done(): void;
}

/**
 * Sends one upstream request through the origin's keep-alive pool. Rejects
 * with a typed GatewayError for connection failures, timeouts and aborts; a
 * non-2xx status is returned, not thrown, so each protocol can read its own
 * error body. Every timer and listener is tied to the request's life.
 */
export async function send(opts: SendOptions): Promise<UpstreamResponse> {
  const url = new URL(opts.url);
  const controller = new Cancellation();
  let reason: GatewayError | undefined;
  const abort = (err: GatewayError): void => {
    if (reason !== undefined) return;
    reason = err;
    controller.abort(err);
  };
  const onClientAbort = (): void =>
    abort(new GatewayError('client_closed', { message: 'Client closed the request', provider: opts.provider }));
  if (opts.signal.aborted) onClientAbort();
  else opts.signal.addEventListener('abort', onClientAbort, { once: true });

  let totalTimer: NodeJS.Timeout | undefined;
  if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
    totalTimer = setTimeout(
      () => abort(new GatewayError('upstream_timeout', { message: `Upstream ${opts.provider} did not finish within ${opts.timeoutMs} ms`, provider: opts.provider })),
      opts.timeoutMs,
    );
    totalTimer.unref();
  }
  let headersTimer: NodeJS.Timeout | undefined;
  if (opts.headersTimeoutMs !== undefined && opts.headersTimeoutMs > 0) {
    headersTimer = setTimeout(
      () => abort(new GatewayError('upstream_timeout', { message: `Upstream ${opts.provider} sent no response within ${opts.headersTimeoutMs} ms`, provider: opts.provider })),
      opts.headersTimeoutMs,
    );
    headersTimer.unref();
  }
  const cleanup = (): void => {
    if (totalTimer) clearTimeout(totalTimer);
    opts.signal.removeEventListener('abort', onClientAbort);
  };

  try {
    const res = await poolFor(url.origin).request({
      path: url.pathname + url.search,
      method: opts.method,
      headers: opts.headers,
      body: opts.body ?? null,
      signal: controller.signal,
    });
    if (headersTimer) clearTimeout(headersTimer);
    // Release the timers/listeners once the body is consumed, failed or aborted.
    res.body.once('close', cleanup);
    return { status: res.statusCode, headers: res.headers, body: res.body, done: cleanup };
  } catch (err) {
    if (headersTimer) clearTimeout(headersTimer);
    cleanup();
    if (reason !== undefined) throw reason;
    throw connectionError(err, opts.provider);
  }
}

/** Maps socket-level failures to typed, retryable errors. */
export function connectionError(err: unknown, provider: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as { code?: string; message?: string; name?: string };
  const code = e.code ?? e.name ?? 'ERROR';
  const timeout = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT';
  return new GatewayError(timeout ? 'upstream_timeout' : 'upstream_connection', {
    message: `Could not reach upstream ${provider}: ${e.message ?? code} (${code})`,
    provider,
    cause: err,
  });
}

/** Reads a whole body as text, mapping mid-body failures to typed errors. */
export async function readText(res: UpstreamResponse, provider: string): Promise<string> {
  try {
    return await res.body.text();
  } catch (err) {
    throw connectionError(err, provider);
  } finally {
    res.done();
  }
}
