import { GatewayError, type CallOptions, type GeneratedImage, type ImageEditRequest, type ImageGenerationRequest, type ImageResponse, type UpstreamTarget, type Usage } from '../../spec/index.js';
import { applyQuirks } from './apply-quirks.js';
import { callMedia, mergeProviderOptions, num, readObject } from './media-call.js';
import { isRecord } from './wire-types.js';

/** POST /images/generations. */
export async function generateImage(req: ImageGenerationRequest, target: UpstreamTarget, opts: CallOptions): Promise<ImageResponse> {
  const body: Record<string, unknown> = { model: target.model, prompt: req.prompt };
  if (req.n !== undefined) body.n = req.n;
  if (req.size !== undefined) body.size = req.size;
  if (req.quality !== undefined) body.quality = req.quality;
  if (req.responseFormat !== undefined) body.response_format = req.responseFormat;
  if (req.style !== undefined) body.style = req.style;
  if (req.user !== undefined) body.user = req.user;
  if (req.extraBody !== undefined) Object.assign(body, req.extraBody);
  mergeProviderOptions(body, req.providerOptions, target.provider, opts.warn);
  applyQuirks(body, target.provider, target.quirks, opts.warn);
  const res = await callMedia(target, opts, { path: '/images/generations', json: body });
  return decodeImageResponse(await readObject(res, target.provider, 'an image answer'), target.provider);
}

/** POST /images/edits (multipart): every source image, the mask, and the form's text fields. */
export async function editImage(req: ImageEditRequest, target: UpstreamTarget, opts: CallOptions): Promise<ImageResponse> {
  const fields: [string, string][] = [['model', target.model], ['prompt', req.prompt]];
  if (req.n !== undefined) fields.push(['n', String(req.n)]);
  if (req.size !== undefined) fields.push(['size', req.size]);
  if (req.quality !== undefined) fields.push(['quality', req.quality]);
  if (req.responseFormat !== undefined) fields.push(['response_format', req.responseFormat]);
  if (req.user !== undefined) fields.push(['user', req.user]);
  for (const [k, v] of Object.entries(req.extraFields ?? {})) fields.push([k, v]);
  const files = req.images.map((f) => ({ ...f, field: req.images.length > 1 ? 'image[]' : f.field }));
  if (req.mask !== undefined) files.push({ ...req.mask, field: 'mask' });
  const res = await callMedia(target, opts, { path: '/images/edits', form: { fields, files } });
  return decodeImageResponse(await readObject(res, target.provider, 'an image answer'), target.provider);
}

const KNOWN = new Set(['created', 'data', 'usage']);

export function decodeImageResponse(json: Record<string, unknown>, provider: string): ImageResponse {
  if (!Array.isArray(json.data)) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} returned an image answer without data`, provider });
  }
  const data = json.data.map((d: unknown): GeneratedImage => {
    const item = isRecord(d) ? d : {};
    const img: GeneratedImage = {};
    if (typeof item.url === 'string') img.url = item.url;
    if (typeof item.b64_json === 'string') img.b64Json = item.b64_json;
    if (typeof item.revised_prompt === 'string') img.revisedPrompt = item.revised_prompt;
    return img;
  });
  const out: ImageResponse = { created: num(json.created) ?? Math.floor(Date.now() / 1000), data };
  const usage = imageUsage(json.usage);
  if (usage !== undefined) out.usage = usage;
  const extra = Object.fromEntries(Object.entries(json).filter(([k]) => !KNOWN.has(k)));
  if (Object.keys(extra).length > 0) out.extra = extra;
  return out;
}

/** gpt-image-1 reports `input_tokens` (text + image) and `output_tokens` (image); per-image models report none. */
function imageUsage(u: unknown): Usage | undefined {
  if (!isRecord(u)) return undefined;
  const input = num(u.input_tokens) ?? 0;
  const output = num(u.output_tokens) ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: num(u.total_tokens) ?? input + output };
}
