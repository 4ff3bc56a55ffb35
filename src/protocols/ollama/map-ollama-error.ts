import type { GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';

export interface OllamaErrorInit {
  provider: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Ollama answers errors as `{"error":"…"}` with a meaningful HTTP status
 * (404 for a model that is not pulled, 503 when its queue is full, 400 for
 * a body it cannot read). The status decides the code; the text is kept.
 */
export function mapOllamaError(init: OllamaErrorInit): GatewayError {
  const message = errorMessage(init.body);
  const contextOverflow = message !== undefined && /context length|exceeds (?:the )?(?:maximum )?context/i.test(message);
  return upstreamError({
    provider: init.provider,
    status: init.status,
    headers: init.headers,
    body: init.body,
    message,
    ...(contextOverflow && init.status === 400 ? { code: 'context_length_exceeded' as const } : {}),
  });
}

/** An `{"error":"…"}` line inside a 200 stream: Ollama gives no status, so it is a retryable upstream failure. */
export function mapOllamaStreamError(message: string, provider: string, raw: string): GatewayError {
  return upstreamError({ provider, status: 500, headers: {}, body: raw, message });
}

function errorMessage(body: string): string | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (v !== null && typeof v === 'object' && typeof (v as { error?: unknown }).error === 'string') return (v as { error: string }).error;
  } catch {
    // Not JSON: a proxy's HTML or plain text; show it trimmed.
  }
  const text = body.trim();
  return text === '' ? undefined : text.slice(0, 500);
}
