import type { Readable } from 'node:stream';
import { GatewayError, type ChatStream, type RelayResponse, type StreamPart } from '../spec/index.js';

function idleError(ms: number, provider: string | undefined): GatewayError {
  return new GatewayError('upstream_timeout', { message: `Upstream${provider ? ` ${provider}` : ''} sent nothing for ${ms} ms in the middle of the stream`, provider });
}

/**
 * Ends a translated stream whose upstream goes quiet for longer than
 * `idleMs` between parts: the upstream iterator is closed (which aborts the
 * request) and an `error` part is yielded, so the client's dialect writes
 * its in-band error. Only the time spent waiting on the upstream counts,
 * never the time the client takes to read.
 */
export function guardStreamIdle(stream: ChatStream, idleMs: number | undefined, provider?: string): ChatStream {
  if (idleMs === undefined || idleMs <= 0) return stream;
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<StreamPart> {
      const iterator = stream[Symbol.asyncIterator]();
      let timer: NodeJS.Timeout | undefined;
      try {
        for (;;) {
          const timeout = new Promise<'idle'>((resolve) => {
            timer = setTimeout(() => resolve('idle'), idleMs);
          });
          const next = await Promise.race([iterator.next(), timeout]);
          clearTimeout(timer);
          if (next === 'idle') {
            yield { type: 'error', error: idleError(idleMs, provider) };
            return;
          }
          if (next.done) return;
          yield next.value;
        }
      } finally {
        clearTimeout(timer);
        await iterator.return?.();
      }
    },
  };
}

export interface RelayGuards {
  /** Time allowed until the first body byte (ms). */
  firstByteTimeoutMs?: number;
  /** Longest gap between two upstream chunks once the stream has begun (ms). */
  idleTimeoutMs?: number;
  provider?: string;
}

/**
 * Holds a relayed stream until its first byte is in hand, so a failure
 * before anything reached the client (a reset, an empty body, no first
 * byte in time) is thrown and can be retried elsewhere. Peeking uses the
 * 'readable' event, which looks without consuming: the body reaches the
 * client untouched, with no extra stream hop on the fast path.
 */
export async function peekRelay(relay: RelayResponse, guards: RelayGuards = {}): Promise<RelayResponse> {
  const body = relay.body;
  if (body.destroyed) throw new GatewayError('upstream_connection', { message: 'Upstream stream closed before its first byte', provider: guards.provider });
  await new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      body.off('readable', onReadable);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const fail = (e: GatewayError): void => {
      cleanup();
      body.destroy();
      reject(e);
    };
    const onReadable = (): void => {
      if (body.readableLength > 0) {
        cleanup();
        resolve();
      } else fail(new GatewayError('upstream_bad_response', { message: `Upstream${guards.provider ? ` ${guards.provider}` : ''} ended the stream before sending anything`, provider: guards.provider }));
    };
    const onError = (err: Error): void => fail(err instanceof GatewayError ? err : new GatewayError('upstream_connection', { message: `Upstream stream broke before its first byte: ${err.message}`, provider: guards.provider, cause: err }));
    const onClose = (): void => fail(new GatewayError('upstream_connection', { message: 'Upstream stream closed before its first byte', provider: guards.provider }));
    if (guards.firstByteTimeoutMs !== undefined && guards.firstByteTimeoutMs > 0) {
      const ms = guards.firstByteTimeoutMs;
      timer = setTimeout(() => fail(new GatewayError('upstream_timeout', { message: `Upstream${guards.provider ? ` ${guards.provider}` : ''} sent no first token within ${ms} ms`, provider: guards.provider })), ms);
    }
    body.on('readable', onReadable);
    body.once('error', onError);
    body.once('close', onClose);
  });
  if (guards.idleTimeoutMs !== undefined && guards.idleTimeoutMs > 0) watchIdle(body, guards.idleTimeoutMs, guards.provider);
  return relay;
}

/**
 * Destroys a relay body with an `upstream_timeout` when the upstream adds
 * nothing for `idleMs`. Arrival is seen at `push` (the relay feeds its body
 * that way); a gap while data sits unread is the client being slow, not the
 * upstream, so it does not count. The destroy aborts the upstream and the
 * response writer turns the error into the dialect's in-band error.
 */
function watchIdle(body: Readable, idleMs: number, provider: string | undefined): void {
  let last = Date.now();
  const push = body.push.bind(body);
  body.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    last = Date.now();
    return push(chunk, encoding);
  };
  const timer = setInterval(
    () => {
      if (body.destroyed || body.readableEnded) return clearInterval(timer);
      if (body.readableLength > 0) {
        last = Date.now();
        return;
      }
      if (Date.now() - last >= idleMs) {
        clearInterval(timer);
        body.destroy(idleError(idleMs, provider));
      }
    },
    Math.max(5, Math.min(1000, Math.floor(idleMs / 4))),
  );
  timer.unref();
  body.once('close', () => clearInterval(timer));
}
