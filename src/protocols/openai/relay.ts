import { pipeline, Readable } from 'node:stream';
import { GatewayError, type CallOptions, type RelayRequest, type RelayResponse, type RelayResult, type UpstreamTarget } from '../../spec/index.js';
import { connectionError } from '../http/index.js';
import { applyQuirks } from './apply-quirks.js';
import { callUpstream, firstByteTimer } from './call-upstream.js';
import { decodeUsage } from './decode-usage.js';
import { SseUsageScanner } from './sse-usage-scanner.js';
import { isRecord } from './wire-types.js';

/** Client headers that must not reach the upstream: framing is redone, and compressed bodies could not be scanned. */
const DROP_REQUEST = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'accept-encoding', 'authorization', 'te', 'upgrade']);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/**
 * The fast path: an OpenAI-dialect body forwarded to an OpenAI-compatible
 * upstream with only `model` rewritten, quirks applied and usage requested
 * for streams. The body is serialised once and the answer piped back as it
 * came; only accounting facts are read on the way.
 */
export async function relay(req: RelayRequest, target: UpstreamTarget, opts: CallOptions): Promise<RelayResponse> {
  const clientWantsUsage = req.clientWantsUsage ?? (isRecord(req.body?.stream_options) && req.body.stream_options.include_usage === true);
  let addedUsage = false;
  let payload: string | null = null;
  if (req.body !== null) {
    const body: Record<string, unknown> = { ...req.body, model: target.model };
    if (req.stream && !target.quirks?.noStreamOptions) {
      const so = isRecord(body.stream_options) ? body.stream_options : {};
      if (so.include_usage !== true) {
        body.stream_options = { ...so, include_usage: true };
        addedUsage = true;
      }
    }
    applyQuirks(body, target.provider, target.quirks, opts.warn);
    payload = JSON.stringify(body);
  }
  const res = await callUpstream(target, opts, {
    method: req.method,
    path: req.path,
    body: payload,
    stream: req.stream,
    headers: forwardable(req.headers),
  });
  const isSse = String(res.headers['content-type'] ?? '').includes('text/event-stream');
  const headers = responseHeaders(res.headers, isSse);

  if (!isSse) {
    // Read whole, so `done` is settled before the server writes its headers (cost, usage).
    const firstByteAt = Date.now();
    let buf: Buffer;
    try {
      buf = Buffer.from(await res.body.arrayBuffer());
    } catch (err) {
      throw connectionError(err, target.provider);
    } finally {
      res.done();
    }
    const result: RelayResult = { firstByteAt, ...accountingOf(buf) };
    const body = new Readable({ read() {} });
    body.push(buf);
    body.push(null);
    return { status: res.status, headers, body, done: Promise.resolve(result) };
  }

  const clearTimer = firstByteTimer(res.body, target);
  const scanner = new SseUsageScanner(req.stream && addedUsage && !clientWantsUsage, target.provider, clearTimer);
  const done = new Promise<RelayResult>((resolve) => {
    pipeline(res.body, scanner, (err) => {
      clearTimer();
      const result: RelayResult = { ...scanner.result };
      const text = scanner.completionText();
      if (text !== undefined) result.completionText = text;
      if (err) result.error = relayError(err, target.provider);
      else if (scanner.result.error !== undefined) result.error = scanner.result.error;
      resolve(result);
    });
  });
  return { status: res.status, headers, body: scanner, done };
}

function accountingOf(buf: Buffer): Pick<RelayResult, 'usage' | 'model'> {
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch {
    return {};
  }
  if (!isRecord(json)) return {};
  const out: Pick<RelayResult, 'usage' | 'model'> = {};
  const usage = decodeUsage(json.usage as never);
  if (usage !== undefined) out.usage = usage;
  if (typeof json.model === 'string') out.model = json.model;
  return out;
}

function relayError(err: Error, provider: string): GatewayError {
  if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new GatewayError('client_closed', { message: 'Client closed the request', provider });
  }
  return connectionError(err, provider);
}

function forwardable(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const k in headers) if (!DROP_REQUEST.has(k.toLowerCase())) out[k.toLowerCase()] = headers[k] as string;
  return out;
}

function responseHeaders(h: Record<string, string | string[] | undefined>, stream: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v === undefined || DROP_RESPONSE.has(k)) continue;
    // The stream may lose its usage chunk, so its length is not the upstream's.
    if (stream && k === 'content-length') continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
