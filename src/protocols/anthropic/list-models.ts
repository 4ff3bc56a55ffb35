import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { authHeaders, readText, send } from '../http/index.js';
import { anthropicUrl } from './anthropic-url.js';
import { ANTHROPIC_VERSION } from './encode-request.js';
import { mapAnthropicError } from './map-anthropic-error.js';

interface ModelsPage {
  data?: { id?: string }[];
  has_more?: boolean;
  last_id?: string | null;
}

/** A runaway `has_more` must not loop forever; Anthropic lists a few dozen models. */
const MAX_PAGES = 10;

/** `GET /v1/models`, following `after_id` pagination. */
export async function listAnthropicModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: Record<string, string> = { limit: '1000' };
    if (after !== undefined) query.after_id = after;
    const res = await send({
      url: anthropicUrl(target, '/models', query),
      method: 'GET',
      headers: { 'anthropic-version': target.apiVersion ?? ANTHROPIC_VERSION, ...authHeaders(target), ...(target.headers ?? {}) },
      signal: opts.signal,
      timeoutMs: target.timeoutMs,
      provider: target.provider,
    });
    const text = await readText(res, target.provider);
    if (res.status < 200 || res.status >= 300) throw mapAnthropicError({ provider: target.provider, status: res.status, headers: res.headers, body: text });
    let body: ModelsPage;
    try {
      body = JSON.parse(text) as ModelsPage;
    } catch (cause) {
      throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} sent a model list that is not JSON`, provider: target.provider, cause });
    }
    for (const m of body.data ?? []) if (typeof m.id === 'string') ids.push(m.id);
    if (!body.has_more || !body.last_id) break;
    after = body.last_id;
  }
  return ids;
}
