import type { Usage } from '../../spec/index.js';
import type { GeminiUsageMetadata } from './gemini-wire.js';

/**
 * Gemini usage → unified. `promptTokenCount` already includes cached
 * content (our `inputTokens` semantics); tool-use prompt tokens (search
 * results fed back in) are prompt too. Thoughts are billed as output but
 * reported apart from `candidatesTokenCount`, so they are added in.
 */
export function mapGeminiUsage(u: GeminiUsageMetadata | undefined): Usage {
  const input = (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0);
  const reasoning = u?.thoughtsTokenCount;
  const output = (u?.candidatesTokenCount ?? 0) + (reasoning ?? 0);
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: u?.totalTokenCount ?? input + output };
  if (u?.cachedContentTokenCount !== undefined) usage.cacheReadTokens = u.cachedContentTokenCount;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}
