import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callApi, joinUrl, type UpstreamResponse } from '../http/index.js';
import { mapGeminiError } from './map-gemini-error.js';

export { readJson } from '../http/index.js';

export const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

export interface GeminiCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  stream?: boolean;
}

/** One request to the Gemini API: a 2xx response (body unread), or a typed error from Google's error body. */
export function callGemini(target: UpstreamTarget, call: GeminiCall, opts: CallOptions): Promise<UpstreamResponse> {
  const withBase = target.baseUrl ? target : { ...target, baseUrl: DEFAULT_BASE_URL };
  return callApi(withBase, { url: joinUrl(withBase, call.path, call.query), method: call.method, body: call.body, stream: call.stream }, opts, mapGeminiError);
}
