import type { ErrorCode, GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';

/** Access token invalid (110) or expired (111): fetch a new one and try once more. */
export const TOKEN_REJECTED = new Set([110, 111]);

/**
 * Baidu answers failures with HTTP 200 and `error_code`. The documented
 * codes, by what the router should do about them.
 */
export function statusForErnieCode(code: number): number {
  if (code === 110 || code === 111 || code === 13 || code === 14 || code === 15) return 401;
  if (code === 6 || code === 336004) return 403;
  if (code === 3 || code === 336005) return 404;
  if (code === 4 || code === 17 || code === 18 || code === 19 || code === 336501 || code === 336502) return 429;
  if (code === 2 || code === 336100) return 503;
  if (code === 1 || code === 336000) return 500;
  return 400;
}

export function mapErnieError(provider: string, code: number, message: string, headers: Record<string, string | string[] | undefined>, body: string): GatewayError {
  let override: ErrorCode | undefined;
  if (code === 336103 || /too long|exceed.*(token|length)/i.test(message)) override = 'context_length_exceeded';
  if (code === 336104 || code === 336105) override = 'content_filtered';
  return upstreamError({ provider, status: statusForErnieCode(code), headers, body, message, upstreamCode: String(code), ...(override && { code: override }) });
}
