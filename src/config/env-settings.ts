import { ConfigError, type ConfigIssue } from './config-error.js';
import { parseCorsOrigins } from '../server/security/cors-origins.js';
import { parseByteSize } from './values.js';

/** Defaults when neither flags, file nor environment say (LiteLLM's proxy also listens on 4000). */
export const DEFAULTS = {
  host: '0.0.0.0',
  port: 4000,
  dataDir: './data',
  bodyLimitBytes: 10 * 1024 * 1024,
} as const;

/** Server-wide settings a file may also give; every field optional so layers can be merged. */
export interface SettingsLayer {
  host?: string | undefined;
  port?: number | undefined;
  bodyLimitBytes?: number | undefined;
  masterKey?: string | undefined;
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  corsOrigins?: string[] | undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

export function parsePort(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65_535 ? n : undefined;
}

/**
 * SWITCHYARD_MASTER_KEY (or LiteLLM's LITELLM_MASTER_KEY), DATABASE_URL,
 * PORT, HOST, SWITCHYARD_DATA_DIR, SWITCHYARD_BODY_LIMIT and SWITCHYARD_CORS_ORIGINS. Unreadable values
 * fail naming the variable rather than falling back silently.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv): SettingsLayer {
  const issues: ConfigIssue[] = [];
  const out: SettingsLayer = {};
  const masterKey = nonEmpty(env.SWITCHYARD_MASTER_KEY) ?? nonEmpty(env.LITELLM_MASTER_KEY);
  if (masterKey !== undefined) out.masterKey = masterKey;
  const db = nonEmpty(env.DATABASE_URL);
  if (db !== undefined) out.databaseUrl = db;
  const host = nonEmpty(env.HOST);
  if (host !== undefined) out.host = host;
  const dataDir = nonEmpty(env.SWITCHYARD_DATA_DIR);
  if (dataDir !== undefined) out.dataDir = dataDir;
  if (nonEmpty(env.PORT) !== undefined) {
    const port = parsePort(env.PORT);
    if (port === undefined) issues.push({ path: 'PORT', message: `"${env.PORT}" is not a port number (0-65535)` });
    else out.port = port;
  }
  if (nonEmpty(env.SWITCHYARD_BODY_LIMIT) !== undefined) {
    const limit = parseByteSize(env.SWITCHYARD_BODY_LIMIT);
    if (limit === undefined) {
      issues.push({ path: 'SWITCHYARD_BODY_LIMIT', message: `"${env.SWITCHYARD_BODY_LIMIT}" is not a size (bytes, or like "10mb")` });
    } else out.bodyLimitBytes = limit;
  }
  if (nonEmpty(env.SWITCHYARD_CORS_ORIGINS) !== undefined) {
    const cors = parseCorsOrigins(env.SWITCHYARD_CORS_ORIGINS as string);
    if (cors.ok) out.corsOrigins = cors.origins;
    else issues.push({ path: 'SWITCHYARD_CORS_ORIGINS', message: cors.message });
  }
  if (issues.length > 0) throw new ConfigError('environment', issues);
  return out;
}

/** First layer that sets a field wins: callers pass flags, then file, then environment. */
export function mergeSettings(...layers: SettingsLayer[]): SettingsLayer {
  const out: SettingsLayer = {};
  for (const layer of [...layers].reverse()) {
    for (const [k, v] of Object.entries(layer) as Array<[keyof SettingsLayer, SettingsLayer[keyof SettingsLayer]]>) {
      if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}
