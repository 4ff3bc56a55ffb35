import { GatewayError, type CallOptions, type ModerationRequest, type ModerationResponse, type UpstreamTarget } from '../../spec/index.js';
import { applyQuirks } from './apply-quirks.js';
import { callMedia, readObject } from './media-call.js';
import { isRecord } from './wire-types.js';

/** POST /moderations. Results keep OpenAI's shape: the only dialect that asks for them speaks it. */
export async function moderate(req: ModerationRequest, target: UpstreamTarget, opts: CallOptions): Promise<ModerationResponse> {
  const body: Record<string, unknown> = { model: target.model, input: req.input };
  if (req.extraBody !== undefined) Object.assign(body, req.extraBody);
  applyQuirks(body, target.provider, target.quirks, opts.warn);
  const res = await callMedia(target, opts, { path: '/moderations', json: body });
  const json = await readObject(res, target.provider, 'a moderation answer');
  if (!Array.isArray(json.results)) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned a moderation answer without results`, provider: target.provider });
  }
  return {
    id: typeof json.id === 'string' ? json.id : `modr-${Date.now().toString(36)}`,
    model: typeof json.model === 'string' ? json.model : target.model,
    results: json.results.filter(isRecord),
  };
}
