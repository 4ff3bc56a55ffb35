import type { ErrorCode, GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';
import type { WorkersAiEnvelope } from './workers-ai-wire.js';

/**
 * Workers AI's internal codes that say more than their HTTP status
 * (developers.cloudflare.com/workers-ai/platform/errors): 3040 arrives as a
 * 429 but means no data centre had capacity (an overload worth retrying
 * elsewhere, not our rate); 5007 "No such model" arrives as a 400.
 */
const CODE_BY_INTERNAL: Record<number, ErrorCode> = {
  3040: 'upstream_overloaded',
  5007: 'upstream_not_found',
  3042: 'upstream_not_found',
  3007: 'upstream_timeout',
};

export interface WorkersAiErrorInit {
  provider: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A non-2xx answer (`{"success":false,"errors":[{"code":…,"message":"…"}]}`) → GatewayError keeping Cloudflare's words. */
export function mapWorkersAiError(init: WorkersAiErrorInit): GatewayError {
  const first = firstError(init.body);
  const code = first?.code === undefined ? undefined : CODE_BY_INTERNAL[first.code];
  return upstreamError({
    provider: init.provider,
    status: init.status,
    headers: init.headers,
    body: init.body,
    message: first?.message ?? plainText(init.body),
    ...(first?.code !== undefined && { upstreamCode: String(first.code) }),
    ...(code !== undefined && { code }),
  });
}

/** An error reported inside a 200 stream (no status of its own): a retryable upstream failure. */
export function mapWorkersAiStreamError(raw: string, provider: string): GatewayError {
  const first = firstError(raw);
  return upstreamError({ provider, status: 500, headers: {}, body: raw, message: first?.message ?? plainText(raw), ...(first?.code !== undefined && { upstreamCode: String(first.code) }) });
}

function firstError(body: string): { code?: number; message?: string } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object') return undefined;
  const env = v as WorkersAiEnvelope<unknown> & { error?: unknown };
  const e = Array.isArray(env.errors) ? env.errors[0] : undefined;
  if (e !== undefined && e !== null && typeof e === 'object') {
    const out: { code?: number; message?: string } = {};
    if (typeof e.code === 'number') out.code = e.code;
    if (typeof e.message === 'string') out.message = e.message;
    return out;
  }
  // The AI Gateway in front of Workers AI answers `{"error": "…"}` or `{"error": {"message": "…"}}`.
  if (typeof env.error === 'string') return { message: env.error };
  if (env.error !== null && typeof env.error === 'object' && typeof (env.error as { message?: unknown }).message === 'string') return { message: (env.error as { message: string }).message };
  return undefined;
}

function plainText(body: string): string | undefined {
  const text = body.trim();
  return text === '' ? undefined : text.slice(0, 500);
}
