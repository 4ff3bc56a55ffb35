import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Readable } from 'node:stream';

/**
 * Decodes a Server-Sent Events byte stream into events, incrementally and
 * across arbitrary chunk boundaries (multi-byte UTF-8 included).
 */
export async function* sseEvents(body: Readable | AsyncIterable<Buffer | string>): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => queue.push(e) });
  const decoder = new TextDecoder();
  const readable = body instanceof Readable ? body : undefined;
  let drained = false;
  try {
    for await (const chunk of readable ? readable.iterator({ destroyOnReturn: false }) : (body as AsyncIterable<Buffer | string>)) {
      parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      while (queue.length > 0) yield queue.shift() as EventSourceMessage;
    }
    drained = true;
    parser.feed(decoder.decode());
    // A final event without its blank line is still an event (lenient, like browsers are not).
    parser.feed('\n\n');
    while (queue.length > 0) yield queue.shift() as EventSourceMessage;
  } finally {
    if (!drained && readable) releaseEarly(readable);
  }
}

/**
 * The decoder stopped before the body's end: usually at its terminal event
 * (message_stop, [DONE]) with the rest of the body already received, else
 * on an error or a lost client. A body whose upstream already finished is
 * let run to its end, which keeps the connection for reuse; destroying it
 * (what `for await` does on an early exit) built two error stack traces
 * per stream (~25 µs). One still receiving is destroyed, as before, so the
 * upstream stops generating.
 */
function releaseEarly(body: Readable): void {
  if (body.destroyed || body.readableEnded) return;
  body.on('error', () => {});
  if ((body as Readable & { _readableState?: { ended?: boolean } })._readableState?.ended === true) body.resume();
  else body.destroy();
}
