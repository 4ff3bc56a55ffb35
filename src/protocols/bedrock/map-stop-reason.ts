import type { FinishReason } from '../../spec/index.js';

/** Converse `stopReason` → {unified, raw}. */
export function mapStopReason(raw: string | undefined): FinishReason {
  switch (raw) {
    case undefined:
    case '':
      return { unified: 'other' };
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { unified: 'length', raw };
    case 'tool_use':
      return { unified: 'tool-calls', raw };
    case 'guardrail_intervened':
    case 'content_filtered':
      return { unified: 'content-filter', raw };
    default:
      return { unified: 'other', raw };
  }
}
