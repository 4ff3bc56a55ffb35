import type { IncomingHttpHeaders } from 'node:http';

/**
 * The secret a client presented, from any header real clients use:
 * `Authorization: Bearer` (OpenAI SDKs, Anthropic SDK 1.x), `x-api-key`
 * (Anthropic clients), `api-key` (Azure OpenAI clients).
 */
export function extractKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.length > 0) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return m ? m[1]!.trim() : auth.trim();
  }
  const x = headers['x-api-key'] ?? headers['api-key'];
  if (typeof x === 'string' && x.length > 0) return x.trim();
  return undefined;
}

/**
 * Gemini routes only: Google's clients send the key as `x-goog-api-key`
 * (the `@google/genai` SDK) or `?key=` (REST examples, older SDKs). The
 * query form is accepted nowhere else: keys in URLs end up in access logs,
 * so it is honoured only where real clients need it. The usual headers win.
 */
export function extractGeminiKey(headers: IncomingHttpHeaders, query: unknown): string | undefined {
  const usual = extractKey(headers);
  if (usual !== undefined) return usual;
  const goog = headers['x-goog-api-key'];
  if (typeof goog === 'string' && goog.length > 0) return goog.trim();
  const key = query !== null && typeof query === 'object' ? (query as Record<string, unknown>)['key'] : undefined;
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}
