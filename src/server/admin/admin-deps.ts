import type { Authenticator } from '../auth/authenticator.js';
import type { LoginLimiter } from '../auth/session-login-limiter.js';
import type { SessionStore } from '../auth/session-store.js';
import type { ChannelDeployments } from '../accounts/channel-deployments.js';
import type { Accounts } from '../accounts/open-accounts.js';
import type { GatewayRuntime } from '../runtime.js';

/** What the admin API needs beyond the relay's runtime; built once in gateway.ts. */
export interface AdminDeps {
  accounts: Accounts;
  sessions: SessionStore;
  loginLimiter: LoginLimiter;
  /** Sessions first, then the relay's chain (master key, virtual keys). */
  auth: Authenticator;
  channels: ChannelDeployments;
  now?: () => number;
}

/** Handlers get the runtime and the admin deps in one object. */
export interface AdminContext extends AdminDeps {
  rt: GatewayRuntime;
  now: () => number;
}
