import { createSign } from 'node:crypto';
import type { ServiceAccount } from './service-account.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Google accepts assertions valid for at most one hour. */
const LIFETIME_S = 3600;

/**
 * The signed JWT a service account trades for an access token (OAuth 2.0
 * JWT bearer grant, RFC 7523): RS256 over `iss` = the account, `aud` = the
 * token endpoint, `scope` = cloud-platform.
 */
export function signAssertion(sa: ServiceAccount, nowS: number, scope = CLOUD_PLATFORM_SCOPE): string {
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' };
  if (sa.privateKeyId !== undefined) header['kid'] = sa.privateKeyId;
  const claims = { iss: sa.clientEmail, scope, aud: sa.tokenUri, iat: nowS, exp: nowS + LIFETIME_S };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(sa.privateKey);
  return `${unsigned}.${signature.toString('base64url')}`;
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
