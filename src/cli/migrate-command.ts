import { loadConfig } from '../config/load-config.js';
import { migrate, openDatabase } from '../store/index.js';
import { redactUrl } from './start.js';

/**
 * `switchyard migrate [--config FILE]`: brings the database the gateway
 * would use up to date and says what it did. The gateway also migrates at
 * start; this is for deploy pipelines that migrate first.
 */
export async function migrateCommand(flags: { config?: string }): Promise<void> {
  const config = loadConfig({ path: flags.config, env: process.env });
  const label = config.databaseUrl ? redactUrl(config.databaseUrl) : `SQLite (${config.dataDir}/switchyard.db)`;
  const database = await openDatabase(config.databaseUrl, { dataDir: config.dataDir });
  try {
    const result = await migrate(database);
    process.stdout.write(result.applied.length > 0 ? `Applied ${result.applied.length} migration(s) to ${label}: ${result.applied.join(', ')}\n` : `${label} is up to date.\n`);
  } finally {
    await database.close();
  }
}
