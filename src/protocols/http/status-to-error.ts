import { GatewayError, type ErrorCode } from '../../spec/index.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * The generic HTTP-status → error-code map every protocol starts from. A
 * protocol passes the message it extracted from its own error body (so the
 * upstream's words reach the client) and may override the code when its body
 * says more than the status (e.g. a context-length or content-filter error).
 */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'upstream_bad_request';
  if (status === 401) return 'upstream_auth';
  if (status === 402) return 'upstream_permission';
  if (status === 403) return 'upstream_permission';
  if (status === 404) return 'upstream_not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 413) return 'upstream_bad_request';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 503 || status === 529) return 'upstream_overloaded';
  if (status === 504) return 'upstream_timeout';
  if (status >= 500) return 'upstream_error';
  return 'upstream_bad_request';
}

export interface UpstreamErrorInit {
  provider: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text (kept for logs, truncated). */
  body: string;
  /** Message extracted from the body by the protocol; falls back to a generic one. */
  message?: string;
  /** Upstream's own machine code (e.g. "rate_limit_exceeded") shown to the client. */
  upstreamCode?: string;
  param?: string | null;
  code?: ErrorCode;
}

export function upstreamError(init: UpstreamErrorInit): GatewayError {
  const code = init.code ?? codeForStatus(init.status);
  const message = init.message?.trim() || `Upstream ${init.provider} returned HTTP ${init.status}`;
  // Upstream 4xx other than auth/limits are the client's fault: keep their status.
  // Upstream auth failures are OUR credential's fault, but the status is kept so
  // operators see the truth; the router marks the channel, not the client.
  return new GatewayError(code, {
    message,
    status: passThroughStatus(init.status, code),
    param: init.param ?? null,
    retryAfterMs: parseRetryAfter(init.headers),
    provider: init.provider,
    upstreamStatus: init.status,
    upstreamBody: init.body.length > 2000 ? init.body.slice(0, 2000) : init.body,
    clientCode: init.upstreamCode,
  });
}

function passThroughStatus(status: number, code: ErrorCode): number | undefined {
  if (code === 'upstream_error' && status >= 500 && status < 600) return status === 500 ? 500 : 502;
  if (code === 'upstream_overloaded') return 503;
  return undefined;
}
