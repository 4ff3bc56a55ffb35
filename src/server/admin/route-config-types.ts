import type { GatewayError } from '../../spec/index.js';

/**
 * Importing @fastify/swagger gives Fastify's route `config` its first
 * declared fields, and TypeScript then refuses configs sharing none of them.
 * Declaring the one field the app's error handler already reads from route
 * config (a route's own error renderer) keeps those routes type-checking.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    renderError?: (e: GatewayError) => Record<string, unknown>;
  }
}

export {};
