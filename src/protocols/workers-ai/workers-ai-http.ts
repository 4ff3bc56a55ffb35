import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callApi, joinUrl, type UpstreamResponse } from '../http/index.js';
import { mapWorkersAiError } from './map-workers-ai-error.js';

export { readJson } from '../http/index.js';

export interface WorkersAiCall {
  method: 'GET' | 'POST';
  /** Below `…/accounts/{id}/ai`, e.g. "/run/@cf/meta/llama-3.1-8b-instruct". */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  stream?: boolean;
}

/**
 * The base is `…/accounts/{accountId}/ai`. One written for the
 * OpenAI-compatible endpoint (`…/ai/v1`) or ending in `/run` is trimmed, so
 * either style of configured base reaches the native routes.
 */
export function workersAiUrl(target: UpstreamTarget, path: string, query?: Record<string, string>): string {
  const root = target.baseUrl.replace(/\/+$/, '').replace(/\/(v1|run)$/, '');
  return joinUrl({ ...target, baseUrl: root }, path, query);
}

/**
 * The model id goes into the path as Cloudflare writes it (`@cf/meta/…`):
 * its slashes are route segments, which Cloudflare's own clients do not escape.
 */
export function runPath(model: string): string {
  return `/run/${model.replace(/^\/+/, '')}`;
}

/** One request to Workers AI: a 2xx response (body unread), or a typed error from Cloudflare's envelope. */
export function callWorkersAi(target: UpstreamTarget, call: WorkersAiCall, opts: CallOptions): Promise<UpstreamResponse> {
  const accept = call.stream ? 'text/event-stream' : 'application/json';
  return callApi(target, { url: workersAiUrl(target, call.path, call.query), method: call.method, body: call.body, stream: call.stream, headers: { accept } }, opts, mapWorkersAiError);
}
