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
