import type { Dispatcher } from 'undici';
import { util } from 'undici';
import type { CancelSignal } from '../../spec/index.js';
import { abortError, onAbort } from './abort.js';

export interface WholeResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface WholeRequest {
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body: string | null;
  signal?: CancelSignal;
  /** Called when the response headers arrive (first-byte deadlines stop here). */
  onHeaders?: () => void;
}

/**
 * One request whose answer is read whole, straight off undici's dispatch
 * callbacks. `Pool.request` builds a Readable body stream and a promise per
 * read; for an answer the gateway needs whole anyway that machinery cost
 * more than the rest of undici's share of a relayed request.
 */
export function requestWhole(dispatcher: Dispatcher, req: WholeRequest): Promise<WholeResponse> {
  return new Promise<WholeResponse>((resolve, reject) => {
    const signal = req.signal;
    let abort: ((reason?: Error) => void) | null = null;
    let status = 0;
    let rawHeaders: Buffer[] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    let unlisten = (): void => {};
    const finish = (err: Error | null): void => {
      if (ended) return;
      ended = true;
      unlisten();
      if (err) return reject(err);
      resolve({ statusCode: status, headers: util.parseHeaders(rawHeaders), body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortCall) {
        if (signal?.aborted) return abortCall(abortError(signal.reason));
        abort = abortCall;
      },
      onHeaders(statusCode, headers) {
        status = statusCode;
        rawHeaders = headers as unknown as Buffer[];
        req.onHeaders?.();
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        size += chunk.length;
        return true;
      },
      onComplete() {
        finish(null);
      },
      onError(err) {
        finish(err);
      },
    };
    unlisten = onAbort(signal, () => abort?.(abortError(signal?.reason)));
    dispatcher.dispatch({ path: req.path, method: req.method, headers: req.headers, body: req.body }, handler);
  });
}
