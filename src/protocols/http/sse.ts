import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Readable } from 'node:stream';

/**
 * Decodes a Server-Sent Events byte stream into events, incrementally and
 * across arbitrary chunk boundaries (multi-byte UTF-8 included).
 */
export async function* sseEvents(body: Readable | AsyncIterable<Buffer | string>): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => queue.push(e) });
  const decoder = new TextDecoder();
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    while (queue.length > 0) yield queue.shift() as EventSourceMessage;
  }
  parser.feed(decoder.decode());
  // A final event without its blank line is still an event (lenient, like browsers are not).
  parser.feed('\n\n');
  while (queue.length > 0) yield queue.shift() as EventSourceMessage;
}
