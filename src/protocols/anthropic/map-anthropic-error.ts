import type { ErrorCode, GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';
import type { AnthropicErrorBody } from './anthropic-wire.js';

/**
 * Anthropic's error `type` → our code and the HTTP status Anthropic uses for
 * it. The status matters for errors that arrive inside a stream (an SSE
 * `error` event has no HTTP status of its own).
 */
const BY_TYPE: Record<string, { code: ErrorCode; status: number }> = {
  invalid_request_error: { code: 'upstream_bad_request', status: 400 },
  authentication_error: { code: 'upstream_auth', status: 401 },
  billing_error: { code: 'upstream_permission', status: 402 },
  permission_error: { code: 'upstream_permission', status: 403 },
  not_found_error: { code: 'upstream_not_found', status: 404 },
  request_too_large: { code: 'upstream_bad_request', status: 413 },
  rate_limit_error: { code: 'upstream_rate_limited', status: 429 },
  api_error: { code: 'upstream_error', status: 500 },
  timeout_error: { code: 'upstream_timeout', status: 504 },
  overloaded_error: { code: 'upstream_overloaded', status: 529 },
};

export interface AnthropicErrorInit {
  provider: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A non-2xx Anthropic response → GatewayError, keeping Anthropic's message and error type. */
export function mapAnthropicError(init: AnthropicErrorInit): GatewayError {
  const parsed = parseErrorBody(init.body);
  const type = parsed?.error?.type;
  const message = parsed?.error?.message;
  let code = type !== undefined ? BY_TYPE[type]?.code : undefined;
  // The status is the stronger signal when the two disagree (e.g. a proxy's 529 with a generic body).
  if (init.status === 529 || init.status === 503) code = 'upstream_overloaded';
  if (init.status === 429) code = 'upstream_rate_limited';
  if (code === 'upstream_bad_request' && message !== undefined && isContextOverflow(message)) code = 'context_length_exceeded';
  return upstreamError({
    provider: init.provider,
    status: init.status,
    headers: init.headers,
    body: init.body,
    message,
    upstreamCode: type,
    code,
  });
}

/** The `data` of an SSE `error` event (mid-stream failure after a 200) → GatewayError. */
export function mapAnthropicStreamError(data: string, provider: string): GatewayError {
  const parsed = parseErrorBody(data);
  const type = parsed?.error?.type ?? 'api_error';
  const status = BY_TYPE[type]?.status ?? 500;
  return mapAnthropicError({ provider, status, headers: {}, body: data });
}

function parseErrorBody(text: string): AnthropicErrorBody | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as AnthropicErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** Anthropic says "prompt is too long: N tokens > M maximum" for context overflow. */
function isContextOverflow(message: string): boolean {
  return /prompt is too long|context window|exceeds? the (?:model'?s? )?context/i.test(message);
}
