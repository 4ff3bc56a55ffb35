import { buildTarget, listProviders, type ProviderEntry } from '../catalog/index.js';
import { defaultRouterSettings, type Deployment } from '../router/deployment.js';
import { extraInputsOf, firstEnv } from './build-deployment.js';
import { ConfigError } from './config-error.js';
import { DEFAULTS, mergeSettings, settingsFromEnv } from './env-settings.js';
import type { GatewayConfig } from './types.js';

/** Providers whose native model names are public as-is; every other provider's models are `<provider id>/<model>`. */
const BARE_NAME_PROVIDERS = new Set(['openai', 'anthropic', 'gemini']);

export function publicNameFor(entry: ProviderEntry, model: string): string {
  return BARE_NAME_PROVIDERS.has(entry.id) ? model : `${entry.id}/${model}`;
}

/**
 * Deployments for every catalog provider whose key variable is set: each of
 * its known models becomes one deployment. Key-less local servers have no
 * known models, so they need a config file.
 */
export function discoverDeployments(env: NodeJS.ProcessEnv): Deployment[] {
  const out: Deployment[] = [];
  for (const entry of listProviders()) {
    const apiKey = firstEnv(env, entry.envKeys);
    if (apiKey === undefined) continue;
    const apiBase = firstEnv(env, entry.envBaseUrl);
    for (const m of entry.models) {
      const publicModel = publicNameFor(entry, m.id);
      let target;
      try {
        const apiVersion = firstEnv(env, entry.envApiVersion);
        const { credentials, settings } = extraInputsOf(entry, {}, env);
        target = buildTarget(entry, {
          model: m.id,
          apiKey,
          ...(apiBase !== undefined && { apiBase }),
          ...(apiVersion !== undefined && { apiVersion }),
          ...(credentials !== undefined && { credentials }),
          ...(settings !== undefined && { settings }),
        });
      } catch (e) {
        const variable = entry.envBaseUrl?.find((n) => env[n] === apiBase) ?? 'base URL';
        throw new ConfigError('environment', [{ path: variable, message: e instanceof Error ? e.message : String(e) }]);
      }
      const d: Deployment = {
        id: `${publicModel}#1`,
        publicModel,
        provider: entry.id,
        protocol: entry.protocol,
        target,
        weight: 1,
        order: 1,
        tags: [],
        modelInfo: {},
        source: 'env',
      };
      if (m.mode !== undefined) d.modelInfo.mode = m.mode;
      if (m.contextWindow !== undefined) d.modelInfo.contextWindow = m.contextWindow;
      if (m.maxOutputTokens !== undefined) d.modelInfo.maxOutputTokens = m.maxOutputTokens;
      if (m.vision !== undefined) d.modelInfo.supportsVision = m.vision;
      if (m.tools !== undefined) d.modelInfo.supportsTools = m.tools;
      out.push(d);
    }
  }
  return out;
}

/** Start without a config file: settings and models from the environment, flags over both. */
export function configFromEnv(env: NodeJS.ProcessEnv, flags: { port?: number; host?: string } = {}): GatewayConfig {
  const s = mergeSettings({ port: flags.port, host: flags.host }, settingsFromEnv(env));
  const deployments = discoverDeployments(env);
  const warnings: string[] = [];
  if (deployments.length === 0) {
    // The first few by name; the full list (one per provider) is `switchyard providers`.
    const vars = listProviders().flatMap((e) => e.envKeys.slice(0, 1));
    const shown = vars.slice(0, 6).join(', ');
    warnings.push(`No models: no config file and none of ${shown}${vars.length > 6 ? ` or ${vars.length - 6} other provider key variables (see \`switchyard providers\`)` : ''} is set`);
  }
  const config: GatewayConfig = {
    source: { format: 'env' },
    server: {
      host: s.host ?? DEFAULTS.host,
      port: s.port ?? DEFAULTS.port,
      bodyLimitBytes: s.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes,
    },
    dataDir: s.dataDir ?? DEFAULTS.dataDir,
    deployments,
    router: defaultRouterSettings(),
    accounting: { unknownPrice: 'zero' },
    accessGroups: {},
    warnings,
  };
  if (s.masterKey !== undefined) config.masterKey = s.masterKey;
  if (s.databaseUrl !== undefined) config.databaseUrl = s.databaseUrl;
  if (s.corsOrigins !== undefined) config.server.corsOrigins = s.corsOrigins;
  return config;
}
