import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { authHeaders, readText, send, type UpstreamResponse } from '../http/index.js';
import { mapOllamaError } from './map-ollama-error.js';
import { ollamaUrl } from './ollama-url.js';

export interface OllamaCall {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  stream?: boolean;
}

/** One request to Ollama; resolves with a 2xx response (body unread), throws a typed error otherwise. */
export async function callOllama(target: UpstreamTarget, call: OllamaCall, opts: CallOptions): Promise<UpstreamResponse> {
  // No key by default (a local server); one configured is sent as a bearer token (ollama.com, proxies).
  const headers: Record<string, string> = { ...authHeaders(target), ...target.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const res = await send({
    url: ollamaUrl(target, call.path),
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
  throw mapOllamaError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
}

export async function readJson<T>(res: UpstreamResponse, provider: string): Promise<T> {
  const text = await readText(res, provider);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a body that is not JSON`, provider, upstreamBody: text.slice(0, 2000), cause });
  }
}
