import { GatewayError, type CancelSignal, type UpstreamTarget } from '../../spec/index.js';
import { AccessTokenCache } from './access-token-cache.js';
import { loadServiceAccount, looksLikeJson, type ServiceAccount } from './service-account.js';

const tokens = new AccessTokenCache();

/**
 * Where a deployment's Google credential comes from, first match wins:
 * `credentials.accessToken` (a ready OAuth token, e.g. from
 * `gcloud auth print-access-token`), `credentials.serviceAccountJson` (the
 * key JSON or its file path), then `apiKey` read the same way: a JSON
 * object or a `.json` path is a service account, anything else an access
 * token.
 */
export function serviceAccountOf(target: UpstreamTarget): ServiceAccount | undefined {
  const sa = target.credentials?.['serviceAccountJson'];
  if (sa !== undefined && sa !== '') return loadServiceAccount(sa, target.provider);
  if (target.credentials?.['accessToken']) return undefined;
  const key = target.apiKey;
  if (key !== undefined && (looksLikeJson(key) || /\.json$/i.test(key.trim()))) return loadServiceAccount(key.trim(), target.provider);
  return undefined;
}

/** `Authorization: Bearer …` for this deployment, exchanging (or reusing) a service-account token. */
export async function vertexAuthorization(target: UpstreamTarget, signal: CancelSignal): Promise<string> {
  const ready = target.credentials?.['accessToken'];
  if (ready) return `Bearer ${ready}`;
  const sa = serviceAccountOf(target);
  if (sa !== undefined) return `Bearer ${await tokens.get(sa, target.provider, signal)}`;
  if (target.apiKey) return `Bearer ${target.apiKey}`;
  throw new GatewayError('internal_error', {
    message: 'Vertex AI deployment has no credentials: set credentials.serviceAccountJson (LiteLLM vertex_credentials), credentials.accessToken, or GOOGLE_APPLICATION_CREDENTIALS',
    provider: target.provider,
  });
}
