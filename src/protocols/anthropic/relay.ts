import { Readable } from 'node:stream';
import { GatewayError, type CallOptions, type RelayRequest, type RelayResponse, type RelayResult, type UpstreamTarget } from '../../spec/index.js';
import { authHeaders, connectionError, readText, redactorFor, send } from '../http/index.js';
import { anthropicUrl } from './anthropic-url.js';
import type { AnthropicUsage } from './anthropic-wire.js';
import { convertUsage } from './convert-usage.js';
import { ANTHROPIC_VERSION } from './encode-request.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { SseUsageTap } from './sse-usage-tap.js';

/** Response headers that describe the hop, not the answer. */
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/**
 * The fast path for Anthropic clients in front of an Anthropic upstream: the
 * client's Messages body is forwarded with only `model` rewritten, the
 * client's `anthropic-version` and `anthropic-beta` go along (its body is
 * written for them), and the answer is piped back byte for byte. Usage is
 * read from `message_start`/`message_delta` on the way for accounting.
 * Only `anthropic-*` client headers are forwarded; credentials are the
 * deployment's.
 */
export async function relay(req: RelayRequest, target: UpstreamTarget, opts: CallOptions): Promise<RelayResponse> {
  const payload = req.body === null ? null : JSON.stringify({ ...req.body, model: target.model });
  const res = await send({
    url: anthropicUrl(target, req.path),
    method: req.method,
    headers: relayHeaders(req, target, payload !== null),
    body: payload,
    signal: opts.signal,
    headersTimeoutMs: req.stream ? target.firstTokenTimeoutMs : undefined,
    timeoutMs: target.timeoutMs,
    provider: target.provider,
  });
  if (res.status < 200 || res.status >= 300) {
    const text = await readText(res, target.provider);
    throw mapAnthropicError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
  }
  const isSse = String(res.headers['content-type'] ?? '').includes('text/event-stream');
  const headers = responseHeaders(res.headers, isSse);

  if (!isSse) {
    // Read whole, so `done` is settled before the server writes its headers (cost, usage).
    const firstByteAt = Date.now();
    const text = await readText(res, target.provider);
    const body = Readable.from([Buffer.from(text)]);
    return { status: res.status, headers, body, done: Promise.resolve({ firstByteAt, ...accountingOf(text) }) };
  }

  const clearTimer = firstByteTimer(res.body, target);
  const tap = new SseUsageTap(target.provider, clearTimer, redactorFor(target));
  const upstream = res.body;
  // Wired by hand rather than with stream.pipeline, which allocates an
  // AbortController per call (measurable on the fast path, see the OpenAI relay).
  const done = new Promise<RelayResult>((resolve) => {
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimer();
      const { sawStop, ...result } = tap.result;
      const out: RelayResult = { ...result };
      if (err) out.error = relayError(err, target.provider);
      else if (!sawStop && out.error === undefined) {
        out.error = new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} stream ended before message_stop`, provider: target.provider });
      }
      resolve(out);
    };
    upstream.once('error', (err: Error) => {
      settle(err);
      tap.destroy(err);
    });
    // The consumer's own error handling sees the error; this only keeps an unheeded one from crashing the process.
    tap.on('error', () => {});
    tap.once('finish', () => settle());
    tap.once('close', () => {
      // The consumer went away first: stop the upstream generating at once.
      if (!upstream.readableEnded) upstream.destroy();
      settle(Object.assign(new Error('Relay body closed before the upstream finished'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
    upstream.pipe(tap);
  });
  return { status: res.status, headers, body: tap, done };
}

function relayHeaders(req: RelayRequest, target: UpstreamTarget, hasBody: boolean): Record<string, string> {
  const client = req.headers ?? {};
  const h: Record<string, string> = {
    'anthropic-version': client['anthropic-version'] ?? target.apiVersion ?? ANTHROPIC_VERSION,
    ...authHeaders(target),
  };
  if (hasBody) h['content-type'] = 'application/json';
  if (req.stream) h['accept'] = 'text/event-stream';
  for (const [k, v] of Object.entries(target.headers ?? {})) h[k.toLowerCase()] = v;
  // Betas from the client and from the deployment's own headers both apply.
  const betas = [client['anthropic-beta'], h['anthropic-beta']].flatMap((b) => (b ?? '').split(',')).map((b) => b.trim()).filter((b) => b !== '');
  if (betas.length > 0) h['anthropic-beta'] = [...new Set(betas)].join(',');
  return h;
}

function accountingOf(text: string): Pick<RelayResult, 'usage' | 'model'> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  if (json === null || typeof json !== 'object') return {};
  const body = json as { usage?: AnthropicUsage; model?: unknown };
  const out: Pick<RelayResult, 'usage' | 'model'> = {};
  if (body.usage !== undefined && body.usage !== null && typeof body.usage === 'object') out.usage = convertUsage(body.usage);
  if (typeof body.model === 'string') out.model = body.model;
  return out;
}

/**
 * Fails a stream whose first body byte does not arrive in time. Cleared by the
 * tap on the first byte: a listener here would switch the body into flowing
 * mode before anyone reads it.
 */
function firstByteTimer(body: Readable, target: UpstreamTarget): () => void {
  const ms = target.firstTokenTimeoutMs;
  if (ms === undefined || ms <= 0) return () => {};
  const timer = setTimeout(() => {
    body.destroy(new GatewayError('upstream_timeout', { message: `Upstream ${target.provider} sent no token within ${ms} ms`, provider: target.provider }));
  }, ms);
  timer.unref();
  const clear = (): void => clearTimeout(timer);
  body.once('close', clear);
  return clear;
}

function relayError(err: Error, provider: string): GatewayError {
  if (err instanceof GatewayError) return err;
  if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new GatewayError('client_closed', { message: 'Client closed the request', provider });
  }
  return connectionError(err, provider);
}

function responseHeaders(h: Record<string, string | string[] | undefined>, stream: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v === undefined || DROP_RESPONSE.has(k)) continue;
    if (stream && k === 'content-length') continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
