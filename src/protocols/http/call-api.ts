import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { authHeaders } from './auth.js';
import { readText, send, type UpstreamResponse } from './send.js';

export interface ApiCall {
  url: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** JSON-serialised when present. */
  body?: unknown;
  /** A streamed answer: the first-token deadline applies to the response headers. */
  stream?: boolean;
  /** Extra request headers (e.g. an `accept`); the target's own headers and credential are added. */
  headers?: Record<string, string>;
}

/** A protocol's reading of a non-2xx answer in its own error body shape. */
export type ErrorMapper = (e: { provider: string; status: number; headers: Record<string, string | string[] | undefined>; body: string }) => GatewayError;

/**
 * One JSON API request with the target's credential and timeouts. Resolves
 * with the 2xx response (body unread, so streams stay streams); anything
 * else is read and thrown as the protocol's typed error.
 */
export async function callApi(target: UpstreamTarget, call: ApiCall, opts: CallOptions, mapError: ErrorMapper): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { ...call.headers, ...authHeaders(target), ...target.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const res = await send({
    url: call.url,
    method: call.method,
    headers,
    body: call.body === undefined ? null : JSON.stringify(call.body),
    signal: opts.signal,
    headersTimeoutMs: call.stream ? target.firstTokenTimeoutMs : undefined,
    timeoutMs: target.timeoutMs,
    provider: target.provider,
  });
  if (res.status >= 200 && res.status < 300) return res;
  const text = await readText(res, target.provider);
  throw mapError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
}

/** Reads and parses a JSON body; garbage is a retryable bad-response error. */
export async function readJson<T>(res: UpstreamResponse, provider: string): Promise<T> {
  const text = await readText(res, provider);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a body that is not JSON`, provider, upstreamBody: text.slice(0, 2000), cause });
  }
}
