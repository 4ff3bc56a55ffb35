import { buildTarget, getProvider, providerForLiteLLMPrefix, type ProviderEntry } from '../catalog/index.js';
import type { Deployment } from '../router/index.js';

/** One way to serve a model, as an SDK user writes it. */
export interface ModelSpec {
  /** Catalog provider id ("openai", "anthropic", "gemini", "deepseek", …, "custom"). */
  provider: string;
  /** Upstream model id. */
  model: string;
  /** Key; defaults to the provider's standard environment variable. */
  apiKey?: string;
  apiBase?: string;
  apiVersion?: string;
  weight?: number;
  order?: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

function entryFor(provider: string): ProviderEntry {
  const entry = getProvider(provider) ?? providerForLiteLLMPrefix(provider);
  if (!entry) throw new Error(`Unknown provider '${provider}'. See \`switchyard providers\` for the list.`);
  return entry;
}

function keyFromEnv(entry: ProviderEntry, env: Record<string, string | undefined>): string | undefined {
  for (const k of entry.envKeys) if (env[k]) return env[k];
  return undefined;
}

function baseFromEnv(entry: ProviderEntry, env: Record<string, string | undefined>): string | undefined {
  for (const k of entry.envBaseUrl ?? []) if (env[k]) return env[k];
  return undefined;
}

export function deploymentFromSpec(publicModel: string, spec: ModelSpec, index: number, env: Record<string, string | undefined>): Deployment {
  const entry = entryFor(spec.provider);
  const apiKey = spec.apiKey ?? keyFromEnv(entry, env);
  if (entry.keyRequired && !apiKey) {
    throw new Error(`No API key for ${entry.name}: pass apiKey or set ${entry.envKeys.join(' / ')}`);
  }
  return {
    id: `${publicModel}#${index}`,
    publicModel,
    provider: entry.id,
    protocol: entry.protocol,
    target: buildTarget(entry, { model: spec.model, apiKey, apiBase: spec.apiBase ?? baseFromEnv(entry, env), apiVersion: spec.apiVersion, timeoutMs: spec.timeoutMs, headers: spec.headers }),
    weight: spec.weight ?? 1,
    order: spec.order ?? 1,
    tags: [],
    modelInfo: {},
    source: 'config',
  };
}

/**
 * A `provider/model` name (LiteLLM style, e.g. "anthropic/claude-sonnet-4-5")
 * becomes a one-deployment group on the fly, keyed from the environment.
 */
export function deploymentFromName(name: string, env: Record<string, string | undefined>): Deployment | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0) return undefined;
  const prefix = name.slice(0, slash);
  if (!getProvider(prefix) && !providerForLiteLLMPrefix(prefix)) return undefined;
  return deploymentFromSpec(name, { provider: prefix, model: name.slice(slash + 1) }, 0, env);
}
