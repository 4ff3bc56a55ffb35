import { createHash, randomBytes } from 'node:crypto';

/** Random, URL-safe, prefixed ids (`usr_…`) that say what they point at. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/**
 * SHA-256 hex of a gateway-issued secret (virtual key, redemption code).
 * A fast hash is right here, unlike for passwords: the secrets are 32 random
 * bytes, so there is nothing to brute-force, and the hot path looks a key up
 * by this hash on every request.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new high-entropy secret with a recognisable prefix, e.g. `sk-sy-…`. */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}
