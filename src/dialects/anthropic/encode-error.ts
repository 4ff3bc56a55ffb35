import type { ErrorCode, GatewayError } from '../../spec/index.js';

/** Anthropic's error `type` vocabulary; its SDKs pick the exception class from the status, clients log the type. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

const TYPES: ReadonlySet<string> = new Set<AnthropicErrorType>([
  'invalid_request_error', 'authentication_error', 'billing_error', 'permission_error', 'not_found_error',
  'request_too_large', 'rate_limit_error', 'api_error', 'timeout_error', 'overloaded_error',
]);

const BY_CODE: Partial<Record<ErrorCode, AnthropicErrorType>> = {
  upstream_overloaded: 'overloaded_error',
  no_healthy_deployment: 'overloaded_error',
  upstream_timeout: 'timeout_error',
  request_timeout: 'timeout_error',
  payload_too_large: 'request_too_large',
};

const BY_STATUS: Record<number, AnthropicErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function anthropicErrorType(err: GatewayError): AnthropicErrorType {
  // An Anthropic upstream's own type (kept as the client code) is the most precise word.
  if (err.provider !== undefined && TYPES.has(err.clientCode)) return err.clientCode as AnthropicErrorType;
  return BY_CODE[err.code] ?? BY_STATUS[err.status] ?? (err.status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** Anthropic's error body: `{"type":"error","error":{"type","message"},"request_id"}`. */
export function encodeAnthropicError(err: GatewayError, requestId?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { type: 'error', error: { type: anthropicErrorType(err), message: err.message } };
  if (requestId !== undefined) body['request_id'] = requestId;
  return body;
}
