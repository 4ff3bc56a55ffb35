import type { FinishReason } from './finish-reason.js';
import type { TokenLogprob } from './chat-response.js';
import type { Usage } from './usage.js';
import type { GatewayError } from './errors.js';

/**
 * A streamed chat response, as typed parts. Protocol adapters decode their
 * wire stream into these; dialects encode them into the client's framing.
 * Bytes and SSE exist only at the edges.
 *
 * Order: exactly one `start`, then deltas (per choice, tool calls keyed by
 * `toolIndex`), a `finish` per choice, at most one `usage`, or an `error`
 * that ends the stream.
 */
export type StreamPart =
  | { type: 'start'; id: string; model: string; created: number; systemFingerprint?: string; serviceTier?: string }
  | { type: 'text-delta'; choice: number; text: string }
  | { type: 'reasoning-delta'; choice: number; text: string }
  /** Opaque data that must round-trip with the reasoning (Anthropic signature / redacted thinking). */
  | { type: 'reasoning-signature'; choice: number; signature?: string; redactedData?: string }
  | { type: 'refusal-delta'; choice: number; text: string }
  | { type: 'tool-call-start'; choice: number; toolIndex: number; id: string; name: string }
  | { type: 'tool-call-delta'; choice: number; toolIndex: number; argumentsDelta: string }
  | { type: 'logprobs'; choice: number; content: TokenLogprob[] }
  | { type: 'finish'; choice: number; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage }
  | { type: 'error'; error: GatewayError };

export type ChatStream = AsyncIterable<StreamPart>;
