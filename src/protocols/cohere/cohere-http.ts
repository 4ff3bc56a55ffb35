import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callApi, joinUrl, type UpstreamResponse } from '../http/index.js';
import { mapCohereError } from './map-cohere-error.js';

export { readJson } from '../http/index.js';

export interface CohereCall {
  method: 'GET' | 'POST';
  /** Versioned path, e.g. "/v2/chat" or "/v1/models". */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  stream?: boolean;
}

/**
 * Cohere's routes carry their own version (`/v2/chat`, but `/v1/models`),
 * so the base is the host; a base written with a version suffix is trimmed.
 */
export function cohereUrl(target: UpstreamTarget, path: string, query?: Record<string, string>): string {
  const root = target.baseUrl.replace(/\/+$/, '').replace(/\/v[12]$/, '');
  return joinUrl({ ...target, baseUrl: root }, path, query);
}

/** One request to Cohere: a 2xx response (body unread), or a typed error from Cohere's error body. */
export function callCohere(target: UpstreamTarget, call: CohereCall, opts: CallOptions): Promise<UpstreamResponse> {
  const accept = call.stream ? 'text/event-stream' : 'application/json';
  return callApi(target, { url: cohereUrl(target, call.path, call.query), method: call.method, body: call.body, stream: call.stream, headers: { accept } }, opts, mapCohereError);
}
