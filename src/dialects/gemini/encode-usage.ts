import type { Usage } from '../../spec/index.js';
import type { GeminiUsageMetadata } from './gemini-wire.js';

/**
 * Unified usage → `usageMetadata`. Gemini counts thoughts apart from the
 * candidates (unified output includes reasoning), and its prompt count
 * includes cached content (as unified input does).
 */
export function encodeUsage(u: Usage | undefined): GeminiUsageMetadata {
  const input = u?.inputTokens ?? 0;
  const thoughts = u?.reasoningTokens ?? 0;
  const candidates = Math.max(0, (u?.outputTokens ?? 0) - thoughts);
  const out: GeminiUsageMetadata = { promptTokenCount: input, candidatesTokenCount: candidates, totalTokenCount: u?.totalTokens ?? input + candidates + thoughts };
  if (u?.cacheReadTokens) out.cachedContentTokenCount = u.cacheReadTokens;
  if (thoughts > 0) out.thoughtsTokenCount = thoughts;
  return out;
}
