import {
  getProvider,
  inferProviderFromModel,
  isKnownUnsupportedLiteLLMPrefix,
  listProviders,
  providerForLiteLLMPrefix,
  type ProviderEntry,
} from '../../catalog/index.js';
import { assignIds, buildDeployment, collectAccessGroups, type DeploymentSpec } from '../build-deployment.js';
import { formatPath, type IssueCollector, type PathSegment } from '../config-error.js';
import { resolveEnvRefs } from '../env-refs.js';
import type { FileConfig } from '../file-config.js';
import { SERVED_MODES, toModelInfo } from '../model-info.js';
import { buildRouterSettings, unknownFallbackModels } from '../router-settings.js';
import { secondsToMs } from '../values.js';
import { addZodIssues } from '../zod-issues.js';
import { litellmConfigSchema, unsupportedLiteLLMKeys } from './schema.js';

type ProviderResolution =
  | { kind: 'ok'; entry: ProviderEntry; model: string; warning?: string }
  | { kind: 'unsupported'; prefix: string }
  | { kind: 'error'; message: string };

/** `provider/model` → catalog entry, the way LiteLLM reads `litellm_params.model`. */
export function resolveLiteLLMModel(model: string, customProvider?: string): ProviderResolution {
  if (customProvider !== undefined) {
    const entry = providerForLiteLLMPrefix(customProvider);
    if (!entry) {
      return isKnownUnsupportedLiteLLMPrefix(customProvider)
        ? { kind: 'unsupported', prefix: customProvider }
        : { kind: 'error', message: `unknown custom_llm_provider "${customProvider}"` };
    }
    const stripped = model.startsWith(`${customProvider}/`) ? model.slice(customProvider.length + 1) : model;
    return { kind: 'ok', entry, model: stripped };
  }
  const slash = model.indexOf('/');
  if (slash > 0) {
    const prefix = model.slice(0, slash);
    const rest = model.slice(slash + 1);
    const entry = providerForLiteLLMPrefix(prefix);
    if (entry) return rest === '' ? { kind: 'error', message: `"${model}" names no model after the provider` } : { kind: 'ok', entry, model: rest };
    if (isKnownUnsupportedLiteLLMPrefix(prefix)) return { kind: 'unsupported', prefix };
  }
  const inferred = inferProviderFromModel(model, listProviders());
  const entry = inferred === undefined ? undefined : getProvider(inferred);
  if (!entry) {
    const prefixes = listProviders().flatMap((e) => e.litellmPrefixes);
    return {
      kind: 'error',
      message: `cannot tell the provider of "${model}"; write it as <provider>/<model> with a provider among: ${prefixes.join(', ')}`,
    };
  }
  if (entry.id === 'gemini') {
    return {
      kind: 'ok',
      entry,
      model,
      warning: `"${model}" has no provider prefix: LiteLLM sends bare gemini-* names to Vertex AI, Switchyard calls Google AI Studio; write gemini/${model} to say so`,
    };
  }
  return { kind: 'ok', entry, model };
}

/** LiteLLM config.yaml (already parsed) → the file's share of the gateway config. */
/** `litellm_params` names an entry declares in `extraInputs` (aws_region_name, vertex_project, …) into target slots. */
function extraParams(entry: ProviderEntry, p: Record<string, unknown>): Pick<DeploymentSpec, 'credentials' | 'settings'> {
  const out: Pick<DeploymentSpec, 'credentials' | 'settings'> = {};
  for (const input of entry.extraInputs ?? []) {
    for (const name of input.litellmParams) {
      const v = p[name];
      if (v === undefined || v === null || v === '') continue;
      // A service-account key may be written inline as a YAML mapping.
      (out[input.slot] ??= {})[input.key] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      break;
    }
  }
  return out;
}

/** Every `litellm_params` name some provider reads, for the unsupported-keys warning. */
export function extraParamNamesFor(model: unknown, customProvider: unknown): string[] {
  if (typeof model !== 'string') return [];
  const r = resolveLiteLLMModel(model, typeof customProvider === 'string' ? customProvider : undefined);
  return r.kind === 'ok' ? (r.entry.extraInputs ?? []).flatMap((i) => i.litellmParams) : [];
}

export function loadLiteLLM(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, issues: IssueCollector): FileConfig {
  const warnings: string[] = [];
  const unsupported = unsupportedLiteLLMKeys(raw, extraParamNamesFor);

  // LiteLLM exports environment_variables before reading the rest; they win over the process's.
  const fileEnv: NodeJS.ProcessEnv = { ...env };
  const ev = raw.environment_variables;
  if (ev !== null && typeof ev === 'object' && !Array.isArray(ev)) {
    for (const [k, v] of Object.entries(ev)) if (['string', 'number', 'boolean'].includes(typeof v)) fileEnv[k] = String(v);
  }

  const { value, missing } = resolveEnvRefs(raw, fileEnv, false);
  const reported = new Set<string>();
  for (const ref of missing) {
    if (isKeyOfKeylessProvider(raw, ref.path) || isUnder(formatPath(ref.path), unsupported)) continue;
    issues.add(ref.path, `environment variable ${ref.name} is not set (referenced as ${ref.written})`);
    reported.add(formatPath(ref.path));
  }

  const parsed = litellmConfigSchema.safeParse(value);
  if (!parsed.success) {
    addZodIssues(parsed.error, issues, reported);
    issues.throwIfAny();
    throw new Error('unreachable: schema failed without issues');
  }
  issues.throwIfAny();
  const cfg = parsed.data;

  const specs: DeploymentSpec[] = [];
  const skipped: string[] = [];
  (cfg.model_list ?? []).forEach((m, i) => {
    const at: PathSegment[] = ['model_list', i];
    const paramsAt: PathSegment[] = [...at, 'litellm_params'];
    const p = m.litellm_params;
    const r = resolveLiteLLMModel(p.model, p.custom_llm_provider);
    if (r.kind === 'error') return issues.add([...paramsAt, p.custom_llm_provider ? 'custom_llm_provider' : 'model'], r.message);
    if (r.kind === 'unsupported') return void skipped.push(`${formatPath(at)} (${p.model}: provider "${r.prefix}")`);
    if (r.warning) warnings.push(`${formatPath([...paramsAt, 'model'])}: ${r.warning}`);
    const mode = m.model_info?.mode;
    if (mode !== undefined && !(SERVED_MODES as readonly string[]).includes(mode)) {
      return void skipped.push(`${formatPath(at)} (${p.model}: mode "${mode}")`);
    }
    const headers = p.extra_headers || p.headers ? { ...p.headers, ...p.extra_headers } : undefined;
    specs.push({
      at,
      paramsAt,
      publicModel: m.model_name,
      provider: r.entry,
      model: r.model,
      id: m.model_info?.id,
      apiBase: p.api_base ?? p.aws_bedrock_runtime_endpoint,
      apiKey: p.api_key === '' ? undefined : p.api_key,
      apiVersion: p.api_version,
      weight: p.weight,
      order: p.order,
      rpm: p.rpm,
      tpm: p.tpm,
      timeoutMs: secondsToMs(p.timeout),
      streamTimeoutMs: secondsToMs(p.stream_timeout),
      tags: p.tags,
      headers,
      accessGroups: m.model_info?.access_groups,
      modelInfo: toModelInfo(m.model_info ?? undefined, { input: p.input_cost_per_token, output: p.output_cost_per_token }),
      ...extraParams(r.entry, p as Record<string, unknown>),
    });
  });

  const built = specs.flatMap((spec) => {
    const d = buildDeployment(spec, { env: fileEnv, issues, warnings, missingKey: 'warn', source: 'config' });
    return d ? [{ d, at: spec.at }] : [];
  });
  const deployments = assignIds(built, issues, ['model_info', 'id']);
  issues.throwIfAny();

  const ls = cfg.litellm_settings ?? undefined;
  const rs = cfg.router_settings ?? undefined;
  const router = buildRouterSettings(
    ls && { ...ls, timeout: ls.request_timeout },
    rs && { ...rs, strategy: rs.routing_strategy },
  );
  const names = new Set(deployments.map((d) => d.publicModel));
  const unknown = unknownFallbackModels(router, names, ['router_settings']);
  if (unknown.length > 0) warnings.push(`Fallbacks name models no deployment serves: ${unknown.join('; ')}`);
  if (skipped.length > 0) {
    warnings.push(`Skipped ${skipped.length} deployment(s) Switchyard cannot serve yet: ${skipped.join('; ')}`);
  }
  if (unsupported.length > 0) {
    warnings.unshift(`Ignored LiteLLM settings Switchyard does not support yet: ${unsupported.join(', ')}`);
  }

  const gs = cfg.general_settings ?? undefined;
  return {
    format: 'litellm',
    settings: { masterKey: gs?.master_key, databaseUrl: gs?.database_url },
    env: fileEnv,
    deployments,
    router,
    accessGroups: collectAccessGroups(specs),
    warnings,
  };
}

/** An ignored key's value need not resolve: it is reported as unsupported instead. */
function isUnder(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/** `model_list[i].litellm_params.api_key` of a provider that runs without a key: an unset variable just means no key. */
function isKeyOfKeylessProvider(raw: Record<string, unknown>, path: PathSegment[]): boolean {
  const [list, i, params, field] = path;
  if (list !== 'model_list' || typeof i !== 'number' || params !== 'litellm_params' || field !== 'api_key' || path.length !== 4) {
    return false;
  }
  const entry = Array.isArray(raw.model_list) ? (raw.model_list[i] as { litellm_params?: Record<string, unknown> } | undefined) : undefined;
  const p = entry?.litellm_params;
  if (typeof p?.model !== 'string') return false;
  const custom = typeof p.custom_llm_provider === 'string' ? p.custom_llm_provider : undefined;
  const r = resolveLiteLLMModel(p.model, custom);
  return r.kind === 'ok' && !r.entry.keyRequired;
}
