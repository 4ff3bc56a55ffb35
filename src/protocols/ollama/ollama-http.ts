import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callApi, type UpstreamResponse } from '../http/index.js';
import { mapOllamaError } from './map-ollama-error.js';
import { ollamaUrl } from './ollama-url.js';

export { readJson } from '../http/index.js';

export interface OllamaCall {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  stream?: boolean;
}

/**
 * One request to Ollama: a 2xx response (body unread), or a typed error.
 * No key by default (a local server); one configured is sent as a bearer
 * token (ollama.com, proxies).
 */
export function callOllama(target: UpstreamTarget, call: OllamaCall, opts: CallOptions): Promise<UpstreamResponse> {
  return callApi(target, { url: ollamaUrl(target, call.path), method: call.method, body: call.body, stream: call.stream }, opts, mapOllamaError);
}
