import type { FinishReason, UnifiedFinishReason } from '../../spec/index.js';

const UNIFIED: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  // The answer was cut by the context window, not by a cap the client set; still a truncation.
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
  // A server tool loop paused; the client must resend to continue. Not a normal stop.
  pause_turn: 'other',
};

/** Anthropic `stop_reason` → {unified, raw}; unknown or missing values become `other`, raw kept. */
export function mapStopReason(raw: string | null | undefined): FinishReason {
  if (raw === null || raw === undefined || raw === '') return { unified: 'other' };
  return { unified: UNIFIED[raw] ?? 'other', raw };
}
