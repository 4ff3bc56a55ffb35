import { createHash, timingSafeEqual } from 'node:crypto';
import { GatewayError, type Identity } from '../../spec/index.js';

/**
 * Turns a presented secret into an Identity, from memory only (the hot path
 * never waits on the database). Implementations compose: the master key
 * first, then virtual keys from their in-memory cache.
 */
export interface Authenticator {
  authenticate(secret: string | undefined, client: { ip: string }): Identity;
}

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && ab.length > 0 && timingSafeEqual(ab, bb);
}

export function missingKey(): GatewayError {
  return new GatewayError('missing_api_key', {
    message: 'Missing API key. Pass it as "Authorization: Bearer <key>" (or the x-api-key / api-key header).',
  });
}

export function invalidKey(): GatewayError {
  return new GatewayError('invalid_api_key', { message: 'Invalid API key.' });
}

/** Only the master key (kept as a SHA-256 digest; the secret is high-entropy, so a fast hash is right). */
export class MasterKeyAuthenticator implements Authenticator {
  constructor(private readonly masterKeyHash: string, private readonly next?: Authenticator) {}

  authenticate(secret: string | undefined, client: { ip: string }): Identity {
    if (secret === undefined) throw missingKey();
    if (digestsEqual(sha256Hex(secret), this.masterKeyHash)) return { kind: 'master', role: 'admin', canOverrideRouting: true };
    if (this.next) return this.next.authenticate(secret, client);
    throw invalidKey();
  }
}
