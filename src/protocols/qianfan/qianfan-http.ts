import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { readText, send, type UpstreamResponse } from '../http/index.js';
import { accessToken, invalidateToken } from './access-token-cache.js';
import { mapErnieError, TOKEN_REJECTED } from './map-qianfan-error.js';
import type { ErnieResponse } from './qianfan-wire.js';

interface Keys {
  apiKey: string;
  secretKey: string;
  tokenUrl: string;
}

/**
 * API Key (the target's key) and Secret Key (`credentials.secretKey`, or an
 * api_key written "APIKey:SecretKey"); the token endpoint is the base URL's
 * origin + /oauth/2.0/token unless `settings.tokenUrl` names another.
 */
function keysFor(target: UpstreamTarget): Keys | { accessToken: string } {
  const ready = target.credentials?.['accessToken'];
  if (ready) return { accessToken: ready };
  let apiKey = target.apiKey ?? '';
  let secretKey = target.credentials?.['secretKey'] ?? '';
  const colon = apiKey.indexOf(':');
  if (secretKey === '' && colon > 0) {
    secretKey = apiKey.slice(colon + 1);
    apiKey = apiKey.slice(0, colon);
  }
  if (apiKey === '' || secretKey === '') {
    throw new GatewayError('upstream_auth', { message: `provider "${target.provider}" needs a Baidu API Key and Secret Key (api_key plus credentials.secretKey, or api_key "APIKey:SecretKey")`, provider: target.provider, retryable: false });
  }
  return { apiKey, secretKey, tokenUrl: target.settings?.['tokenUrl'] ?? `${new URL(target.baseUrl).origin}/oauth/2.0/token` };
}

export interface ErnieCall {
  /** Below the base URL, e.g. "/chat/ernie-4.0-8k". */
  path: string;
  body: unknown;
  stream?: boolean;
}

/**
 * One wenxinworkshop call with `?access_token=`. ERNIE reports failures as
 * HTTP 200 JSON with `error_code` (a failed stream request too), so JSON
 * answers are read here; a token Baidu rejects (110/111) is dropped from the
 * cache and the call made once more with a fresh one.
 */
export async function callErnie(target: UpstreamTarget, call: ErnieCall, opts: CallOptions): Promise<{ res: UpstreamResponse; json?: ErnieResponse }> {
  const keys = keysFor(target);
  for (let attempt = 0; ; attempt++) {
    const token = 'accessToken' in keys ? keys.accessToken : await accessToken({ ...keys, provider: target.provider, signal: opts.signal, timeoutMs: target.timeoutMs });
    const url = new URL(`${target.baseUrl.replace(/\/+$/, '')}${call.path}`);
    url.searchParams.set('access_token', token);
    const res = await send({
      url: url.toString(),
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: JSON.stringify(call.body),
      signal: opts.signal,
      timeoutMs: target.timeoutMs,
      headersTimeoutMs: call.stream ? target.firstTokenTimeoutMs : undefined,
      provider: target.provider,
    });
    const type = String(res.headers['content-type'] ?? '');
    if (res.status >= 200 && res.status < 300 && call.stream && type.includes('text/event-stream')) return { res };
    const text = await readText(res, target.provider);
    let json: ErnieResponse;
    try {
      json = JSON.parse(text) as ErnieResponse;
    } catch (cause) {
      throw new GatewayError(res.status >= 500 ? 'upstream_error' : 'upstream_bad_response', { message: `Upstream ${target.provider} returned HTTP ${res.status} with a body that is not JSON`, provider: target.provider, upstreamStatus: res.status, upstreamBody: text.slice(0, 2000), cause });
    }
    if (json.error_code !== undefined) {
      if (TOKEN_REJECTED.has(json.error_code) && attempt === 0 && !('accessToken' in keys)) {
        invalidateToken(keys, token);
        continue;
      }
      throw mapErnieError(target.provider, json.error_code, json.error_msg ?? `ERNIE error ${json.error_code}`, res.headers, text);
    }
    if (res.status < 200 || res.status >= 300) throw mapErnieError(target.provider, res.status >= 500 ? 336000 : 100, `HTTP ${res.status}`, res.headers, text);
    return { res, json };
  }
}
