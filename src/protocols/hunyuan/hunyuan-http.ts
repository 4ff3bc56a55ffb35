import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { readText, send, type UpstreamResponse } from '../http/index.js';
import { mapTencentError } from './map-hunyuan-error.js';
import { signTc3, TC3_CONTENT_TYPE } from './tc3-signer.js';
import type { TencentErrorEnvelope } from './hunyuan-wire.js';

export const HUNYUAN_VERSION = '2023-09-01';

/**
 * SecretId/SecretKey from `credentials`, or an api_key written
 * "SecretId:SecretKey" (one secret field in configs that have only one).
 */
export function tencentCredentials(target: UpstreamTarget): { secretId: string; secretKey: string } {
  const id = target.credentials?.['secretId'];
  const key = target.credentials?.['secretKey'];
  if (id && key) return { secretId: id, secretKey: key };
  const colon = target.apiKey?.indexOf(':') ?? -1;
  if (target.apiKey && colon > 0) return { secretId: target.apiKey.slice(0, colon), secretKey: target.apiKey.slice(colon + 1) };
  throw new GatewayError('upstream_auth', {
    message: `provider "${target.provider}" needs a Tencent Cloud SecretId and SecretKey (credentials.secretId/secretKey, or api_key "SecretId:SecretKey")`,
    provider: target.provider,
    retryable: false,
  });
}

export interface TencentCall {
  action: string;
  body: unknown;
  stream?: boolean;
}

/**
 * One signed Tencent Cloud API 3.0 call: POST / with X-TC-Action/Version/
 * Timestamp (and Region when configured). Errors come back as HTTP 200 JSON
 * with Response.Error; a streamed call that fails answers JSON, not SSE, so
 * JSON answers are read here and errors thrown before any part.
 */
export async function callTencent(target: UpstreamTarget, call: TencentCall, opts: CallOptions): Promise<{ res: UpstreamResponse; json?: TencentErrorEnvelope }> {
  const { secretId, secretKey } = tencentCredentials(target);
  const url = new URL(target.baseUrl);
  const payload = JSON.stringify(call.body);
  const timestamp = Math.floor(Date.now() / 1000);
  const service = target.auth.kind === 'tencent-tc3' ? target.auth.service : url.hostname.split('.')[0] ?? 'hunyuan';
  const { authorization } = signTc3({ secretId, secretKey, service, host: url.host, timestamp, payload });
  const headers: Record<string, string> = {
    ...target.headers,
    authorization,
    'content-type': TC3_CONTENT_TYPE,
    host: url.host,
    'x-tc-action': call.action,
    'x-tc-version': target.apiVersion ?? HUNYUAN_VERSION,
    'x-tc-timestamp': String(timestamp),
  };
  const region = target.settings?.['region'];
  if (region) headers['x-tc-region'] = region;
  const res = await send({
    url: target.baseUrl.replace(/\/*$/, '/'),
    method: 'POST',
    headers,
    body: payload,
    signal: opts.signal,
    timeoutMs: target.timeoutMs,
    headersTimeoutMs: call.stream ? target.firstTokenTimeoutMs : undefined,
    provider: target.provider,
  });
  const type = String(res.headers['content-type'] ?? '');
  if (res.status >= 200 && res.status < 300 && call.stream && type.includes('text/event-stream')) return { res };
  const text = await readText(res, target.provider);
  let json: TencentErrorEnvelope;
  try {
    json = JSON.parse(text) as TencentErrorEnvelope;
  } catch (cause) {
    throw new GatewayError(res.status >= 400 ? 'upstream_error' : 'upstream_bad_response', { message: `Upstream ${target.provider} returned HTTP ${res.status} with a body that is not JSON`, provider: target.provider, upstreamStatus: res.status, upstreamBody: text.slice(0, 2000), cause });
  }
  const err = json.Response?.Error;
  if (err) throw mapTencentError({ provider: target.provider, code: err.Code, message: err.Message, headers: res.headers, body: text });
  if (res.status < 200 || res.status >= 300 || json.Response === undefined) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned HTTP ${res.status} without a Response`, provider: target.provider, upstreamStatus: res.status, upstreamBody: text.slice(0, 2000) });
  }
  return { res, json };
}
