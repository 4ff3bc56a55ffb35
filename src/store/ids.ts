import { createHash, randomBytes } from 'node:crypto';

/** Random, URL-safe, prefixed ids (`usr_…`) that say what they point at. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

let lastMs = 0;
let seq = 0;

/**
 * Ids that sort in creation order (time, then a per-millisecond sequence,
 * then randomness), for rows listed in the order they were added: several
 * rows created in the same millisecond keep their order.
 */
export function newOrderedId(prefix: string, now: number = Date.now()): string {
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${prefix}_${now.toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
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
