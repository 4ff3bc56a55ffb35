import type { ErrorCode, GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';

/**
 * Cohere's statuses beyond the usual ones: 498 is an invalid or revoked
 * token (an auth failure), 499 a request Cohere cancelled on its side
 * (worth another try), 501 a feature the model lacks.
 */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  498: 'upstream_auth',
  499: 'upstream_error',
  501: 'upstream_bad_request',
};

export interface CohereErrorInit {
  provider: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A non-2xx Cohere answer (`{"id":"…","message":"…"}`) → GatewayError keeping Cohere's words. */
export function mapCohereError(init: CohereErrorInit): GatewayError {
  const message = errorMessage(init.body);
  let code = CODE_BY_STATUS[init.status];
  if (init.status === 400 && message !== undefined && /too many tokens|exceeds? the (?:model'?s? )?context|context length/i.test(message)) code = 'context_length_exceeded';
  return upstreamError({
    provider: init.provider,
    status: init.status,
    headers: init.headers,
    body: init.body,
    message,
    ...(code !== undefined && { code }),
    // 499 is not a client mistake here: surface it as a bad gateway, not a 499 the client never caused.
    ...(init.status === 499 && { upstreamCode: 'client_closed_request' }),
  });
}

export function errorMessage(body: string): string | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (v !== null && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') return (v as { message: string }).message;
  } catch {
    // Not JSON (a proxy page): show it trimmed.
  }
  const text = body.trim();
  return text === '' ? undefined : text.slice(0, 500);
}
