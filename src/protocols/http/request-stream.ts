import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { util } from 'undici';
import { abortError, onAbort } from './abort.js';
import type { WholeRequest } from './request-whole.js';

/** The same request as a whole one, with hooks on the body as it streams. */
export interface StreamRequest extends WholeRequest {
  /** Rewrites each chunk before it is pushed (null: nothing to push yet). */
  transform?: (chunk: Buffer) => Buffer | null;
  /** Whatever the transform still holds, at the end. */
  flush?: () => Buffer | null;
  /** Once, when the body ends (no error) or fails or is destroyed by its reader (error). */
  onClose?: (err?: Error) => void;
}

export type StreamResponse =
  | { ok: true; statusCode: number; headers: Record<string, string | string[] | undefined>; body: Readable }
  /** A non-2xx answer, read whole so it can be mapped to an error. */
  | { ok: false; statusCode: number; headers: Record<string, string | string[] | undefined>; errorBody: Buffer };

/**
 * A streamed request whose body is a single Readable fed straight from
 * undici's dispatch callbacks (through an optional transform, the relay's
 * usage scanner). `Pool.request` gives a body stream of its own that the
 * relay then re-wrapped: two streams, and their events, per response.
 * Backpressure: a full body pauses the socket until the reader reads again.
 * Destroying the body aborts the upstream request.
 */
export function requestStream(dispatcher: Dispatcher, req: StreamRequest): Promise<StreamResponse> {
  return new Promise<StreamResponse>((resolve, reject) => {
    const signal = req.signal;
    let abort: ((reason?: Error) => void) | null = null;
    let body: Readable | null = null;
    let resumeSocket: (() => void) | null = null;
    let paused = false;
    let over = false;
    let failed: { status: number; rawHeaders: Buffer[]; chunks: Buffer[] } | null = null;
    let unlisten = (): void => {};
    const close = (err?: Error): void => {
      if (over) return;
      over = true;
      unlisten();
      req.onClose?.(err);
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortCall) {
        if (signal?.aborted) return abortCall(abortError(signal.reason));
        abort = abortCall;
      },
      onHeaders(statusCode, rawHeaders, resume) {
        req.onHeaders?.();
        const raw = rawHeaders as unknown as Buffer[];
        if (statusCode < 200 || statusCode >= 300) {
          failed = { status: statusCode, rawHeaders: raw, chunks: [] };
          return true;
        }
        resumeSocket = resume;
        body = new Readable({
          read() {
            if (paused) {
              paused = false;
              resumeSocket?.();
            }
          },
          destroy(err, cb) {
            // The reader went away first: stop the upstream generating at once.
            if (!over) {
              const reason = err ?? prematureClose();
              close(reason);
              abort?.(reason);
            }
            cb(err);
          },
        });
        // Readers see errors through their own listener; this one keeps an early error from crashing the process.
        body.on('error', () => {});
        resolve({ ok: true, statusCode, headers: util.parseHeaders(raw), body });
        return true;
      },
      onData(chunk) {
        if (failed) {
          failed.chunks.push(chunk);
          return true;
        }
        if (body === null || over) return true;
        const out = req.transform ? req.transform(chunk) : chunk;
        if (out !== null && !body.push(out)) {
          paused = true;
          return false;
        }
        return true;
      },
      onComplete() {
        if (failed) {
          unlisten();
          over = true;
          resolve({ ok: false, statusCode: failed.status, headers: util.parseHeaders(failed.rawHeaders), errorBody: Buffer.concat(failed.chunks) });
          return;
        }
        if (body === null || over) return;
        const rest = req.flush?.();
        if (rest) body.push(rest);
        close();
        body.push(null);
      },
      onError(err) {
        if (body === null || failed) {
          over = true;
          unlisten();
          return reject(err);
        }
        if (over) return;
        close(err);
        body.destroy(err);
      },
    };
    unlisten = onAbort(signal, () => abort?.(abortError(signal?.reason)));
    dispatcher.dispatch({ path: req.path, method: req.method, headers: req.headers, body: req.body }, handler);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Relay body closed before the upstream finished'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
