import { GatewayError, type ProviderQuirks, type UpstreamTarget } from '../../spec/index.js';

/**
 * The GA api-version used when a deployment-style target names none. Dated
 * versions pin behaviour, so the default only moves on purpose.
 */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/**
 * `deployments`: `{endpoint}/openai/deployments/{deployment}/…?api-version=…`
 * (the classic Azure OpenAI shape; the body's model is ignored).
 * `v1`: the OpenAI-shaped v1 API (`{endpoint}/openai/v1/…`, or under a base
 * that already has its path), the deployment named by the body's `model`,
 * api-version optional.
 * `foundry`: Azure AI Foundry endpoints (serverless `…models.ai.azure.com`,
 * `…services.ai.azure.com/models`): the base URL is the API root as given.
 */
export type AzureApiStyle = 'deployments' | 'v1' | 'foundry';

/** api-version values that select the v1 API rather than a dated version. */
const V1_VERSIONS = new Set(['v1', 'preview', 'latest']);

/** Dated versions before this one know neither `max_completion_tokens` nor `stream_options`. */
const FIRST_MODERN_VERSION = '2024-09-01';

export function azureApiStyle(target: UpstreamTarget): AzureApiStyle {
  const configured = target.settings?.apiStyle;
  if (configured === 'v1' || configured === 'deployments' || configured === 'foundry') return configured;
  if (configured !== undefined) {
    throw new GatewayError('internal_error', {
      message: `Azure deployment ${target.model}: settings.apiStyle must be "deployments", "v1" or "foundry", not "${configured}"`,
      provider: target.provider,
    });
  }
  if (target.apiVersion !== undefined && V1_VERSIONS.has(target.apiVersion.toLowerCase())) return 'v1';
  // A base with a path (…/openai/v1, Foundry's …/models) is already the API root; the classic shape needs a bare endpoint.
  return basePath(target.baseUrl) === '' ? 'deployments' : 'v1';
}

/** The deployment a call goes to: `settings.deployment`, else the target's model. */
export function azureDeployment(target: UpstreamTarget): string {
  return target.settings?.deployment || target.model;
}

/**
 * An Azure target rewritten as the OpenAI protocol's: its base URL carries
 * the deployment path and api-version (the shared URL joiner keeps a base's
 * query), its credential is the `api-key` header or an Entra ID bearer token,
 * and dated api-versions too old for newer fields get them renamed or dropped.
 */
export function toOpenAITarget(target: UpstreamTarget): UpstreamTarget {
  const style = azureApiStyle(target);
  const endpoint = target.baseUrl.replace(/\/+$/, '');
  const deployment = azureDeployment(target);
  const out: UpstreamTarget = { ...target, model: deployment };
  if (style === 'deployments') {
    const version = target.apiVersion ?? DEFAULT_AZURE_API_VERSION;
    out.baseUrl = `${endpoint}/openai/deployments/${encodeURIComponent(deployment)}?api-version=${encodeURIComponent(version)}`;
    const quirks = legacyQuirks(version, target.quirks);
    if (quirks !== undefined) out.quirks = quirks;
  } else {
    const root = style === 'v1' && basePath(endpoint) === '' ? `${endpoint}/openai/v1` : endpoint;
    const version = target.apiVersion?.toLowerCase();
    out.baseUrl = version === undefined || version === 'v1' || version === 'latest' ? root : `${root}?api-version=${encodeURIComponent(target.apiVersion as string)}`;
  }
  const token = target.credentials?.azureAdToken;
  if (token) {
    out.apiKey = token;
    out.auth = { kind: 'bearer' };
  } else if (target.auth.kind === 'aws-sigv4' || target.auth.kind === 'none' || target.auth.kind === 'query') {
    out.auth = { kind: 'header', name: 'api-key' };
  }
  return out;
}

function legacyQuirks(version: string, quirks: ProviderQuirks | undefined): ProviderQuirks | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(version) || version.slice(0, 10) >= FIRST_MODERN_VERSION) return quirks;
  return { ...quirks, renameParams: { max_completion_tokens: 'max_tokens', ...quirks?.renameParams }, noStreamOptions: true };
}

function basePath(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}
