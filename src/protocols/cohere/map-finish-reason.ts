import type { FinishReason, UnifiedFinishReason } from '../../spec/index.js';

const UNIFIED: Record<string, UnifiedFinishReason> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool-calls',
  ERROR: 'error',
  // Cohere stopped generating on its own deadline: the answer is truncated, not complete.
  TIMEOUT: 'error',
  // API v1's toxic-content stop; kept in case a deployment still returns it.
  ERROR_TOXIC: 'content-filter',
};

export function mapFinishReason(raw: string | undefined): FinishReason {
  if (raw === undefined || raw === '') return { unified: 'other' };
  return { unified: UNIFIED[raw] ?? 'other', raw };
}
