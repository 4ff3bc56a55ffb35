import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config/types.js';
import { closePools } from '../protocols/http/index.js';
import { getProtocol } from '../protocols/index.js';
import { ModelRegistry, Router } from '../router/index.js';
import type { RequestInterceptor } from '../spec/index.js';
import { buildApp } from './app.js';
import { MasterKeyAuthenticator, type Authenticator } from './auth/authenticator.js';
import { resolveMasterKey, type MasterKeyState } from './auth/master-key.js';
import { createLogger, type Logger } from './log.js';
import type { GatewayRuntime } from './runtime.js';

export interface GatewayOptions {
  log?: Logger;
  /** Whether the master key came from SWITCHYARD_MASTER_KEY (for the banner). */
  masterKeyFromEnv?: boolean;
  /** Extra authenticators tried after the master key (virtual keys). */
  authenticator?: Authenticator;
  interceptors?: RequestInterceptor[];
}

export interface Gateway {
  app: FastifyInstance;
  runtime: GatewayRuntime;
  masterKey: MasterKeyState;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, releases upstream sockets. */
  close(): Promise<void>;
}

/** Assembles a gateway from a loaded configuration. Nothing listens until `listen()`. */
export async function createGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const log = opts.log ?? createLogger();
  const masterKey = resolveMasterKey({ configured: config.masterKey, fromEnv: opts.masterKeyFromEnv ?? false, dataDir: config.dataDir });
  const registry = new ModelRegistry(config.deployments, config.accessGroups);
  const router = new Router({ registry, settings: config.router, protocolFor: getProtocol });
  const runtime: GatewayRuntime = {
    config,
    registry,
    router,
    auth: new MasterKeyAuthenticator(masterKey.hash, opts.authenticator),
    interceptors: opts.interceptors ?? [],
    log,
    startedAt: Date.now(),
    readinessChecks: [],
  };
  const app = buildApp(runtime);
  return {
    app,
    runtime,
    masterKey,
    async listen() {
      const address = await app.listen({ port: config.server.port, host: config.server.host });
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      await app.close();
      await closePools();
    },
  };
}
