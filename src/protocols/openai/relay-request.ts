import type { Dispatcher } from 'undici';
import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { connectionError, joinUrl, poolFor } from '../http/index.js';
import { upstreamHeaders, type UpstreamCall } from './call-upstream.js';
import { mapOpenAIError } from './map-openai-error.js';

interface Endpoint {
  origin: string;
  prefix: string;
}

/** base URL → origin and path prefix, parsed once (URL parsing showed in relay profiles). */
const endpoints = new Map<string, Endpoint>();

function endpointOf(target: UpstreamTarget, path: string): { origin: string; path: string } {
  const p = path.startsWith('/') ? path : `/${path}`;
  if (target.auth.kind === 'query' || target.baseUrl.includes('?')) {
    const u = new URL(joinUrl(target, p));
    return { origin: u.origin, path: u.pathname + u.search };
  }
  let ep = endpoints.get(target.baseUrl);
  if (ep === undefined) {
    const u = new URL(target.baseUrl);
    ep = { origin: u.origin, prefix: u.pathname.replace(/\/$/, '') };
    endpoints.set(target.baseUrl, ep);
  }
  return { origin: ep.origin, path: ep.prefix + p };
}

/**
 * The relay's upstream call: the shared keep-alive pool used directly, with
 * the client's signal handed to undici as is (no controller or listeners of
 * our own per request). The header deadline is undici's per-request
 * `headersTimeout`; the whole-request deadline is one timer on the body.
 * Resolves with 2xx responses only; others are read and thrown mapped.
 */
export async function relayRequest(target: UpstreamTarget, opts: CallOptions, call: UpstreamCall): Promise<Dispatcher.ResponseData> {
  const { origin, path } = endpointOf(target, call.path);
  const headersTimeout = call.stream ? (target.firstTokenTimeoutMs ?? target.timeoutMs) : target.timeoutMs;
  const startedAt = Date.now();
  let res: Dispatcher.ResponseData;
  try {
    res = await poolFor(origin).request({
      path,
      method: call.method,
      headers: upstreamHeaders(target, call.body !== null, call.headers),
      body: call.body,
      signal: opts.signal,
      headersTimeout: headersTimeout !== undefined && headersTimeout > 0 ? headersTimeout : undefined,
    });
  } catch (err) {
    throw relayFailure(err, target.provider, opts.signal);
  }
  if (target.timeoutMs !== undefined && target.timeoutMs > 0) {
    const ms = target.timeoutMs;
    const timer = setTimeout(
      () => res.body.destroy(new GatewayError('upstream_timeout', { message: `Upstream ${target.provider} did not finish within ${ms} ms`, provider: target.provider })),
      Math.max(0, ms - (Date.now() - startedAt)),
    );
    timer.unref();
    res.body.once('close', () => clearTimeout(timer));
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw relayFailure(err, target.provider, opts.signal);
    }
    throw mapOpenAIError(target.provider, res.statusCode, res.headers, text);
  }
  return res;
}

/** Any failure of a relayed call as a typed error; the client's own abort wins over whatever undici reports. */
export function relayFailure(err: unknown, provider: string, signal: AbortSignal): GatewayError {
  if (signal.aborted) return new GatewayError('client_closed', { message: 'Client closed the request', provider });
  return connectionError(err, provider);
}
