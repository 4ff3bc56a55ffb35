import { Pool } from 'undici';

/**
 * One keep-alive undici Pool per upstream origin, shared by every protocol.
 * `Pool.request`/`Pool.stream` are several times cheaper than `fetch` here,
 * and reusing sockets avoids a TCP (and TLS) handshake per call.
 */
const pools = new Map<string, Pool>();

export interface PoolSettings {
  connections: number;
  keepAliveTimeoutMs: number;
  /** Time allowed to open a connection (TCP + TLS); undici's default (10 s) when absent. */
  connectTimeoutMs?: number;
}

const settings: PoolSettings = { connections: 256, keepAliveTimeoutMs: 60_000 };

/** Adjusts defaults for pools created after the call (set once at start-up). */
export function configurePools(next: Partial<PoolSettings>): void {
  Object.assign(settings, next);
}

export function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (pool === undefined) {
    pool = new Pool(origin, {
      connections: settings.connections,
      pipelining: 1,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      keepAliveMaxTimeout: 10 * settings.keepAliveTimeoutMs,
      // Timeouts are enforced per request by the caller (they differ per deployment).
      headersTimeout: 0,
      bodyTimeout: 0,
      ...(settings.connectTimeoutMs !== undefined && { connect: { timeout: settings.connectTimeoutMs } }),
    });
    pools.set(origin, pool);
  }
  return pool;
}

/** Closes every pool (graceful shutdown, tests). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((p) => p.close()));
}
