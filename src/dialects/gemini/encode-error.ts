import type { GatewayError } from '../../spec/index.js';

/** Google's canonical status for an HTTP code (google.rpc.Code names). */
const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function googleStatus(httpStatus: number): string {
  return STATUS_BY_HTTP[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

/**
 * Google's error body: `{"error":{"code","message","status","details"}}`.
 * The gateway's stable code travels as an ErrorInfo reason, and a wait the
 * client should honour as RetryInfo, which Google's SDKs read.
 */
export function encodeGeminiError(err: GatewayError): Record<string, unknown> {
  const details: Record<string, unknown>[] = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: err.clientCode, domain: 'switchyard', ...(err.param ? { metadata: { param: err.param } } : {}) }];
  if (err.retryAfterMs !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.ceil(err.retryAfterMs / 1000)}s` });
  return { error: { code: err.status, message: err.message, status: googleStatus(err.status), details } };
}
