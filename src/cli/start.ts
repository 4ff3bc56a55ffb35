import { loadConfig } from '../config/load-config.js';
import { createGateway } from '../server/gateway.js';
import { createLogger } from '../server/log.js';
import { startBanner } from './banner.js';
import { VERSION } from './version.js';

export interface StartFlags {
  config?: string;
  port?: number;
  host?: string;
}

/** `switchyard [--config FILE] [--port N] [--host H]`: load, listen, print the banner, shut down gracefully. */
export async function start(flags: StartFlags): Promise<void> {
  const log = createLogger();
  const config = await loadConfig({ path: flags.config, env: process.env, port: flags.port, host: flags.host });
  if (config.warnings.length > 0) {
    process.stderr.write(`\nConfiguration warnings (nothing is ignored silently):\n${config.warnings.map((w: string) => `  - ${w}`).join('\n')}\n`);
  }
  const gateway = await createGateway(config, { log, masterKeyFromEnv: !config.source.path && !!process.env.SWITCHYARD_MASTER_KEY, accessLog: ['1', 'true', 'yes'].includes((process.env.SWITCHYARD_ACCESS_LOG ?? '').toLowerCase()) });
  const url = await gateway.listen();
  const shown = url.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  for (const notice of gateway.accounts.notices) process.stderr.write(`\n  NOTE: ${notice}\n`);
  process.stdout.write(startBanner({ url: shown, version: VERSION, config, masterKey: gateway.masterKey, databaseLabel: config.databaseUrl ? redactUrl(config.databaseUrl) : `SQLite (${config.dataDir}/switchyard.db)`, ...(gateway.bootstrapAdmin ? { bootstrapAdmin: gateway.bootstrapAdmin } : {}) }) + '\n');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    // Let in-flight requests finish (and their ledger rows flush), but never hang forever.
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { message: (err as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** user:password@ never appears in output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(database URL)';
  }
}
