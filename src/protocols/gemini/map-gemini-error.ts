import type { ErrorCode, GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';

/**
 * Google's error body: `{"error":{"code":429,"message":"…","status":
 * "RESOURCE_EXHAUSTED","details":[{"@type":"…RetryInfo","retryDelay":"12s"}]}}`
 * (some endpoints wrap it in a one-element array). The canonical `status`
 * says more than the HTTP code, and RetryInfo is more precise than any
 * Retry-After header, so both win when present.
 */
const CODE_BY_STATUS: Record<string, ErrorCode> = {
  INVALID_ARGUMENT: 'upstream_bad_request',
  FAILED_PRECONDITION: 'upstream_bad_request',
  OUT_OF_RANGE: 'upstream_bad_request',
  UNAUTHENTICATED: 'upstream_auth',
  PERMISSION_DENIED: 'upstream_permission',
  NOT_FOUND: 'upstream_not_found',
  RESOURCE_EXHAUSTED: 'upstream_rate_limited',
  UNAVAILABLE: 'upstream_overloaded',
  INTERNAL: 'upstream_error',
  UNKNOWN: 'upstream_error',
  DEADLINE_EXCEEDED: 'upstream_timeout',
};

const HTTP_BY_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400, FAILED_PRECONDITION: 400, OUT_OF_RANGE: 400, UNAUTHENTICATED: 401, PERMISSION_DENIED: 403,
  NOT_FOUND: 404, RESOURCE_EXHAUSTED: 429, CANCELLED: 499, INTERNAL: 500, UNKNOWN: 500, UNAVAILABLE: 503, DEADLINE_EXCEEDED: 504,
};

export interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

export interface GeminiErrorInit {
  provider: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function mapGeminiError(init: GeminiErrorInit): GatewayError {
  const err = parseGoogleError(init.body);
  const reason = errorReason(err);
  const retryMs = retryDelayMs(err);
  const headers = retryMs === undefined ? init.headers : { ...init.headers, 'retry-after-ms': String(retryMs) };
  return upstreamError({
    provider: init.provider,
    status: init.status,
    headers,
    body: init.body,
    message: err?.message,
    upstreamCode: reason ?? err?.status,
    code: codeFor(err, reason),
  });
}

/** An `{"error":{…}}` object met inside a stream, after the 200 was sent. */
export function mapGeminiStreamError(error: unknown, provider: string, raw: string): GatewayError {
  const err = isObject(error) ? (error as GoogleErrorBody) : undefined;
  const status = typeof err?.code === 'number' ? err.code : (err?.status !== undefined ? HTTP_BY_STATUS[err.status] : undefined) ?? 500;
  return mapGeminiError({ provider, status, headers: {}, body: raw });
}

export function parseGoogleError(body: string): GoogleErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (Array.isArray(parsed)) parsed = parsed[0];
  if (!isObject(parsed) || !isObject(parsed['error'])) return undefined;
  return parsed['error'] as GoogleErrorBody;
}

function codeFor(err: GoogleErrorBody | undefined, reason: string | undefined): ErrorCode | undefined {
  if (reason === 'API_KEY_INVALID' || reason === 'API_KEY_EXPIRED') return 'upstream_auth';
  const message = err?.message ?? '';
  if (err?.status === 'INVALID_ARGUMENT' && /exceeds the maximum number of tokens|input token count/i.test(message)) return 'context_length_exceeded';
  return err?.status !== undefined ? CODE_BY_STATUS[err.status] : undefined;
}

function errorReason(err: GoogleErrorBody | undefined): string | undefined {
  for (const d of err?.details ?? []) {
    if (isObject(d) && String(d['@type']).endsWith('google.rpc.ErrorInfo') && typeof d['reason'] === 'string') return d['reason'];
  }
  return undefined;
}

/** `google.rpc.RetryInfo.retryDelay` is a protobuf Duration in JSON: "12s", "0.5s", "1.234567s". */
export function retryDelayMs(err: GoogleErrorBody | undefined): number | undefined {
  for (const d of err?.details ?? []) {
    if (!isObject(d) || !String(d['@type']).endsWith('google.rpc.RetryInfo')) continue;
    const delay = d['retryDelay'];
    if (typeof delay === 'string') {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (m?.[1] !== undefined) return Math.round(Number(m[1]) * 1000);
    } else if (isObject(delay)) {
      // Proto-style Duration object, seen from some gRPC-JSON gateways.
      return Math.round(Number(delay['seconds'] ?? 0) * 1000 + Number(delay['nanos'] ?? 0) / 1e6);
    }
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
