import { GatewayError, ERROR_CODES, type ErrorCode } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';
import { isRecord } from './bedrock-wire.js';

/**
 * AWS error type → code. The type says more than the status: an unknown
 * access key is a 403 `UnrecognizedClientException` (our credential's fault,
 * like a 401), and `ModelNotReadyException` is a 429 that means "warming up".
 */
const BY_TYPE: Record<string, ErrorCode> = {
  UnrecognizedClientException: 'upstream_auth',
  InvalidSignatureException: 'upstream_auth',
  IncompleteSignatureException: 'upstream_auth',
  MissingAuthenticationTokenException: 'upstream_auth',
  ExpiredTokenException: 'upstream_auth',
  InvalidClientTokenId: 'upstream_auth',
  AccessDeniedException: 'upstream_permission',
  ResourceNotFoundException: 'upstream_not_found',
  ThrottlingException: 'upstream_rate_limited',
  TooManyRequestsException: 'upstream_rate_limited',
  ModelNotReadyException: 'upstream_overloaded',
  ServiceUnavailableException: 'upstream_overloaded',
  InternalServerException: 'upstream_error',
  ModelStreamErrorException: 'upstream_error',
  ModelErrorException: 'upstream_error',
  ModelTimeoutException: 'upstream_timeout',
  ValidationException: 'upstream_bad_request',
};

const CONTEXT_TOO_LONG = /too long|too many (input )?tokens|context (length|window)|exceeds? (the )?max(imum)? (context|input|number of input)/i;

/** A non-2xx Bedrock answer (`{"message": …}` plus `x-amzn-errortype`) → typed error. */
export function mapBedrockError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, body: string): GatewayError {
  const parsed = parse(body);
  const type = errorType(headers['x-amzn-errortype'], parsed);
  const message = messageOf(parsed) ?? (body.trim().startsWith('<') ? undefined : body.slice(0, 500));
  const init = { provider, status, headers, body, upstreamCode: type };
  const code = codeFor(type, message);
  return upstreamError(message === undefined ? { ...init, ...(code && { code }) } : { ...init, message, ...(code && { code }) });
}

/** An `exception` (or `error`) message inside a ConverseStream → typed error; the stream ends with it. */
export function mapStreamException(provider: string, exceptionType: string, payload: Buffer): GatewayError {
  const type = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  const message = messageOf(parse(payload.toString('utf8'))) ?? `Upstream ${provider} failed mid-stream (${exceptionType})`;
  const code = codeFor(type, message) ?? 'upstream_error';
  const status = code === 'upstream_error' ? 502 : ERROR_CODES[code].status;
  return new GatewayError(code, { message, status, provider, clientCode: type, upstreamBody: payload.toString('utf8').slice(0, 2000) });
}

function codeFor(type: string | undefined, message: string | undefined): ErrorCode | undefined {
  if (type === 'ValidationException' && message !== undefined && CONTEXT_TOO_LONG.test(message)) return 'context_length_exceeded';
  return type === undefined ? undefined : BY_TYPE[type];
}

/** `x-amzn-errortype: ThrottlingException:http://internal.amazon.com/…`, or `__type` in the body (`…#ThrottlingException`). */
function errorType(header: string | string[] | undefined, body: Record<string, unknown> | undefined): string | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  const raw = h ?? (typeof body?.__type === 'string' ? body.__type : typeof body?.code === 'string' ? body.code : undefined);
  if (raw === undefined || raw === '') return undefined;
  const noUrl = raw.split(':')[0]!;
  return noUrl.slice(noUrl.lastIndexOf('#') + 1) || undefined;
}

function messageOf(body: Record<string, unknown> | undefined): string | undefined {
  const m = body?.message ?? body?.Message;
  return typeof m === 'string' && m !== '' ? m : undefined;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
