import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { joinUrl, readText, send, type UpstreamResponse } from '../http/index.js';
import { upstreamHeaders } from './call-upstream.js';
import { mapOpenAIError } from './map-openai-error.js';
import { multipartBody, type MultipartFile } from './multipart-body.js';
import { isRecord } from './wire-types.js';

/**
 * The calls of the media endpoints (images, audio, moderations): a JSON or
 * multipart body to one path under the target's base. Resolves with a 2xx
 * response only; anything else is read and thrown mapped, like chat.
 */
export async function callMedia(
  target: UpstreamTarget,
  opts: CallOptions,
  call: { path: string; json?: Record<string, unknown>; form?: { fields: [string, string][]; files: MultipartFile[] }; stream?: boolean },
): Promise<UpstreamResponse> {
  let body: string | Buffer;
  let contentType: string;
  if (call.form !== undefined) {
    const built = multipartBody(call.form.fields, call.form.files);
    body = built.body;
    contentType = built.contentType;
  } else {
    body = JSON.stringify(call.json ?? {});
    contentType = 'application/json';
  }
  const res = await send({
    url: joinUrl(target, call.path),
    method: 'POST',
    headers: { ...upstreamHeaders(target, false), 'content-type': contentType },
    body,
    signal: opts.signal,
    timeoutMs: target.timeoutMs,
    headersTimeoutMs: call.stream ? target.firstTokenTimeoutMs : undefined,
    provider: target.provider,
  });
  if (res.status < 200 || res.status >= 300) {
    const text = await readText(res, target.provider);
    throw mapOpenAIError(target.provider, res.status, res.headers, text);
  }
  return res;
}

/** Reads a whole JSON object body; anything else is the upstream's fault. */
export async function readObject(res: UpstreamResponse, provider: string, what: string): Promise<Record<string, unknown>> {
  const text = await readText(res, provider);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} returned ${what} that is not a JSON object`, provider, upstreamBody: text.slice(0, 2000) });
  }
  return parsed;
}

/** Provider options for the OpenAI protocol are its own namespace (or the provider's id); others are reported. */
export function mergeProviderOptions(body: Record<string, unknown>, options: Record<string, Record<string, unknown>> | undefined, provider: string, warn: (m: string) => void): void {
  for (const [ns, values] of Object.entries(options ?? {})) {
    if (ns === 'openai' || ns === provider) Object.assign(body, values);
    else warn(`providerOptions.${ns} is ignored by the OpenAI protocol`);
  }
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
