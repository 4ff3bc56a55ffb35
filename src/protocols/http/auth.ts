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

/** base + path with exactly one slash between, plus the query-style credential if any. */
export function joinUrl(target: UpstreamTarget, path: string, query?: Record<string, string>): string {
  const base = target.baseUrl.endsWith('/') ? target.baseUrl.slice(0, -1) : target.baseUrl;
  const p = path.startsWith('/') ? path : `/${path}`;
  const params = new URLSearchParams(query);
  if (target.auth.kind === 'query' && target.apiKey) params.set(target.auth.name, target.apiKey);
  const qs = params.toString();
  return qs ? `${base}${p}${base.includes('?') ? '&' : '?'}${qs}` : `${base}${p}`;
}
