import type { ServerResponse } from 'node:http';
import { once } from 'node:events';

/** Writes and waits for 'drain' when the socket is full, so a slow client never makes us buffer a whole stream. */
export async function writeWithBackpressure(res: ServerResponse, chunk: string | Buffer): Promise<void> {
  if (chunk.length === 0 || res.destroyed) return;
  if (!res.write(chunk)) {
    await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tell buffering reverse proxies (nginx) to pass events through at once.
  'x-accel-buffering': 'no',
} as const;
