import type { ErrorCode, GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';
import type { DashScopeError } from './dashscope-wire.js';

/**
 * DashScope's codes that say more than the status: DataInspectionFailed is
 * Alibaba's content moderation refusing input or output, and the
 * Arrearage/quota codes are account problems, not bad requests.
 */
function codeFor(status: number, upstream: string | undefined, message: string | undefined): ErrorCode | undefined {
  if (upstream === 'DataInspectionFailed' || upstream === 'data_inspection_failed') return 'content_filtered';
  if (upstream === 'Arrearage' || upstream === 'AllocationQuota.FreeTierOnly') return 'upstream_permission';
  if (status === 400 && message !== undefined && /range of input length|context length|too long/i.test(message)) return 'context_length_exceeded';
  return undefined;
}

/** The error JSON inside a body that may be plain JSON or an SSE `event:error` frame. */
export function parseDashScopeError(body: string): DashScopeError | undefined {
  const json = body.trimStart().startsWith('{') ? body : /^data:(.*)$/m.exec(body)?.[1];
  if (json === undefined) return undefined;
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' ? (v as DashScopeError) : undefined;
  } catch {
    return undefined;
  }
}

export function mapDashScopeError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, body: string): GatewayError {
  const e = parseDashScopeError(body);
  const message = e?.message ?? (body.trim().slice(0, 500) || undefined);
  const code = codeFor(status, e?.code, message);
  return upstreamError({ provider, status, headers, body, message, upstreamCode: e?.code, ...(code && { code }) });
}
