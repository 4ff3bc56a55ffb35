import type { GatewayConfig } from '../config/types.js';
import type { MasterKeyState } from '../server/auth/master-key.js';

/**
 * What a person sees at start: where the gateway is, what it serves, how to
 * authenticate, and how to add more. The generated master key appears here
 * once and never again.
 */
export function startBanner(opts: { url: string; version: string; config: GatewayConfig; masterKey: MasterKeyState; databaseLabel: string; bootstrapAdmin?: { username: string; password: string } }): string {
  const { url, config, masterKey } = opts;
  const models = [...new Set(config.deployments.map((d) => d.publicModel))].sort();
  const lines: string[] = [];
  lines.push('', `  Switchyard ${opts.version} is running`, '');
  lines.push(`  API (OpenAI-compatible):   ${url}/v1`);
  lines.push(`  Anthropic / other SDKs:    set their base URL to ${url}`);
  lines.push(`  Admin API and its docs:    ${url}/admin/docs  (the web dashboard comes in a later release)`);
  lines.push(`  Health:                    ${url}/health/readiness`);
  lines.push(`  Database:                  ${opts.databaseLabel}`);
  lines.push(`  Config:                    ${config.source.path ? `${config.source.path} (${config.source.format})` : 'none (environment only)'}`);
  lines.push('');
  if (masterKey.generated) {
    lines.push('  ┌──────────────────────────────────────────────────────────────────────────');
    lines.push('  │ A master key was generated for this gateway. It is shown ONCE — store it now.');
    lines.push(`  │   ${masterKey.generated}`);
    lines.push('  │ Sign in with it: "Authorization: Bearer <key>" on the API and the admin API.');
    lines.push(`  │ Only its hash was kept (${config.dataDir}/master-key.json). Set SWITCHYARD_MASTER_KEY to choose your own.`);
    lines.push('  └──────────────────────────────────────────────────────────────────────────');
  } else {
    const from = masterKey.source === 'env' ? 'SWITCHYARD_MASTER_KEY' : masterKey.source === 'config' ? 'the config file' : `the key generated on first start (hash in ${config.dataDir}/master-key.json)`;
    lines.push(`  Sign in with the master key from ${from}: "Authorization: Bearer <key>".`);
  }
  if (opts.bootstrapAdmin) {
    lines.push('');
    lines.push(`  An admin user was created for the admin API and UI (${url}/admin/docs). Its password is shown ONCE:`);
    lines.push(`    username: ${opts.bootstrapAdmin.username}`);
    lines.push(`    password: ${opts.bootstrapAdmin.password}`);
    lines.push('  Sign in with POST /admin/auth/login (or use the master key); change it with PUT /admin/users/{id}/password.');
  }
  lines.push('');
  if (models.length === 0) {
    lines.push('  No models configured yet. To add some:');
  } else {
    lines.push(`  Models (${models.length}): ${models.slice(0, 12).join(', ')}${models.length > 12 ? `, … (+${models.length - 12})` : ''}`);
    lines.push('  To add more:');
  }
  lines.push('    • set a provider key and restart: OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, DEEPSEEK_API_KEY, …');
  lines.push('    • or start with a config: switchyard --config config.yaml  (LiteLLM config.yaml files work as they are)');
  lines.push('    • list providers: switchyard providers');
  lines.push('');
  lines.push(`  Try it:  curl ${url}/v1/models -H "Authorization: Bearer <master key>"`);
  lines.push('');
  return lines.join('\n');
}
