import type { FinishReason, UnifiedFinishReason } from '../../spec/index.js';

const UNIFIED: Record<string, UnifiedFinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content-filter',
  RECITATION: 'content-filter',
  BLOCKLIST: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter',
  SPII: 'content-filter',
  IMAGE_SAFETY: 'content-filter',
  IMAGE_PROHIBITED_CONTENT: 'content-filter',
  IMAGE_RECITATION: 'content-filter',
  // The model tried to call a tool and produced something unusable.
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
  MISSING_THOUGHT_SIGNATURE: 'error',
};

/**
 * Gemini finish reason → unified. Gemini says STOP even when the turn ended
 * in function calls, so the caller tells us whether the candidate had any.
 */
export function mapFinishReason(raw: string | undefined, hadToolCalls: boolean): FinishReason {
  if (raw === undefined) return { unified: hadToolCalls ? 'tool-calls' : 'other' };
  const unified = UNIFIED[raw] ?? 'other';
  return { unified: unified === 'stop' && hadToolCalls ? 'tool-calls' : unified, raw };
}

/** A prompt blocked before generation (`promptFeedback.blockReason`). */
export function blockedFinishReason(blockReason: string): FinishReason {
  return { unified: 'content-filter', raw: blockReason };
}
