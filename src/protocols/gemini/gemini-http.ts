import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { GatewayError } from '../../spec/index.js';
import { authHeaders, joinUrl, readText, send, type UpstreamResponse } from '../http/index.js';
import { mapGeminiError } from './map-gemini-error.js';

export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

export interface GeminiCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  stream?: boolean;
}

/**
 * One request to the Gemini API. Resolves with the 2xx response (body not
 * read); anything else is read and thrown as a typed GatewayError.
 */
export async function callGemini(target: UpstreamTarget, call: GeminiCall, opts: CallOptions): Promise<UpstreamResponse> {
  const withBase = target.baseUrl ? target : { ...target, baseUrl: DEFAULT_BASE_URL };
  const headers: Record<string, string> = { ...authHeaders(withBase), ...target.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const res = await send({
    url: joinUrl(withBase, call.path, call.query),
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
  throw mapGeminiError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
}

/** Reads and parses a JSON body, mapping garbage to a retryable bad-response error. */
export async function readJson<T>(res: UpstreamResponse, provider: string): Promise<T> {
  const text = await readText(res, provider);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new GatewayError('upstream_bad_response', { message: `Gemini returned a body that is not JSON`, provider, upstreamBody: text.slice(0, 2000), cause: err });
  }
}
