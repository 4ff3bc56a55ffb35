import { randomBytes } from 'node:crypto';
import { sha256Hex } from './authenticator.js';

/** Every session token starts with this, so the authenticator can tell it from a key without a lookup. */
export const SESSION_TOKEN_PREFIX = 'sy-session-';
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface Session {
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Sign-in sessions: random 256-bit tokens, held in this process's memory
 * by their SHA-256 (a leaked heap dump shows no usable token). Random rather
 * than HMAC-signed so that sign-out and "disable user" revoke at once with
 * no revocation list. The price: a restart signs everyone out, and several
 * gateway instances do not share sessions (a later wave moves them to Redis).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    readonly ttlMs: number = DEFAULT_SESSION_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  create(userId: string): { token: string; expiresAt: number } {
    this.sweep();
    const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const createdAt = this.now();
    const expiresAt = createdAt + this.ttlMs;
    this.sessions.set(sha256Hex(token), { userId, createdAt, expiresAt });
    return { token, expiresAt };
  }

  /** The live session for a token, or undefined (expired ones are dropped here). */
  resolve(token: string): Session | undefined {
    const id = sha256Hex(token);
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  revoke(token: string): boolean {
    return this.sessions.delete(sha256Hex(token));
  }

  /** Signs a user out everywhere (password change, disable, delete). */
  revokeUser(userId: string): number {
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (s.userId === userId) {
        this.sessions.delete(id);
        n++;
      }
    }
    return n;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
