import * as crypto from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';

/** Random, URL-safe, prefixed ids (`usr_…`) that say what they point at. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

let lastMs = 0;
let lastMsText = '';
let seq = 0;
/** The sequence's first 36 values, formatted once. */
const SEQ_TEXT = Array.from({ length: 36 }, (_, i) => i.toString(36).padStart(4, '0'));

/** Randomness drawn 4 KiB at a time: ordered ids are made per request, and randomBytes(6) per call cost ~1.5 µs. */
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let poolAt = 0;

function randomHex(bytes: number): string {
  if (poolAt + bytes > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.toString('hex', poolAt - bytes, poolAt);
}

/**
 * Ids that sort in creation order (time, then a per-millisecond sequence,
 * then randomness), for rows listed in the order they were added: several
 * rows created in the same millisecond keep their order. Request ids are
 * made this way too, so the spend ledger's unique index on request_id grows
 * at its right edge (random ids dirtied a different B-tree page per row).
 */
export function newOrderedId(prefix: string, now: number = Date.now()): string {
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    lastMsText = now.toString(36).padStart(9, '0');
    seq = 0;
  }
  // Under load many ids share a millisecond: its base-36 text is formatted once.
  return `${prefix}_${lastMsText}${seq < 36 ? SEQ_TEXT[seq] : seq.toString(36).padStart(4, '0')}${randomHex(6)}`;
}

/**
 * SHA-256 hex of a gateway-issued secret (virtual key, redemption code).
 * A fast hash is right here, unlike for passwords: the secrets are 32 random
 * bytes, so there is nothing to brute-force, and the hot path looks a key up
 * by this hash on every request.
 */
export function hashSecret(secret: string): string {
  return oneShotHash ? oneShotHash('sha256', secret, 'hex') : createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The same digest as raw bytes (for a constant-time compare without decoding hex). */
export function hashSecretBytes(secret: string): Buffer {
  return oneShotHash ? oneShotHash('sha256', secret, 'buffer') : createHash('sha256').update(secret, 'utf8').digest();
}

/** crypto.hash (Node ≥ 20.12) is about 3× cheaper than a Hash object for one short input. */
const oneShotHash = (crypto as {
  hash?: {
    (algorithm: string, data: string, encoding: 'hex'): string;
    (algorithm: string, data: string, encoding: 'buffer'): Buffer;
  };
}).hash;

/** A new high-entropy secret with a recognisable prefix, e.g. `sk-sy-…`. */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}
