import { GatewayError, type Identity } from '../../spec/index.js';
import type { User } from '../../store/index.js';
import type { Authenticator } from './authenticator.js';
import { SESSION_TOKEN_PREFIX, type SessionStore } from './session-store.js';

/**
 * Accepts sign-in session tokens (admin API only) and hands anything else to
 * the next authenticator (master key, virtual keys). The user is read from
 * the in-memory directory on every request, so a role change or a disable
 * applies to open sessions at once.
 */
export class SessionAuthenticator implements Authenticator {
  constructor(
    private readonly sessions: SessionStore,
    private readonly users: { user(id: string): User | undefined },
    private readonly next: Authenticator,
  ) {}

  authenticate(secret: string | undefined, client: { ip: string }, secretHash?: string): Identity {
    if (secret === undefined || !secret.startsWith(SESSION_TOKEN_PREFIX)) return this.next.authenticate(secret, client, secretHash);
    const session = this.sessions.resolve(secret);
    if (!session) throw new GatewayError('invalid_api_key', { message: 'This session has expired or was signed out. Sign in again.' });
    const user = this.users.user(session.userId);
    if (!user || user.disabled) {
      this.sessions.revokeUser(session.userId);
      throw new GatewayError('invalid_api_key', { message: 'This session belongs to a user who no longer exists or is disabled.' });
    }
    return { kind: 'user-session', userId: user.id, role: user.role };
  }
}
