import { GatewayError, type ErrorCode } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';
import { isRecord } from './wire-types.js';

interface ErrorFields {
  message?: string;
  type?: string;
  param?: string | null;
  code?: string;
}

/**
 * A non-2xx OpenAI-style response → typed GatewayError. The upstream's own
 * message, param and code reach the client; the status decides the code
 * except where the body says more (context length, content filter).
 */
export function mapOpenAIError(
  provider: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): GatewayError {
  const f = extractErrorFields(body);
  return upstreamError({
    provider,
    status,
    headers,
    body,
    message: f.message ?? (body.trim().startsWith('<') ? undefined : body.slice(0, 500)),
    upstreamCode: f.code,
    param: f.param ?? null,
    code: refineCode(status, f),
  });
}

/** A mid-stream `{"error": ...}` payload → a retryable upstream error. */
export function streamError(provider: string, payload: unknown): GatewayError {
  const f = fieldsOf(payload);
  const code = refineCode(500, f) ?? 'upstream_error';
  return new GatewayError(code, {
    message: f.message ?? `Upstream ${provider} reported an error mid-stream`,
    provider,
    clientCode: f.code,
    param: f.param ?? null,
    upstreamBody: JSON.stringify(payload).slice(0, 2000),
  });
}

function refineCode(status: number, f: ErrorFields): ErrorCode | undefined {
  const code = f.code ?? '';
  if (code === 'context_length_exceeded' || code === 'string_above_max_length') return 'context_length_exceeded';
  if (code === 'content_filter' || code === 'content_policy_violation') return 'content_filtered';
  // Compatible servers (vLLM, TGI) often carry no code, only OpenAI's wording.
  if (status === 400 && f.message !== undefined && /maximum context length|context length exceeded|context_length_exceeded/i.test(f.message)) {
    return 'context_length_exceeded';
  }
  return undefined;
}

/** Accepts OpenAI's shape and the common variants compatible servers send. */
export function extractErrorFields(body: string): ErrorFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {};
  }
  // Gemini's OpenAI endpoint wraps the error in an array.
  if (Array.isArray(parsed)) parsed = parsed[0];
  return fieldsOf(parsed);
}

function fieldsOf(v: unknown): ErrorFields {
  if (!isRecord(v)) return {};
  const inner = v.error;
  if (typeof inner === 'string') return { message: inner, ...codeOf(v.code), type: str(v.type) };
  if (isRecord(inner)) {
    return { message: str(inner.message), type: str(inner.type), param: str(inner.param) ?? null, ...codeOf(inner.code) };
  }
  // vLLM: {"object":"error","message":...}; FastAPI: {"detail": ...}
  const message = str(v.message) ?? str(v.detail) ?? (isRecord(v.detail) ? str(v.detail.message) : undefined);
  return { message, type: str(v.type), param: str(v.param) ?? null, ...codeOf(v.code) };
}

function codeOf(c: unknown): { code?: string } {
  if (typeof c === 'string' && c !== '') return { code: c };
  // A numeric code (some servers echo the status) says nothing new.
  return {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
