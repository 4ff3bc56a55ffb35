import { buildTarget, findCatalogModel, type ProviderEntry } from '../catalog/index.js';
import type { Deployment, ModelInfo } from '../router/deployment.js';
import type { IssueCollector, PathSegment } from './config-error.js';
import { formatPath } from './config-error.js';

/** One deployment as either file format describes it, already validated and env-resolved. */
export interface DeploymentSpec {
  /** Where the deployment is written (for messages), e.g. ["model_list", 2]. */
  at: PathSegment[];
  /** Where its connection fields live: `litellm_params` for LiteLLM, the entry itself for native. */
  paramsAt: PathSegment[];
  publicModel: string;
  provider: ProviderEntry;
  model: string;
  id?: string | undefined;
  apiBase?: string | undefined;
  apiKey?: string | undefined;
  apiVersion?: string | undefined;
  weight?: number | undefined;
  order?: number | undefined;
  rpm?: number | undefined;
  tpm?: number | undefined;
  timeoutMs?: number | undefined;
  streamTimeoutMs?: number | undefined;
  tags?: string[] | undefined;
  headers?: Record<string, string> | undefined;
  accessGroups?: string[] | undefined;
  modelInfo: ModelInfo;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  /** Provider inputs beyond the key, by the entry's `extraInputs` keys (AWS secret, Vertex project …). */
  credentials?: Record<string, string> | undefined;
  settings?: Record<string, string> | undefined;
}

export interface BuildContext {
  env: NodeJS.ProcessEnv;
  issues: IssueCollector;
  warnings: string[];
  /** What a missing key for a provider that needs one is: LiteLLM starts anyway, the native format refuses. */
  missingKey: 'warn' | 'error';
  source: Deployment['source'];
}

export function firstEnv(env: NodeJS.ProcessEnv, names: readonly string[] | undefined): string | undefined {
  for (const n of names ?? []) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** A Deployment without its id (ids are assigned once all are known), or undefined after recording an issue. */
export function buildDeployment(spec: DeploymentSpec, ctx: BuildContext): Omit<Deployment, 'id'> & { id?: string } | undefined {
  const entry = spec.provider;
  // Like LiteLLM, fall back to the provider's own environment variables.
  const apiKey = spec.apiKey ?? firstEnv(ctx.env, entry.envKeys);
  const apiBase = spec.apiBase ?? firstEnv(ctx.env, entry.envBaseUrl);
  const { credentials, settings } = extraInputsOf(entry, spec, ctx.env);
  const apiVersion = spec.apiVersion ?? firstEnv(ctx.env, entry.envApiVersion);
  // A self-hosted base (explicit api_base) often needs no key, and providers signing with other
  // credentials (AWS keys, a service account) need none either; only the default host is checked.
  if (apiKey === undefined && entry.keyRequired && spec.apiBase === undefined && credentials === undefined) {
    const vars = entry.envKeys.join(' or ');
    const msg = `provider "${entry.id}" needs an API key: set api_key${vars ? ` or ${vars}` : ''}`;
    if (ctx.missingKey === 'error') ctx.issues.add([...spec.paramsAt, 'api_key'], msg);
    else ctx.warnings.push(`${formatPath(spec.at)} (${spec.publicModel}): ${msg}; calls will be refused upstream`);
    if (ctx.missingKey === 'error') return undefined;
  }
  let target;
  try {
    target = buildTarget(entry, {
      model: spec.model,
      ...(apiBase !== undefined && { apiBase }),
      ...(apiKey !== undefined && { apiKey }),
      ...(apiVersion !== undefined && { apiVersion }),
      ...(spec.timeoutMs !== undefined && { timeoutMs: spec.timeoutMs }),
      ...(spec.streamTimeoutMs !== undefined && { streamTimeoutMs: spec.streamTimeoutMs }),
      ...(spec.headers !== undefined && { headers: spec.headers }),
      ...(credentials !== undefined && { credentials }),
      ...(settings !== undefined && { settings }),
    });
  } catch (e) {
    ctx.issues.add([...spec.paramsAt, 'api_base'], e instanceof Error ? e.message : String(e));
    return undefined;
  }
  const d: Omit<Deployment, 'id'> & { id?: string } = {
    publicModel: spec.publicModel,
    provider: entry.id,
    protocol: entry.protocol,
    target,
    weight: spec.weight ?? 1,
    order: spec.order ?? 1,
    tags: spec.tags ?? [],
    modelInfo: withCatalogFacts(spec.modelInfo, entry, spec.model),
    source: ctx.source,
  };
  if (spec.id !== undefined) d.id = spec.id;
  if (spec.rpm !== undefined) d.rpm = spec.rpm;
  if (spec.tpm !== undefined) d.tpm = spec.tpm;
  if (spec.providerOptions !== undefined) d.providerOptions = spec.providerOptions;
  return d;
}

/** Fills what the config left out from the catalog; the config always wins. */
function withCatalogFacts(info: ModelInfo, entry: ProviderEntry, model: string): ModelInfo {
  const known = findCatalogModel(entry, model);
  if (!known) return info;
  const out: ModelInfo = { ...info };
  if (out.mode === undefined && known.mode !== undefined) out.mode = known.mode;
  if (out.contextWindow === undefined && known.contextWindow !== undefined) out.contextWindow = known.contextWindow;
  if (out.maxOutputTokens === undefined && known.maxOutputTokens !== undefined) out.maxOutputTokens = known.maxOutputTokens;
  if (out.supportsVision === undefined && known.vision !== undefined) out.supportsVision = known.vision;
  if (out.supportsTools === undefined && known.tools !== undefined) out.supportsTools = known.tools;
  return out;
}

/**
 * Gives every deployment its id (config-given, else `<public model>#<n>`
 * counting from 1 within the model group, stable across restarts while the
 * file's order holds) and refuses duplicates.
 */
export function assignIds(
  built: Array<{ d: Omit<Deployment, 'id'> & { id?: string }; at: PathSegment[] }>,
  issues: IssueCollector,
  idField: PathSegment[],
): Deployment[] {
  const perModel = new Map<string, number>();
  const seen = new Map<string, string>();
  const out: Deployment[] = [];
  for (const { d, at } of built) {
    const n = (perModel.get(d.publicModel) ?? 0) + 1;
    perModel.set(d.publicModel, n);
    const id = d.id ?? `${d.publicModel}#${n}`;
    const prior = seen.get(id);
    if (prior !== undefined) {
      issues.add([...at, ...idField], `deployment id "${id}" is already used by ${prior}`);
      continue;
    }
    seen.set(id, formatPath(at));
    out.push({ ...d, id });
  }
  return out;
}

/** Public model → access groups, from each deployment's `model_info.access_groups`. */
export function collectAccessGroups(specs: Array<{ publicModel: string; accessGroups?: string[] | undefined }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of specs) {
    if (!s.accessGroups?.length) continue;
    out[s.publicModel] = [...new Set([...(out[s.publicModel] ?? []), ...s.accessGroups])];
  }
  return out;
}

/** The entry's declared extra inputs: from the deployment first, then the environment variables it names. */
export function extraInputsOf(
  entry: ProviderEntry,
  spec: Pick<DeploymentSpec, 'credentials' | 'settings'>,
  env: NodeJS.ProcessEnv,
): { credentials?: Record<string, string>; settings?: Record<string, string> } {
  const slots: { credentials?: Record<string, string>; settings?: Record<string, string> } = {};
  for (const input of entry.extraInputs ?? []) {
    const value = spec[input.slot]?.[input.key] ?? firstEnv(env, input.envVars);
    if (value === undefined) continue;
    (slots[input.slot] ??= {})[input.key] = value;
  }
  return slots;
}
