import type { Readable } from 'node:stream';
import { Cancellation, GatewayError, type CallOptions, type CancelSignal, type UpstreamTarget } from '../../spec/index.js';
import { connectionError, joinUrl, poolFor, requestStream, requestWhole, type StreamRequest, type WholeResponse } from '../http/index.js';
import { upstreamHeaders, type UpstreamCall } from './call-upstream.js';
import { mapOpenAIError } from './map-openai-error.js';

interface Endpoint {
  origin: string;
  prefix: string;
}

/** base URL → origin and path prefix, parsed once (URL parsing showed in relay profiles). */
const endpoints = new Map<string, Endpoint>();

function endpointOf(target: UpstreamTarget, path: string): { origin: string; path: string } {
  const p = path.startsWith('/') ? path : `/${path}`;
  if (target.auth.kind === 'query' || target.baseUrl.includes('?')) {
    const u = new URL(joinUrl(target, p));
    return { origin: u.origin, path: u.pathname + u.search };
  }
  let ep = endpoints.get(target.baseUrl);
  if (ep === undefined) {
    const u = new URL(target.baseUrl);
    ep = { origin: u.origin, prefix: u.pathname.replace(/\/$/, '') };
    endpoints.set(target.baseUrl, ep);
  }
  return { origin: ep.origin, path: ep.prefix + p };
}

interface Deadlines {
  signal: CancelSignal;
  /** Stops the first-byte timer (headers arrived). */
  headersArrived(): void;
  /** Stops every timer and listener (the call is over). */
  release(): void;
}

/**
 * With no deadline the client's signal goes to undici as is; with one, a
 * single Cancellation carries the client abort and both timers. (undici's
 * own `headersTimeout` ticks at ~1 s resolution, too coarse for the
 * first-token deadlines the router fails over on.)
 */
function deadlinesFor(target: UpstreamTarget, opts: CallOptions, stream: boolean): Deadlines {
  const provider = target.provider;
  const total = positive(target.timeoutMs);
  const first = stream ? (positive(target.firstTokenTimeoutMs) ?? total) : total;
  if (first === undefined && total === undefined) return { signal: opts.signal, headersArrived: noop, release: noop };
  const deadline = new Cancellation();
  const onClientAbort = (): void => deadline.abort(new GatewayError('client_closed', { message: 'Client closed the request', provider }));
  if (opts.signal.aborted) onClientAbort();
  else opts.signal.addEventListener('abort', onClientAbort, { once: true });
  const timeout = (ms: number, what: string) => () => deadline.abort(new GatewayError('upstream_timeout', { message: `Upstream ${provider} ${what} within ${ms} ms`, provider }));
  let headersTimer = first === undefined ? undefined : setTimeout(timeout(first, 'sent no response'), first).unref();
  const totalTimer = total === undefined ? undefined : setTimeout(timeout(total, 'did not finish'), total).unref();
  const headersArrived = (): void => {
    if (headersTimer) clearTimeout(headersTimer);
    headersTimer = undefined;
  };
  return {
    signal: deadline,
    headersArrived,
    release: () => {
      headersArrived();
      if (totalTimer) clearTimeout(totalTimer);
      opts.signal.removeEventListener('abort', onClientAbort);
    },
  };
}

const noop = (): void => {};

/**
 * The relay's upstream call for an answer that is read whole
 * (non-streaming), on the shared keep-alive pool: no body stream is built.
 * Resolves with `answer` of a 2xx response; others are thrown mapped.
 */
export function relayRequestWhole<T>(target: UpstreamTarget, opts: CallOptions, call: UpstreamCall, answer: (res: WholeResponse) => T): Promise<T> {
  const provider = target.provider;
  let pending: Promise<WholeResponse>;
  let endpoint: { origin: string; path: string };
  let deadlines: Deadlines;
  try {
    endpoint = endpointOf(target, call.path);
    deadlines = deadlinesFor(target, opts, call.stream);
  } catch (err) {
    return Promise.reject(err);
  }
  try {
    pending = requestWhole(poolFor(endpoint.origin), {
      path: endpoint.path,
      method: call.method,
      headers: upstreamHeaders(target, call.body !== null, call.headers),
      body: call.body,
      signal: deadlines.signal,
      onHeaders: deadlines.headersArrived,
    });
  } catch (err) {
    deadlines.release();
    return Promise.reject(relayFailure(err, provider, opts.signal));
  }
  // then() rather than an async function: no generator held across the upstream wait.
  const release = deadlines.release;
  return pending.then(
    (res) => {
      release();
      if (res.statusCode < 200 || res.statusCode >= 300) throw mapOpenAIError(provider, res.statusCode, res.headers, res.body.toString('utf8'));
      // The caller's reading of the answer runs in this reaction: one promise hop fewer than a then() of its own.
      return answer(res);
    },
    (err: unknown) => {
      release();
      throw relayFailure(err, provider, opts.signal);
    },
  );
}

/**
 * The relay's upstream call for a streamed answer: its body is one Readable fed from
 * undici's callbacks through `tap` (the relay's usage scanner). Resolves
 * once 2xx headers arrived; others are read whole and thrown mapped.
 */
export async function relayRequestStream(
  target: UpstreamTarget,
  opts: CallOptions,
  call: UpstreamCall,
  tap: Pick<StreamRequest, 'transform' | 'flush' | 'onClose'>,
): Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: Readable }> {
  const { origin, path } = endpointOf(target, call.path);
  const provider = target.provider;
  const deadlines = deadlinesFor(target, opts, true);
  let res;
  try {
    res = await requestStream(poolFor(origin), {
      path,
      method: call.method,
      headers: upstreamHeaders(target, call.body !== null, call.headers),
      body: call.body,
      signal: deadlines.signal,
      onHeaders: deadlines.headersArrived,
      ...tap,
      onClose: (err) => {
        deadlines.release();
        tap.onClose?.(err);
      },
    });
  } catch (err) {
    deadlines.release();
    throw relayFailure(err, provider, opts.signal);
  }
  if (!res.ok) {
    deadlines.release();
    throw mapOpenAIError(provider, res.statusCode, res.headers, res.errorBody.toString('utf8'));
  }
  return res;
}

function positive(ms: number | undefined): number | undefined {
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/** Any failure of a relayed call as a typed error; the client's own abort wins over whatever undici reports. */
export function relayFailure(err: unknown, provider: string, signal: CancelSignal): GatewayError {
  if (signal.aborted) return new GatewayError('client_closed', { message: 'Client closed the request', provider });
  return connectionError(err, provider);
}
