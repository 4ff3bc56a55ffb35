import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { migrateCommand } from './migrate-command.js';
import { providersTable } from './providers-command.js';
import { start } from './start.js';
import { VERSION } from './version.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

/** The `switchyard` command line (LiteLLM-style flags for the server). */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('switchyard')
    .description('An OpenAI-compatible gateway in front of every LLM provider')
    .version(VERSION)
    .option('-c, --config <file>', 'config file (native or LiteLLM config.yaml)')
    .option('-p, --port <port>', 'port to listen on (default 4000 or $PORT)', port)
    .option('--host <host>', 'address to bind (default $HOST or 0.0.0.0)')
    .action(async (opts: { config?: string; port?: number; host?: string }) => start(opts));

  program
    .command('migrate')
    .description('bring the database up to date (the gateway also does this at start)')
    .option('-c, --config <file>', 'config file naming the database (default: $DATABASE_URL or SQLite under ./data)')
    .action(async (opts: { config?: string }) => migrateCommand(opts));

  program
    .command('providers')
    .description('list the providers Switchyard knows')
    .action(() => {
      process.stdout.write(providersTable() + '\n');
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchyard: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
