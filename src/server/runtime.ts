import type { GatewayConfig } from '../config/types.js';
import type { ModelRegistry, Router } from '../router/index.js';
import type { RequestInterceptor } from '../spec/index.js';
import type { Authenticator } from './auth/authenticator.js';
import type { AccessLog } from './access-log.js';
import type { Logger } from './log.js';

/**
 * Everything a request handler needs, assembled once at start. Routes are
 * thin functions over this; later layers (limits, guardrails, webhooks) join
 * as interceptors, not as edits to every route.
 */
export interface GatewayRuntime {
  config: GatewayConfig;
  registry: ModelRegistry;
  router: Router;
  auth: Authenticator;
  interceptors: RequestInterceptor[];
  log: Logger;
  startedAt: number;
  /** One line per API request, when enabled. */
  accessLog?: AccessLog | null;
  /** Extra readiness checks (database, journal) registered by later layers. */
  readinessChecks: { name: string; check: () => Promise<void> }[];
}
