import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config/types.js';
import { closePools, configurePools } from '../protocols/http/index.js';
import { getProtocol } from '../protocols/index.js';
import { ModelRegistry, Router } from '../router/index.js';
import type { RequestInterceptor } from '../spec/index.js';
import { openAccounts, type Accounts } from './accounts/open-accounts.js';
import { bootstrapAdmin, type BootstrapAdmin } from './accounts/bootstrap-admin.js';
import { createChannelDeployments } from './accounts/channel-deployments.js';
import { accountLimits, MemoryLimiterStore, RateLimitInterceptor, type LimiterStore } from '../limits/index.js';
import type { AdminRouteList } from './admin/index.js';
import { createAccessLog } from './access-log.js';
import { buildApp } from './app.js';
import { MasterKeyAuthenticator } from './auth/authenticator.js';
import { resolveMasterKey, type MasterKeyState } from './auth/master-key.js';
import { SessionAuthenticator } from './auth/session-authenticator.js';
import { LoginLimiter } from './auth/session-login-limiter.js';
import { SessionStore } from './auth/session-store.js';
import { createLogger, type Logger } from './log.js';
import { wireRouterHealth } from './router-wiring.js';
import type { GatewayRuntime } from './runtime.js';

export interface GatewayOptions {
  log?: Logger;
  /** Whether the master key came from SWITCHYARD_MASTER_KEY (for the banner). */
  masterKeyFromEnv?: boolean;
  /** Interceptors that run before accounting (limits, guardrails). */
  interceptors?: RequestInterceptor[];
  /** One JSON log line per API request (the CLI turns it on with SWITCHYARD_ACCESS_LOG=1). */
  accessLog?: boolean;
  /** Filled with every admin route registered (the permission test reads it). */
  adminRoutes?: AdminRouteList;
  /** Rate-limit counters (default: in this process) and the output tokens charged when a request sets no max. */
  limits?: { store?: LimiterStore; defaultOutputTokens?: number };
}

export interface Gateway {
  app: FastifyInstance;
  runtime: GatewayRuntime;
  accounts: Accounts;
  masterKey: MasterKeyState;
  /** Set only on the very first start (no users yet): the generated admin sign-in, to print once. */
  bootstrapAdmin?: { username: string; password: string };
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Stops accepting, lets in-flight requests finish (their ledger rows are
   * recorded), flushes the ledger to the database, releases sockets.
   */
  close(): Promise<void>;
}

/**
 * Assembles a gateway from a loaded configuration: the database and every
 * in-memory account cache are ready before anything listens, so the hot path
 * never waits on storage.
 */
export async function createGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const log = opts.log ?? createLogger();
  const masterKey = resolveMasterKey({ configured: config.masterKey, fromEnv: opts.masterKeyFromEnv ?? false, dataDir: config.dataDir });
  // Pools are shared by the whole process and made on first use: set before any call.
  if (config.router.connectTimeoutMs !== undefined) configurePools({ connectTimeoutMs: config.router.connectTimeoutMs });
  const registry = new ModelRegistry(config.deployments, config.accessGroups);
  const router = new Router({ registry, settings: config.router, protocolFor: getProtocol });
  const accounts = await openAccounts(config, registry, log);
  // Before accounting: a request refused for its rate never reserves budget.
  const limits = new RateLimitInterceptor({
    store: opts.limits?.store ?? new MemoryLimiterStore(),
    limitsFor: accountLimits(accounts.directory),
    ...(opts.limits?.defaultOutputTokens !== undefined ? { defaultOutputTokens: opts.limits.defaultOutputTokens } : {}),
  });
  const runtime: GatewayRuntime = {
    config,
    registry,
    router,
    auth: new MasterKeyAuthenticator(masterKey.hash, accounts.directory),
    interceptors: [limits, ...(opts.interceptors ?? []), accounts.interceptor],
    log,
    accessLog: opts.accessLog ? createAccessLog(log) : null,
    startedAt: Date.now(),
    readinessChecks: [{ name: 'database', check: async () => void (await sql`select 1`.execute(accounts.store.database.db)) }],
  };
  const bootstrap: BootstrapAdmin | undefined = await bootstrapAdmin(accounts.store);
  if (bootstrap) await accounts.directory.refreshUser(bootstrap.userId);
  // Channels added at run time join the config's deployments before the first request.
  const channels = createChannelDeployments({ store: accounts.store, registry, config, refreshDeploymentPrices: accounts.refreshDeploymentPrices, log });
  await channels.rebuild();
  const routing = wireRouterHealth({ router, store: accounts.store, channels, prices: accounts.prices, log, intervalMs: config.router.healthCheckIntervalMs });
  const sessions = new SessionStore();
  const app = buildApp(runtime, {
    admin: { accounts, sessions, loginLimiter: new LoginLimiter(), auth: new SessionAuthenticator(sessions, accounts.directory, runtime.auth), channels },
    ...(opts.adminRoutes ? { adminRoutes: opts.adminRoutes } : {}),
  });
  let closed = false;
  return {
    app,
    runtime,
    accounts,
    masterKey,
    ...(bootstrap ? { bootstrapAdmin: { username: bootstrap.username, password: bootstrap.password } } : {}),
    async listen() {
      const address = await app.listen({ port: config.server.port, host: config.server.host });
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      if (closed) return;
      closed = true;
      routing.stop();
      // A connection whose last in-flight response just ended stays open as an idle
      // keep-alive, and server.close() waits for it as long as the client keeps it:
      // close connections as they go idle, so a stop under load ends when the work does.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      await accounts.close();
      await closePools();
    },
  };
}
