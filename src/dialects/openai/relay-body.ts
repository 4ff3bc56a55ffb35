import type { ChatRequest } from '../../spec/index.js';
import { isDirectiveKey, isUnsupportedGatewayKey } from './decode-gateway-directives.js';

/**
 * The client's own body as an OpenAI-compatible upstream should receive it on
 * the fast path: the same object when nothing must change (the common case,
 * no copy), otherwise a copy without the gateway's directives and the
 * LiteLLM-only fields the decoder removed (a client's `api_key` must never
 * reach a provider), and with `metadata` as the decoder cleaned it.
 */
export function relayBody(body: Record<string, unknown>, decoded: ChatRequest): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in body) {
    if (isDirectiveKey(key) || isUnsupportedGatewayKey(key)) {
      out ??= { ...body };
      delete out[key];
    }
  }
  const metadata = body['metadata'];
  if (metadata !== undefined && metadata !== null && !sameStringMap(metadata, decoded.metadata)) {
    out ??= { ...body };
    if (decoded.metadata && Object.keys(decoded.metadata).length > 0) out['metadata'] = decoded.metadata;
    else delete out['metadata'];
  }
  return out ?? body;
}

function sameStringMap(raw: unknown, cleaned: Record<string, string> | undefined): boolean {
  if (typeof raw !== 'object' || raw === null || cleaned === undefined) return false;
  const keys = Object.keys(raw);
  if (keys.length !== Object.keys(cleaned).length) return false;
  for (const k of keys) if ((raw as Record<string, unknown>)[k] !== cleaned[k]) return false;
  return true;
}
