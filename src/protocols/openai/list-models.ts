import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { callUpstream, readJson } from './call-upstream.js';
import { isRecord } from './wire-types.js';

/** GET /models → model ids. */
export async function listModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
  const res = await callUpstream(target, opts, { method: 'GET', path: '/models', body: null, stream: false });
  const json = await readJson(res, target.provider);
  if (!isRecord(json) || !Array.isArray(json.data)) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned a model list without data`, provider: target.provider });
  }
  return json.data.flatMap((m: unknown) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : []));
}
