import type { FakeHandlerContext } from './fake-server.js';
import type { FakeScenario } from './scenario.js';

/**
 * Writes already-framed stream chunks with the scenario's timing: first-token
 * delay, per-chunk delay, and a TCP reset after `resetAfterChunks` chunks
 * that waits for the written data to flush, so the client sees it first.
 * Returns false when the stream was cut (reset or client gone).
 */
export async function writeChunks(ctx: FakeHandlerContext, s: FakeScenario, chunks: string[]): Promise<boolean> {
  const { res } = ctx;
  if (s.firstTokenDelayMs) await ctx.sleep(s.firstTokenDelayMs);
  let sent = 0;
  for (const chunk of chunks) {
    if (ctx.closed()) return false;
    if (s.resetAfterChunks !== undefined && sent >= s.resetAfterChunks) {
      // A scripted reset is the fake's doing, not a client abort: keep it out of `aborts`.
      ctx.finished();
      res.socket?.resetAndDestroy();
      return false;
    }
    if (sent > 0 && s.chunkDelayMs) await ctx.sleep(s.chunkDelayMs);
    if (ctx.closed()) return false;
    await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    sent++;
  }
  return !ctx.closed();
}

/** Prompt words of OpenAI-like or PascalCase messages, for the fakes' default usage. */
export function countWords(text: string): number {
  return (text.match(/\S+\s*/g) ?? []).length;
}
