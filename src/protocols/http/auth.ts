import { createHmac } from 'node:crypto';
import type { UpstreamTarget } from '../../spec/index.js';

/** Headers carrying the target's credential in the style its catalog entry names. */
export function authHeaders(target: UpstreamTarget): Record<string, string> {
  const key = target.apiKey;
  if (key === undefined || key === '') return {};
  switch (target.auth.kind) {
    case 'bearer':
      return { authorization: `Bearer ${key}` };
    case 'header':
      return { [target.auth.name.toLowerCase()]: `${target.auth.prefix ?? ''}${key}` };
    case 'zhipu-jwt':
      return { authorization: `Bearer ${zhipuJwt(key)}` };
    default:
      return {};
  }
}

/**
 * base + path with exactly one slash between, plus the query-style credential
 * if any. A query string in the base (e.g. a fixed `api-version`) stays on the
 * end of the joined URL.
 */
export function joinUrl(target: UpstreamTarget, path: string, query?: Record<string, string>): string {
  const q = target.baseUrl.indexOf('?');
  const rawBase = q === -1 ? target.baseUrl : target.baseUrl.slice(0, q);
  const base = rawBase.endsWith('/') ? rawBase.slice(0, -1) : rawBase;
  const p = path.startsWith('/') ? path : `/${path}`;
  const params = new URLSearchParams(q === -1 ? query : target.baseUrl.slice(q + 1));
  if (q !== -1 && query !== undefined) for (const k in query) params.set(k, query[k] as string);
  if (target.auth.kind === 'query' && target.apiKey) params.set(target.auth.name, target.apiKey);
  const qs = params.toString();
  return qs ? `${base}${p}?${qs}` : `${base}${p}`;
}

/**
 * Zhipu's legacy credential: an `id.secret` API key signed into an HS256 JWT
 * with header `sign_type: SIGN` and millisecond `timestamp`/`exp` claims (not
 * the seconds JWT usually means). A key without a dot is sent as it is.
 */
export function zhipuJwt(apiKey: string, nowMs = Date.now(), ttlMs = 3_600_000): string {
  const dot = apiKey.indexOf('.');
  if (dot <= 0) return apiKey;
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', sign_type: 'SIGN' })}.${b64({ api_key: apiKey.slice(0, dot), exp: nowMs + ttlMs, timestamp: nowMs })}`;
  return `${head}.${createHmac('sha256', apiKey.slice(dot + 1)).update(head).digest('base64url')}`;
}
