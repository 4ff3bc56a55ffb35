import type { ProviderQuirks, UpstreamTarget } from '../spec/index.js';
import type { ProviderEntry } from './types.js';

export interface TargetOptions {
  /** Upstream model id. */
  model: string;
  /** Overrides the entry's base URL; normalised by the entry (e.g. host-only Anthropic bases get /v1). */
  apiBase?: string;
  apiKey?: string;
  apiVersion?: string;
  timeoutMs?: number;
  /** Time allowed until the first streamed byte. */
  streamTimeoutMs?: number;
  headers?: Record<string, string>;
  /** Secret inputs beyond the key (see the entry's `extraInputs`), e.g. AWS access key id and secret. */
  credentials?: Record<string, string>;
  /** Non-secret inputs (see the entry's `extraInputs`), e.g. region, deployment name; also fill `{name}` in the base URL. */
  settings?: Record<string, string>;
}

/**
 * The one concrete upstream a deployment calls. Throws a TypeError naming the
 * problem when no usable base URL results; config loading turns that into a
 * ConfigError with the file path.
 */
export function buildTarget(entry: ProviderEntry, opts: TargetOptions): UpstreamTarget {
  const settings = entry.defaultSettings ? { ...entry.defaultSettings, ...opts.settings } : opts.settings;
  const baseUrl = fillPlaceholders(entry, resolveBaseUrl(entry, opts.apiBase), settings);
  const model = entry.normalizeModel ? entry.normalizeModel(opts.model) : opts.model;
  const target: UpstreamTarget = {
    provider: entry.id,
    baseUrl,
    model,
    auth: entry.auth,
  };
  if (opts.credentials && Object.keys(opts.credentials).length > 0) target.credentials = { ...opts.credentials };
  if (settings && Object.keys(settings).length > 0) target.settings = { ...settings };
  if (opts.apiKey !== undefined && opts.apiKey !== '') target.apiKey = opts.apiKey;
  if (opts.headers && Object.keys(opts.headers).length > 0) target.headers = { ...opts.headers };
  if (opts.apiVersion !== undefined) target.apiVersion = opts.apiVersion;
  if (opts.timeoutMs !== undefined) target.timeoutMs = opts.timeoutMs;
  if (opts.streamTimeoutMs !== undefined) target.firstTokenTimeoutMs = opts.streamTimeoutMs;
  if (entry.defaultMaxTokens !== undefined) target.defaultMaxTokens = entry.defaultMaxTokens;
  const quirks = quirksFor(entry, model);
  if (quirks) target.quirks = quirks;
  return target;
}

function resolveBaseUrl(entry: ProviderEntry, apiBase: string | undefined): string {
  if (apiBase === undefined || apiBase === '') {
    if (entry.apiBaseRequired || entry.baseUrl === '') {
      throw new TypeError(`provider "${entry.id}" needs an api_base (it has no default URL)`);
    }
    return entry.baseUrl;
  }
  let parsed: URL;
  try {
    parsed = new URL(apiBase);
  } catch {
    throw new TypeError(`api_base "${apiBase}" is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`api_base "${apiBase}" must use http or https`);
  }
  const normalise = entry.normalizeApiBase ?? ((u: string) => u.replace(/\/+$/, ''));
  return normalise(apiBase);
}

/** `{region}`-style placeholders in a default base URL, filled from the target's settings. */
function fillPlaceholders(entry: ProviderEntry, baseUrl: string, settings: Record<string, string> | undefined): string {
  if (!baseUrl.includes('{')) return baseUrl;
  return baseUrl.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = settings?.[name];
    if (value !== undefined && value !== '') return encodeURIComponent(value);
    const input = entry.extraInputs?.find((i) => i.key === name);
    const where = input ? [...input.litellmParams, ...input.envVars].join(' or ') : `settings.${name}`;
    throw new TypeError(`provider "${entry.id}" needs ${name} for its URL: set ${where}`);
  });
}

/** Entry quirks plus what the catalog knows about this model (no image input). */
function quirksFor(entry: ProviderEntry, model: string): ProviderQuirks | undefined {
  const known = entry.models.find((m) => m.id === model);
  let quirks: ProviderQuirks | undefined = entry.quirks ? { ...entry.quirks } : undefined;
  if (known?.vision === false) quirks = { ...quirks, noVision: true };
  if (known?.reasoning === false) {
    const unsupported = quirks?.unsupportedParams ?? [];
    quirks = { ...quirks, unsupportedParams: [...unsupported, 'reasoning_effort'] };
  }
  return quirks;
}
