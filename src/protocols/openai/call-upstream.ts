import type { Readable } from 'node:stream';
import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { authHeaders, joinUrl, readText, send, type UpstreamResponse } from '../http/index.js';
import { mapOpenAIError } from './map-openai-error.js';

export interface UpstreamCall {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body: string | null;
  stream: boolean;
  /** Client headers to forward (relay); the target's own headers and credential win. */
  headers?: Record<string, string>;
}

/** A target's headers for a plain JSON call, built once: targets are replaced, never edited. Frozen, as they are shared. */
const jsonCallHeaders = new WeakMap<UpstreamTarget, Readonly<Record<string, string>>>();

export function upstreamHeaders(target: UpstreamTarget, hasBody: boolean, extra?: Record<string, string>): Record<string, string> {
  // A Zhipu JWT expires, so its headers are signed per call.
  const fixed = extra === undefined && hasBody && target.auth.kind !== 'zhipu-jwt';
  if (fixed) {
    const known = jsonCallHeaders.get(target);
    if (known !== undefined) return known;
  }
  const h: Record<string, string> = { ...extra, ...target.headers, ...authHeaders(target) };
  if (hasBody) h['content-type'] = 'application/json';
  if (fixed) jsonCallHeaders.set(target, Object.freeze(h));
  return h;
}

/**
 * One call to an OpenAI-compatible upstream. Resolves with a 2xx response
 * only; any other status is read and thrown as the mapped GatewayError.
 */
export async function callUpstream(target: UpstreamTarget, opts: CallOptions, call: UpstreamCall): Promise<UpstreamResponse> {
  const res = await send({
    url: joinUrl(target, call.path),
    method: call.method,
    headers: upstreamHeaders(target, call.body !== null, call.headers),
    body: call.body,
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

/**
 * Fails a stream whose first body byte does not arrive in time. The caller
 * clears it on the first byte: a listener here would switch the body into
 * flowing mode before anyone reads it.
 */
export function firstByteTimer(body: Readable, target: UpstreamTarget): () => void {
  const ms = target.firstTokenTimeoutMs;
  if (ms === undefined || ms <= 0) return () => {};
  const timer = setTimeout(() => {
    body.destroy(new GatewayError('upstream_timeout', { message: `Upstream ${target.provider} sent no token within ${ms} ms`, provider: target.provider }));
  }, ms);
  timer.unref();
  const clear = (): void => clearTimeout(timer);
  body.once('close', clear);
  return clear;
}

/** Reads and parses a whole JSON body; a body that is not JSON is an upstream fault. */
export async function readJson(res: UpstreamResponse, provider: string): Promise<unknown> {
  const text = await readText(res, provider);
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} returned a body that is not JSON`, provider, upstreamBody: text.slice(0, 2000) });
  }
}
