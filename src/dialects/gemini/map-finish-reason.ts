import type { FinishReason } from '../../spec/index.js';

/** Gemini's own finish reasons: a raw one from a Gemini upstream is passed back as it came. */
const GEMINI_REASONS = new Set([
  'STOP', 'MAX_TOKENS', 'SAFETY', 'RECITATION', 'LANGUAGE', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII',
  'MALFORMED_FUNCTION_CALL', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS',
]);

/** Unified → Gemini. Gemini ends a turn of function calls with STOP: it has no tool-call reason. */
export function mapFinishReason(reason: FinishReason): string {
  if (reason.raw !== undefined && GEMINI_REASONS.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'stop':
    case 'tool-calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content-filter':
      return 'SAFETY';
    default:
      return 'OTHER';
  }
}
