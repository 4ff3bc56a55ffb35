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
