import type { FastifyInstance } from 'fastify';
import type { GatewayRuntime } from '../runtime.js';

/**
 * Liveness and readiness for orchestrators. No key needed (probes carry
 * none) and nothing sensitive in the answers.
 */
export function registerHealthRoutes(app: FastifyInstance, rt: GatewayRuntime): void {
  app.get('/health/liveliness', async () => "I'm alive!");
  app.get('/health/liveness', async () => "I'm alive!");
  app.get('/health/readiness', async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    for (const c of rt.readinessChecks) {
      try {
        await c.check();
        checks[c.name] = 'ok';
      } catch (err) {
        ok = false;
        checks[c.name] = `failing: ${(err as Error).message}`;
      }
    }
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'healthy' : 'unhealthy', models: rt.registry.publicModels().length, checks });
  });
}
