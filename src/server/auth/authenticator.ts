import { timingSafeEqual } from 'node:crypto';
import { hashSecret, hashSecretBytes } from '../../store/index.js';
import { GatewayError, type Identity } from '../../spec/index.js';

/**
 * Turns a presented secret into an Identity, from memory only (the hot path
 * never waits on the database). Implementations compose: the master key
 * first, then virtual keys from their in-memory cache.
 */
export interface Authenticator {
  /** `secretHash`: the secret's SHA-256 hex when an authenticator earlier in the chain already computed it. */
  authenticate(secret: string | undefined, client: { ip: string }, secretHash?: string): Identity;
}

export const sha256Hex = hashSecret;

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
  private readonly masterDigest: Buffer;

  constructor(masterKeyHash: string, private readonly next?: Authenticator) {
    this.masterDigest = Buffer.from(masterKeyHash, 'hex');
  }

  authenticate(secret: string | undefined, client: { ip: string }, secretHash?: string): Identity {
    if (secret === undefined) throw missingKey();
    const digest = secretHash !== undefined ? Buffer.from(secretHash, 'hex') : hashSecretBytes(secret);
    if (digest.length === this.masterDigest.length && digest.length > 0 && timingSafeEqual(digest, this.masterDigest)) return { kind: 'master', role: 'admin', canOverrideRouting: true };
    // Virtual keys are looked up by the same hash: handed on, it is computed once per request.
    if (this.next) return this.next.authenticate(secret, client, secretHash ?? digest.toString('hex'));
    throw invalidKey();
  }
}
