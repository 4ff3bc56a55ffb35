import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../../spec/index.js';
import { extractKey } from '../../auth/extract-key.js';
import type { AdminContext } from '../admin-deps.js';
import { audit } from '../audit.js';
import { reqString } from '../input.js';
import { addRoute } from '../route-helper.js';
import { body, obj, str } from '../schemas.js';
import { userView } from '../views.js';

const TAGS = ['auth'];

/** Sign-in for people (the admin UI): username or email + password → a session token for `Authorization: Bearer`. */
export function registerAuthRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/auth/login',
    summary: 'Sign in with username (or email) and password; returns a session token',
    description: 'Five failed attempts for one user from one address lock that pair out for 15 minutes (429). Sessions last 12 hours and live in this instance’s memory.',
    tags: TAGS,
    body: body({ username: str('Username or email'), password: str() }, ['username', 'password']),
    response: { 200: obj({ token: str('Send as Authorization: Bearer <token> on /admin routes'), expires_at: str(), user: obj({}) }) },
    async handler(call) {
      const login = reqString(call.body['username'], 'username');
      const password = typeof call.body['password'] === 'string' ? call.body['password'] : '';
      const ip = call.req.ip;
      call.ctx.loginLimiter.check(login, ip);
      const user = password ? await call.ctx.accounts.store.users.verifyLogin(login, password) : undefined;
      if (!user) {
        call.ctx.loginLimiter.fail(login, ip);
        throw new GatewayError('invalid_api_key', { message: 'Wrong username or password, or the user is disabled.' });
      }
      call.ctx.loginLimiter.succeed(login, ip);
      // The directory may not know a user created by another instance yet.
      await call.ctx.accounts.directory.refreshUser(user.id);
      const session = call.ctx.sessions.create(user.id);
      await call.ctx.accounts.store.audit.record({ actor: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, after: { ip } });
      return { token: session.token, expires_at: new Date(session.expiresAt).toISOString(), user: userView(user) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/auth/logout',
    summary: 'Sign out: the session token stops working at once',
    tags: TAGS,
    async handler(call) {
      const token = extractKey(call.req.headers);
      const revoked = token ? call.ctx.sessions.revoke(token) : false;
      if (revoked) await audit(call, 'auth.logout', 'user', call.identity.userId ?? null);
      return { ok: true, revoked };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/auth/me',
    summary: 'Who the presented credential is',
    tags: TAGS,
    async handler(call) {
      const id = call.identity;
      const user = id.userId ? call.ctx.accounts.directory.user(id.userId) : undefined;
      return { kind: id.kind, role: id.role, user_id: id.userId ?? null, key_id: id.keyId ?? null, team_id: id.teamId ?? null, user: user ? userView(user) : null };
    },
  });
}
