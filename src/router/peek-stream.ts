import { redactError, type Redactor } from '../protocols/http/index.js';
import { GatewayError, type ChatStream, type StreamPart } from '../spec/index.js';

/**
 * Reads a stream up to its first part that would reach the client, so a
 * failure before that (an error event, a reset, no first token in time) can
 * still be retried elsewhere. Returns the stream with the peeked parts put
 * back in front. Once this resolves, the router never retries the stream.
 * A later error (in-band part or thrown) goes through `redact`: it reaches
 * the client without passing the router's scrubbing of failed attempts.
 */
export async function peekFirstPart(stream: ChatStream, firstTokenTimeoutMs: number | undefined, redact?: Redactor): Promise<ChatStream> {
  const iterator = stream[Symbol.asyncIterator]();
  const held: StreamPart[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout =
    firstTokenTimeoutMs !== undefined && firstTokenTimeoutMs > 0
      ? new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new GatewayError('upstream_timeout', { message: `No first token within ${firstTokenTimeoutMs} ms` }));
          }, firstTokenTimeoutMs);
        })
      : undefined;
  try {
    for (;;) {
      const next = timeout ? await Promise.race([iterator.next(), timeout]) : await iterator.next();
      if (next.done) break;
      const part = next.value;
      if (part.type === 'error') throw part.error;
      held.push(part);
      if (part.type !== 'start') break;
    }
  } catch (err) {
    void iterator.return?.();
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
  }
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* held;
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          if (next.value.type === 'error' && redact) redactError(next.value.error, redact);
          yield next.value;
        }
      } catch (err) {
        throw redact ? redactError(err, redact) : err;
      } finally {
        // The consumer stopped early (client gone): close the upstream stream too.
        await iterator.return?.();
      }
    },
  };
}
