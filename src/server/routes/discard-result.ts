import type { ChatResponse, ChatStream, RelayResponse, Usage } from '../../spec/index.js';

/** What a chat-like attempt hands back: a relayed body, a whole translated answer, or a translated stream. */
export type ChatLikeResult = { kind: 'relay'; relay: RelayResponse } | { kind: 'json'; response: ChatResponse } | { kind: 'stream'; stream: ChatStream };

/**
 * Releases the answer of a hedged attempt that lost by a hair (it answered
 * just after the winner): closes its upstream and reports what it had
 * consumed, so the ledger can cost both attempts honestly.
 */
export async function discardResult(r: ChatLikeResult): Promise<Usage | undefined> {
  if (r.kind === 'relay') {
    r.relay.body.destroy();
    return (await r.relay.done).usage;
  }
  if (r.kind === 'stream') await r.stream[Symbol.asyncIterator]().return?.();
  return r.kind === 'json' ? r.response.usage : undefined;
}
