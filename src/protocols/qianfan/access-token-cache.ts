import { createHash } from 'node:crypto';
import { GatewayError, type CancelSignal } from '../../spec/index.js';
import { readText, send, upstreamError } from '../http/index.js';
import type { TokenResponse } from './qianfan-wire.js';

interface Entry {
  token: string;
  /** Epoch ms after which the token is fetched anew. */
  refreshAt: number;
}

/** Tokens live 30 days; renewing a day early keeps a long-running gateway from ever sending a stale one. */
const EARLY_MS = 24 * 3600 * 1000;
const cache = new Map<string, Entry>();
const pending = new Map<string, Promise<string>>();

export interface TokenRequest {
  tokenUrl: string;
  apiKey: string;
  secretKey: string;
  provider: string;
  signal: CancelSignal;
  timeoutMs?: number;
}

function cacheKey(r: TokenRequest): string {
  return createHash('sha256').update(`${r.tokenUrl}\n${r.apiKey}\n${r.secretKey}`).digest('hex');
}

/**
 * An access token for API Key + Secret Key, from Baidu's OAuth
 * client-credentials endpoint, cached until shortly before `expires_in` and
 * fetched once for concurrent callers (single flight).
 */
export async function accessToken(r: TokenRequest, now = Date.now()): Promise<string> {
  const key = cacheKey(r);
  const hit = cache.get(key);
  if (hit !== undefined && hit.refreshAt > now) return hit.token;
  const inFlight = pending.get(key);
  if (inFlight !== undefined) return inFlight;
  const p = fetchToken(r)
    .then(({ token, expiresInS }) => {
      cache.set(key, { token, refreshAt: Date.now() + Math.max(expiresInS * 1000 - EARLY_MS, (expiresInS * 1000) / 2) });
      return token;
    })
    .finally(() => pending.delete(key));
  pending.set(key, p);
  return p;
}

/** Forgets a token Baidu rejected (error 110/111), so the next call fetches a new one. */
export function invalidateToken(r: Omit<TokenRequest, 'signal' | 'provider'>, token: string): void {
  const key = cacheKey(r as TokenRequest);
  if (cache.get(key)?.token === token) cache.delete(key);
}

async function fetchToken(r: TokenRequest): Promise<{ token: string; expiresInS: number }> {
  const url = new URL(r.tokenUrl);
  url.searchParams.set('grant_type', 'client_credentials');
  url.searchParams.set('client_id', r.apiKey);
  url.searchParams.set('client_secret', r.secretKey);
  const res = await send({ url: url.toString(), method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: '', signal: r.signal, timeoutMs: r.timeoutMs, provider: r.provider });
  const text = await readText(res, r.provider);
  let json: TokenResponse = {};
  try {
    json = JSON.parse(text) as TokenResponse;
  } catch {
    // Reported below with the raw body.
  }
  if (res.status >= 200 && res.status < 300 && typeof json.access_token === 'string') return { token: json.access_token, expiresInS: json.expires_in ?? 2_592_000 };
  if (json.error !== undefined) {
    // invalid_client (unknown id, wrong secret) is our credential's fault, whatever status it came with.
    const status = json.error === 'invalid_client' ? 401 : res.status >= 400 ? res.status : 502;
    throw upstreamError({ provider: r.provider, status, headers: res.headers, body: text, message: `Baidu access token: ${json.error_description ?? json.error}`, upstreamCode: json.error });
  }
  throw new GatewayError('upstream_bad_response', { message: `Baidu token endpoint answered HTTP ${res.status} without an access_token`, provider: r.provider, upstreamBody: text.slice(0, 2000) });
}

/** Test hook: forget every cached token. */
export function clearTokenCache(): void {
  cache.clear();
}
