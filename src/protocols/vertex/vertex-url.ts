import { GatewayError, type UpstreamTarget } from '../../spec/index.js';
import { serviceAccountOf } from './vertex-auth.js';

export type Publisher = 'google' | 'anthropic';

/** LiteLLM's default region for Vertex AI, kept so configs written for it land in the same place. */
export const DEFAULT_LOCATION = 'us-central1';
const GLOBAL_HOST = 'aiplatform.googleapis.com';

/**
 * `…/v1/projects/{project}/locations/{location}/publishers/{publisher}`.
 * The catalog's default base is the global host; any other location is
 * served from its regional host (`us-east5-aiplatform.googleapis.com`).
 * A custom base (a proxy, a private endpoint, a test fake) is used as given,
 * with `/v1` added when it has no version path.
 */
export function publisherBase(target: UpstreamTarget, publisher: Publisher): string {
  const project = target.settings?.['project'] || serviceAccountOf(target)?.projectId;
  if (!project) {
    throw new GatewayError('internal_error', {
      message: 'Vertex AI deployment has no project: set settings.project (LiteLLM vertex_project) or use a service account with a project_id',
      provider: target.provider,
    });
  }
  const location = target.settings?.['location'] || DEFAULT_LOCATION;
  return `${rootUrl(target.baseUrl, location)}/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/publishers/${publisher}`;
}

export function rootUrl(baseUrl: string, location: string): string {
  const base = (baseUrl || `https://${GLOBAL_HOST}/v1`).replace(/\/+$/, '');
  const url = new URL(base);
  if (url.hostname === GLOBAL_HOST && location !== 'global') url.hostname = `${location}-${GLOBAL_HOST}`;
  const path = url.pathname.replace(/\/+$/, '');
  if (!/\/v1(beta1)?$/.test(path)) url.pathname = `${path}/v1`;
  return url.toString().replace(/\/+$/, '');
}

/** Claude models live under the `anthropic` publisher; everything else here is Google's. */
export function publisherFor(target: UpstreamTarget): Publisher {
  const explicit = target.settings?.['publisher'];
  if (explicit === 'anthropic' || explicit === 'google') return explicit;
  return /^claude-/i.test(target.model) ? 'anthropic' : 'google';
}
