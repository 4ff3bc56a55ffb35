import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, IssueCollector, type PathSegment } from './config-error.js';
import { configFromEnv } from './config-from-env.js';
import { DEFAULTS, mergeSettings, settingsFromEnv } from './env-settings.js';
import type { FileConfig } from './file-config.js';
import { loadLiteLLM } from './litellm/load-litellm.js';
import { loadNative } from './native/load-native.js';
import type { GatewayConfig } from './types.js';

export interface LoadConfigOptions {
  /** YAML file (native or LiteLLM format); without one, the environment alone configures the gateway. */
  path?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** CLI flags: override file and environment. */
  port?: number;
  host?: string;
}

/**
 * Loads, validates and resolves the configuration. Synchronous on purpose: it
 * runs once at start, before anything listens. Throws ConfigError naming the
 * file, the path inside it and the problem. Precedence for server settings:
 * CLI flags, then the file, then the environment, then defaults.
 */
export function loadConfig(opts: LoadConfigOptions = {}): GatewayConfig {
  const env = opts.env ?? process.env;
  const flags = { ...(opts.port !== undefined && { port: opts.port }), ...(opts.host !== undefined && { host: opts.host }) };
  if (opts.path === undefined) return configFromEnv(env, flags);
  let text: string;
  try {
    text = readFileSync(opts.path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(opts.path, [{ path: '', message: `cannot read the file (${code ?? String(e)})` }]);
  }
  return parseConfigText(text, { ...opts, path: opts.path, env });
}

/** Same as loadConfig for YAML already in memory; `path` only names it in messages. */
export function parseConfigText(text: string, opts: LoadConfigOptions & { path: string }): GatewayConfig {
  const env = opts.env ?? process.env;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      opts.path,
      doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line;
        const message = `invalid YAML: ${e.message.split('\n')[0] ?? e.message}`;
        return line === undefined ? { path: '', message } : { path: '', message, line };
      }),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 1000 });
  const issues = new IssueCollector(opts.path, (p) => lineOf(doc, lineCounter, p));
  if (raw === null || raw === undefined) throw new ConfigError(opts.path, [{ path: '', message: 'the file is empty' }]);
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(opts.path, [{ path: '', message: 'the top level must be a mapping of settings' }]);
  }
  const record = raw as Record<string, unknown>;
  const format = detectFormat(record, opts.path);
  const file = format === 'litellm' ? loadLiteLLM(record, env, issues) : loadNative(record, env, issues);
  return assemble(file, opts);
}

const LITELLM_KEYS = ['model_list', 'general_settings', 'router_settings', 'litellm_settings', 'environment_variables'];
const NATIVE_KEYS = ['server', 'models', 'router', 'master_key', 'database_url', 'data_dir', 'accounting'];

/** LiteLLM's section names are distinctive; a file using both vocabularies is refused rather than guessed. */
export function detectFormat(raw: Record<string, unknown>, path: string): 'litellm' | 'native' {
  const keys = Object.keys(raw);
  const lite = keys.filter((k) => LITELLM_KEYS.includes(k));
  const native = keys.filter((k) => NATIVE_KEYS.includes(k));
  if (lite.length > 0 && native.length > 0) {
    throw new ConfigError(path, [
      { path: '', message: `mixes LiteLLM sections (${lite.join(', ')}) with native ones (${native.join(', ')}); use one format` },
    ]);
  }
  return lite.length > 0 ? 'litellm' : 'native';
}

function assemble(file: FileConfig, opts: LoadConfigOptions & { path: string }): GatewayConfig {
  const flags = { port: opts.port, host: opts.host };
  const s = mergeSettings(flags, file.settings, settingsFromEnv(file.env));
  const warnings = [...file.warnings];
  if (file.deployments.length === 0) warnings.push(`${opts.path} defines no models`);
  const config: GatewayConfig = {
    source: { format: file.format, path: opts.path },
    server: {
      host: s.host ?? DEFAULTS.host,
      port: s.port ?? DEFAULTS.port,
      bodyLimitBytes: s.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes,
    },
    dataDir: s.dataDir ?? DEFAULTS.dataDir,
    deployments: file.deployments,
    router: file.router,
    // LiteLLM serves models it cannot price at zero cost; keep that unless the file says otherwise.
    accounting: file.accounting ?? { unknownPrice: 'zero' },
    accessGroups: file.accessGroups,
    warnings,
  };
  if (s.masterKey !== undefined) config.masterKey = s.masterKey;
  if (s.databaseUrl !== undefined) config.databaseUrl = s.databaseUrl;
  if (s.corsOrigins !== undefined) config.server.corsOrigins = s.corsOrigins;
  return config;
}

/** Line of the deepest existing node on the path, so a missing key points at its parent. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PathSegment[]): number | undefined {
  for (let n = path.length; n >= 1; n--) {
    const node: unknown = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
