import { getProvider, listProviders } from '../../catalog/index.js';
import { assignIds, buildDeployment, collectAccessGroups, type DeploymentSpec } from '../build-deployment.js';
import { formatPath, type IssueCollector, type PathSegment } from '../config-error.js';
import { resolveEnvRefs } from '../env-refs.js';
import type { FileConfig } from '../file-config.js';
import { SERVED_MODES, toModelInfo } from '../model-info.js';
import { buildRouterSettings, unknownFallbackModels } from '../router-settings.js';
import { secondsToMs } from '../values.js';
import { addZodIssues } from '../zod-issues.js';
import { parseCorsOrigins } from '../../server/security/cors-origins.js';
import { nativeConfigSchema, nativeDeploymentSchema, type NativeDeployment } from './schema.js';

/** Native YAML (already parsed) → the file's share of the gateway config. */
export function loadNative(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, issues: IssueCollector): FileConfig {
  const warnings: string[] = [];
  const { value, missing } = resolveEnvRefs(raw, env, true);
  const reported = new Set<string>();
  for (const ref of missing) {
    if (isKeyOfKeylessProvider(raw, ref.path)) continue;
    issues.add(ref.path, `environment variable ${ref.name} is not set (referenced as ${ref.written})`);
    reported.add(formatPath(ref.path));
  }
  const parsed = nativeConfigSchema.safeParse(value);
  if (!parsed.success) addZodIssues(parsed.error, issues, reported);
  issues.throwIfAny();
  if (!parsed.success) throw new Error('unreachable: schema failed without issues');
  const cfg = parsed.data;

  const specs: DeploymentSpec[] = [];
  for (const [publicModel, entries] of Object.entries(cfg.models ?? {})) {
    const list: unknown[] = Array.isArray(entries) ? entries : [entries];
    if (list.length === 0) issues.add(['models', publicModel], 'lists no deployments');
    list.forEach((raw, i) => {
      const at: PathSegment[] = Array.isArray(entries) ? ['models', publicModel, i] : ['models', publicModel];
      const d = nativeDeploymentSchema.safeParse(raw);
      if (!d.success) return addZodIssues(d.error, issues, reported, at);
      const spec = toSpec(publicModel, d.data, at, issues);
      if (spec) specs.push(spec);
    });
  }
  issues.throwIfAny();
  const built = specs.flatMap((spec) => {
    const d = buildDeployment(spec, { env, issues, warnings, missingKey: 'error', source: 'config' });
    return d ? [{ d, at: spec.at }] : [];
  });
  const deployments = assignIds(built, issues, ['id']);
  const cors = cfg.server?.cors_origins === undefined ? undefined : parseCorsOrigins(cfg.server.cors_origins);
  if (cors !== undefined && !cors.ok) issues.add(['server', 'cors_origins'], cors.message);
  issues.throwIfAny();

  const router = buildRouterSettings(cfg.router);
  const unknown = unknownFallbackModels(router, new Set(deployments.map((d) => d.publicModel)), ['router']);
  if (unknown.length > 0) warnings.push(`Fallbacks name models no deployment serves: ${unknown.join('; ')}`);

  const out: FileConfig = {
    format: 'native',
    settings: {
      host: cfg.server?.host,
      port: cfg.server?.port,
      bodyLimitBytes: cfg.server?.body_limit,
      corsOrigins: cors?.ok ? cors.origins : undefined,
      masterKey: cfg.master_key,
      databaseUrl: cfg.database_url,
      dataDir: cfg.data_dir,
    },
    env,
    deployments,
    router,
    accessGroups: collectAccessGroups(specs),
    warnings,
  };
  if (cfg.accounting?.unknown_price) out.accounting = { unknownPrice: cfg.accounting.unknown_price };
  return out;
}

function toSpec(publicModel: string, d: NativeDeployment, at: PathSegment[], issues: IssueCollector): DeploymentSpec | undefined {
  const entry = getProvider(d.provider);
  if (!entry) {
    issues.add([...at, 'provider'], `unknown provider "${d.provider}"; known: ${listProviders().map((e) => e.id).join(', ')}`);
    return undefined;
  }
  const mode = d.model_info?.mode;
  if (mode !== undefined && !(SERVED_MODES as readonly string[]).includes(mode)) {
    issues.add([...at, 'model_info', 'mode'], `mode "${mode}" is not served; use one of: ${SERVED_MODES.join(', ')}`);
    return undefined;
  }
  for (const slot of ['settings', 'credentials'] as const) {
    const known = new Set((entry.extraInputs ?? []).filter((i) => i.slot === slot).map((i) => i.key));
    for (const key of Object.keys(d[slot] ?? {})) {
      if (!known.has(key)) {
        issues.add([...at, slot, key], known.size > 0 ? `provider "${entry.id}" takes no ${slot} "${key}"; it takes: ${[...known].join(', ')}` : `provider "${entry.id}" takes no ${slot}`);
        return undefined;
      }
    }
  }
  if (d.model_info?.id !== undefined && d.id !== undefined && d.model_info.id !== d.id) {
    issues.add([...at, 'model_info', 'id'], `differs from id "${d.id}"; give the id once`);
    return undefined;
  }
  return {
    at,
    paramsAt: at,
    publicModel,
    provider: entry,
    model: d.model,
    id: d.id ?? d.model_info?.id,
    apiBase: d.api_base,
    apiKey: d.api_key === '' ? undefined : d.api_key,
    apiVersion: d.api_version,
    weight: d.weight,
    order: d.order,
    rpm: d.rpm,
    tpm: d.tpm,
    timeoutMs: secondsToMs(d.timeout),
    streamTimeoutMs: secondsToMs(d.stream_timeout),
    tags: d.tags,
    headers: d.headers,
    accessGroups: d.model_info?.access_groups,
    modelInfo: toModelInfo(d.model_info),
    providerOptions: d.options,
    credentials: d.credentials,
    settings: d.settings,
  };
}

/** `models.<name>[i].api_key` (or `models.<name>.api_key`) of a provider that runs without a key. */
function isKeyOfKeylessProvider(raw: Record<string, unknown>, path: PathSegment[]): boolean {
  if (path[0] !== 'models' || path[path.length - 1] !== 'api_key') return false;
  let node: unknown = raw;
  for (const seg of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[seg];
  }
  const provider = (node as { provider?: unknown } | undefined)?.provider;
  if (typeof provider !== 'string') return false;
  const entry = getProvider(provider);
  return entry !== undefined && !entry.keyRequired;
}
