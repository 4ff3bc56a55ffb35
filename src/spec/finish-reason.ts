/**
 * Why generation stopped. Kept as {unified, raw} (the Vercel AI SDK's idea):
 * dialects encode `unified`, logs and debugging keep the provider's own word.
 */
export type UnifiedFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface FinishReason {
  unified: UnifiedFinishReason;
  /** The provider's own value, e.g. Anthropic's "end_turn" or Gemini's "SAFETY". */
  raw?: string;
}
