import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { authHeaders, joinUrl, readText, send, type UpstreamResponse } from '../http/index.js';
import { mapCohereError } from './map-cohere-error.js';

export interface CohereCall {
  method: 'GET' | 'POST';
  /** Versioned path, e.g. "/v2/chat" or "/v1/models". */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  stream?: boolean;
}

/**
 * Cohere's routes carry their own version (`/v2/chat`, but `/v1/models`),
 * so the base is the host; a base written with a version suffix is trimmed.
 */
export function cohereUrl(target: UpstreamTarget, path: string, query?: Record<string, string>): string {
  const root = target.baseUrl.replace(/\/+$/, '').replace(/\/v[12]$/, '');
  return joinUrl({ ...target, baseUrl: root }, path, query);
}

/** One request to Cohere; resolves with a 2xx response (body unread), throws a typed error otherwise. */
export async function callCohere(target: UpstreamTarget, call: CohereCall, opts: CallOptions): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { accept: call.stream ? 'text/event-stream' : 'application/json', ...authHeaders(target), ...target.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const res = await send({
    url: cohereUrl(target, call.path, call.query),
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
  throw mapCohereError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
}

export async function readJson<T>(res: UpstreamResponse, provider: string): Promise<T> {
  const text = await readText(res, provider);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a body that is not JSON`, provider, upstreamBody: text.slice(0, 2000), cause });
  }
}
