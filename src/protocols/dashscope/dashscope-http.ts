import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { authHeaders, joinUrl, readText, send, type UpstreamResponse } from '../http/index.js';
import { mapDashScopeError } from './map-dashscope-error.js';

export const GENERATION_PATH = '/services/aigc/text-generation/generation';
export const EMBEDDING_PATH = '/services/embeddings/text-embedding/text-embedding';

/** One DashScope call; resolves with a 2xx response (body unread), throws the mapped error otherwise. */
export async function callDashScope(target: UpstreamTarget, path: string, body: unknown, stream: boolean, opts: CallOptions): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { ...target.headers, ...authHeaders(target), 'content-type': 'application/json' };
  if (stream) {
    // Either header switches DashScope to SSE; the SDKs send both.
    headers['x-dashscope-sse'] = 'enable';
    headers.accept = 'text/event-stream';
  }
  const workspace = target.settings?.['workspace'];
  if (workspace) headers['x-dashscope-workspace'] = workspace;
  const res = await send({
    url: joinUrl(target, path),
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: opts.signal,
    timeoutMs: target.timeoutMs,
    headersTimeoutMs: stream ? target.firstTokenTimeoutMs : undefined,
    provider: target.provider,
  });
  if (res.status >= 200 && res.status < 300) return res;
  throw mapDashScopeError(target.provider, res.status, res.headers, await readText(res, target.provider));
}

export async function readJson<T>(res: UpstreamResponse, provider: string): Promise<T> {
  const text = await readText(res, provider);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a body that is not JSON`, provider, upstreamBody: text.slice(0, 2000), cause });
  }
}
