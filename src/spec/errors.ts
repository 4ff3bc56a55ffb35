/**
 * Typed errors. Every failure that can reach a client is a GatewayError with a
 * stable `code`, an HTTP `status` and the retry facts the router acts on
 * (`retryable`, `retryAfterMs`). The router decides from these fields only,
 * never from message text. Dialects render them in the client's own error
 * shape; the OpenAI `type` is kept here because it is the most common shape.
 */

export type ErrorCode =
  // client mistakes
  | 'invalid_json'
  | 'invalid_request'
  | 'unsupported_parameter'
  | 'model_not_found'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'context_length_exceeded'
  // auth and money
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'key_expired'
  | 'key_blocked'
  | 'ip_not_allowed'
  | 'model_not_allowed'
  | 'permission_denied'
  | 'budget_exceeded'
  | 'insufficient_quota'
  | 'rate_limited'
  | 'price_unknown'
  // upstream
  | 'upstream_auth'
  | 'upstream_permission'
  | 'upstream_not_found'
  | 'upstream_bad_request'
  | 'upstream_rate_limited'
  | 'upstream_overloaded'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'upstream_connection'
  | 'upstream_bad_response'
  | 'content_filtered'
  | 'no_healthy_deployment'
  // client went away / ours
  | 'client_closed'
  | 'request_timeout'
  | 'internal_error';

/** OpenAI's error `type` values, plus the ones LiteLLM clients already see. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'budget_exceeded'
  | 'api_error'
  | 'timeout_error'
  | 'server_error'
  | 'service_unavailable';

interface CodeInfo {
  status: number;
  type: OpenAIErrorType;
  retryable: boolean;
}

/** The catalog of stable codes (Fastify-style): status, OpenAI type, retryability. */
export const ERROR_CODES: Record<ErrorCode, CodeInfo> = {
  invalid_json: { status: 400, type: 'invalid_request_error', retryable: false },
  invalid_request: { status: 400, type: 'invalid_request_error', retryable: false },
  unsupported_parameter: { status: 400, type: 'invalid_request_error', retryable: false },
  model_not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  not_found: { status: 404, type: 'not_found_error', retryable: false },
  method_not_allowed: { status: 405, type: 'invalid_request_error', retryable: false },
  payload_too_large: { status: 413, type: 'invalid_request_error', retryable: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', retryable: false },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', retryable: false },
  missing_api_key: { status: 401, type: 'authentication_error', retryable: false },
  invalid_api_key: { status: 401, type: 'authentication_error', retryable: false },
  key_expired: { status: 401, type: 'authentication_error', retryable: false },
  key_blocked: { status: 403, type: 'permission_error', retryable: false },
  ip_not_allowed: { status: 403, type: 'permission_error', retryable: false },
  model_not_allowed: { status: 403, type: 'permission_error', retryable: false },
  permission_denied: { status: 403, type: 'permission_error', retryable: false },
  budget_exceeded: { status: 429, type: 'budget_exceeded', retryable: false },
  insufficient_quota: { status: 429, type: 'insufficient_quota', retryable: false },
  rate_limited: { status: 429, type: 'rate_limit_error', retryable: false },
  price_unknown: { status: 400, type: 'invalid_request_error', retryable: false },
  upstream_auth: { status: 401, type: 'authentication_error', retryable: false },
  upstream_permission: { status: 403, type: 'permission_error', retryable: false },
  upstream_not_found: { status: 404, type: 'not_found_error', retryable: false },
  upstream_bad_request: { status: 400, type: 'invalid_request_error', retryable: false },
  upstream_rate_limited: { status: 429, type: 'rate_limit_error', retryable: true },
  upstream_overloaded: { status: 503, type: 'service_unavailable', retryable: true },
  upstream_error: { status: 502, type: 'api_error', retryable: true },
  upstream_timeout: { status: 504, type: 'timeout_error', retryable: true },
  upstream_connection: { status: 502, type: 'api_error', retryable: true },
  upstream_bad_response: { status: 502, type: 'api_error', retryable: true },
  content_filtered: { status: 400, type: 'invalid_request_error', retryable: false },
  no_healthy_deployment: { status: 503, type: 'service_unavailable', retryable: true },
  client_closed: { status: 499, type: 'invalid_request_error', retryable: false },
  request_timeout: { status: 408, type: 'timeout_error', retryable: true },
  internal_error: { status: 500, type: 'server_error', retryable: false },
};

export interface GatewayErrorInit {
  message: string;
  /** Overrides the catalog status (e.g. an upstream 529 kept as 529). */
  status?: number;
  type?: OpenAIErrorType;
  /** The request field at fault, e.g. "messages[2].content". */
  param?: string | null;
  retryable?: boolean;
  retryAfterMs?: number;
  /** Provider the error came from (catalog id) and its raw status/body, for logs. */
  provider?: string;
  upstreamStatus?: number;
  upstreamBody?: string;
  /** Machine-readable code to show clients when it differs from `code` (e.g. upstream's own). */
  clientCode?: string;
  cause?: unknown;
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly upstreamBody: string | undefined;
  readonly clientCode: string;

  constructor(code: ErrorCode, init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    const info = ERROR_CODES[code];
    this.code = code;
    this.status = init.status ?? info.status;
    this.type = init.type ?? info.type;
    this.param = init.param ?? null;
    this.retryable = init.retryable ?? info.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.provider = init.provider;
    this.upstreamStatus = init.upstreamStatus;
    this.upstreamBody = init.upstreamBody;
    this.clientCode = init.clientCode ?? code;
  }

  /** OpenAI error JSON, the default client-facing shape. */
  toOpenAI(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.clientCode } };
  }
}

export function isGatewayError(e: unknown): e is GatewayError {
  return e instanceof GatewayError;
}

/** Wraps anything thrown into a GatewayError without losing the original. */
export function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new GatewayError('internal_error', { message: `Internal error: ${message}`, cause: e });
}

/** Shorthand for a 400 that names the field at fault. */
export function invalidRequest(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', { message, param: param ?? null });
}
