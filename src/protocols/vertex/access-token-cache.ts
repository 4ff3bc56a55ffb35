import { Cancellation, GatewayError, type CancelSignal } from '../../spec/index.js';
import { connectionError, readText, send, upstreamError } from '../http/index.js';
import type { ServiceAccount } from './service-account.js';
import { signAssertion } from './sign-jwt.js';

/** Refresh this long before expiry, so no request goes out with a token about to die. */
const REFRESH_EARLY_MS = 5 * 60_000;
const EXCHANGE_TIMEOUT_MS = 30_000;

interface Entry {
  token?: string;
  expiresAt: number;
  /** The exchange in flight: every concurrent caller awaits this one promise. */
  pending?: Promise<string>;
}

export interface AccessTokenCacheOptions {
  /** The clock that decides expiry (tests move it). */
  now?: () => number;
}

/**
 * Access tokens per service account. A token is reused until five minutes
 * before it expires (or half its life, for short-lived tokens), and a
 * refresh is single-flight: concurrent requests share one exchange. The
 * exchange does not listen to any one client's abort (others may still
 * wait on it); each caller stops waiting on its own signal instead.
 */
export class AccessTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(opts: AccessTokenCacheOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  async get(sa: ServiceAccount, provider: string, signal: CancelSignal): Promise<string> {
    const key = `${sa.clientEmail}\n${sa.privateKeyId ?? sa.privateKey.slice(-64)}\n${sa.tokenUri}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { expiresAt: 0 };
      this.entries.set(key, entry);
    }
    if (entry.token !== undefined && this.now() < entry.expiresAt) return entry.token;
    let pending = entry.pending;
    if (pending === undefined) {
      const e = entry;
      pending = this.exchange(sa, provider).then(
        ({ token, lifetimeMs }) => {
          e.token = token;
          e.expiresAt = this.now() + lifetimeMs - Math.min(REFRESH_EARLY_MS, lifetimeMs / 2);
          e.pending = undefined;
          return token;
        },
        (err: unknown) => {
          e.pending = undefined;
          throw err;
        },
      );
      e.pending = pending;
    }
    return abortable(pending, signal, provider);
  }

  private async exchange(sa: ServiceAccount, provider: string): Promise<{ token: string; lifetimeMs: number }> {
    // Google checks iat/exp against real time, so the assertion uses the wall clock, not the cache's.
    const assertion = signAssertion(sa, Math.floor(Date.now() / 1000));
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
    const res = await send({
      url: sa.tokenUri,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: new Cancellation(),
      timeoutMs: EXCHANGE_TIMEOUT_MS,
      provider,
    });
    const text = await readText(res, provider);
    const json = parse(text);
    if (res.status < 200 || res.status >= 300) {
      const reason = [json?.['error'], json?.['error_description']].filter((v) => typeof v === 'string').join(': ');
      throw upstreamError({
        provider,
        status: res.status,
        headers: res.headers,
        body: text,
        message: `Vertex AI service-account token exchange failed${reason ? `: ${reason}` : ` with HTTP ${res.status}`}`,
        // A refused grant is our credential's fault; a 5xx at the token endpoint is worth a retry.
        ...(res.status < 500 && res.status !== 429 && { code: 'upstream_auth' as const }),
      });
    }
    const token = json?.['access_token'];
    if (typeof token !== 'string' || token === '') {
      throw new GatewayError('upstream_bad_response', { message: 'Vertex AI token endpoint answered without an access_token', provider });
    }
    const expiresIn = Number(json?.['expires_in'] ?? 3600);
    return { token, lifetimeMs: (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000 };
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function abortable<T>(promise: Promise<T>, signal: CancelSignal, provider: string): Promise<T> {
  const closed = (): GatewayError => new GatewayError('client_closed', { message: 'Client closed the request', provider });
  if (signal.aborted) return Promise.reject(closed());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(closed());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof GatewayError ? err : connectionError(err, provider));
      },
    );
  });
}
