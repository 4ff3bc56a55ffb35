import { Readable } from 'node:stream';
import { GatewayError, type CallOptions, type CancelSignal, type RelayRequest, type RelayResponse, type RelayResult, type UpstreamTarget } from '../../spec/index.js';
import { applyQuirks } from './apply-quirks.js';
import { firstByteTimer, type UpstreamCall } from './call-upstream.js';
import { relayFailure, relayRequestStream, relayRequestWhole } from './relay-request.js';
import { redactorFor, type WholeResponse } from '../http/index.js';
import { decodeUsage } from './decode-usage.js';
import { SseUsageScanner } from './sse-usage-scanner.js';
import { peekLastObject, peekString } from './json-peek.js';
import { isRecord, type OpenAIUsage } from './wire-types.js';

/** Client headers that must not reach the upstream: framing is redone, and compressed bodies could not be scanned. */
const DROP_REQUEST = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'accept-encoding', 'authorization', 'te', 'upgrade']);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/**
 * The fast path: an OpenAI-dialect body forwarded to an OpenAI-compatible
 * upstream with only `model` rewritten, quirks applied and usage requested
 * for streams. The body is serialised once and the answer piped back as it
 * came; only accounting facts are read on the way.
 */
export function relay(req: RelayRequest, target: UpstreamTarget, opts: CallOptions): Promise<RelayResponse> {
  let call: UpstreamCall;
  let addedUsage = false;
  try {
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
    call = { method: req.method, path: req.path, body: payload, stream: req.stream, headers: forwardable(req.headers) };
  } catch (err) {
    return Promise.reject(err);
  }
  // A plain answer takes no async frame of its own: on the busiest path each
  // one was a generator and a promise held for the whole upstream wait.
  if (!req.stream) return relayRequestWhole(target, opts, call, wholeAnswer);
  const clientWantsUsage = req.clientWantsUsage ?? (isRecord(req.body?.stream_options) && req.body.stream_options.include_usage === true);
  return relayStream(target, opts, call, addedUsage && !clientWantsUsage);
}

/** A streamed relay: the body is piped back as it came, its usage chunk read (and dropped if only the gateway asked for it). */
async function relayStream(target: UpstreamTarget, opts: CallOptions, call: UpstreamCall, dropUsage: boolean): Promise<RelayResponse> {
  const scanner = new SseUsageScanner(dropUsage, target.provider, redactorFor(target));
  let clearTimer = (): void => {};
  let gotData = false;
  let settled = false;
  let settle: (err?: Error) => void = () => {};
  const done = new Promise<RelayResult>((resolve) => {
    settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimer();
      const result: RelayResult = { ...scanner.result };
      const text = scanner.completionText();
      if (text !== undefined) result.completionText = text;
      if (err) result.error = relayError(err, target.provider, opts.signal);
      else if (scanner.result.error !== undefined) result.error = scanner.result.error;
      resolve(result);
    };
  });
  // The scanner runs inside the upstream's data callback and its output is the
  // body the server reads: one stream per response (see requestStream).
  const res = await relayRequestStream(target, opts, call, {
    transform: (chunk) => {
      gotData = true;
      clearTimer();
      return scanner.feed(chunk);
    },
    flush: () => scanner.end(),
    onClose: (err) => settle(err),
  });
  if (!String(res.headers['content-type'] ?? '').includes('text/event-stream')) {
    // Asked to stream, answered whole (some OpenAI-compatible servers do): read it like a plain answer.
    // The scanner passes bytes that are not SSE events through unchanged.
    const chunks: Buffer[] = [];
    try {
      for await (const c of res.body) chunks.push(c as Buffer);
    } catch (err) {
      throw relayFailure(err, target.provider, opts.signal);
    }
    return wholeAnswer({ statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) });
  }
  // Data may have come with the headers; the first-byte deadline is for an upstream that sent headers only.
  if (!gotData) clearTimer = firstByteTimer(res.body, target);
  return { status: res.statusCode, headers: responseHeaders(res.headers, true), body: res.body, done };
}

/** A whole answer, read before the server writes its headers, so `done` (cost, usage) is already settled. */
function wholeAnswer(res: WholeResponse): RelayResponse {
  return new WholeAnswer(res.statusCode, responseHeaders(res.headers, false), res.body, accountingOf(res.body));
}

/**
 * A class rather than an object literal with getters: V8 builds such a
 * literal through a runtime call each time (~1 µs per relayed answer).
 * The stream view and the promise are made only for consumers that ask;
 * the server sends `whole` as is.
 */
class WholeAnswer implements RelayResponse {
  readonly whole: { body: Buffer; result: RelayResult };
  #body: Readable | undefined;
  #done: Promise<RelayResult> | undefined;

  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    buf: Buffer,
    result: RelayResult,
  ) {
    this.whole = { body: buf, result };
  }

  get body(): Readable {
    if (this.#body === undefined) {
      this.#body = new Readable({ read() {} });
      this.#body.push(this.whole.body);
      this.#body.push(null);
    }
    return this.#body;
  }

  get done(): Promise<RelayResult> {
    return (this.#done ??= Promise.resolve(this.whole.result));
  }
}

const USAGE = Buffer.from('"usage"');
const MODEL = Buffer.from('"model"');

/** Usage and model from a whole JSON answer, reading only those two values. */
function accountingOf(buf: Buffer): RelayResult {
  const out: RelayResult = { firstByteAt: Date.now() };
  const usage = decodeUsage(peekLastObject(buf, USAGE) as OpenAIUsage | undefined);
  if (usage !== undefined) out.usage = usage;
  const model = peekString(buf, MODEL);
  if (model !== undefined) out.model = model;
  return out;
}

function relayError(err: Error, provider: string, signal: CancelSignal): GatewayError {
  if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new GatewayError('client_closed', { message: 'Client closed the request', provider });
  }
  return relayFailure(err, provider, signal);
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
