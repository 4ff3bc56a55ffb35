import type { Usage } from '../../spec/index.js';

export interface AnthropicUsageJson {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens_details?: { thinking_tokens: number };
}

/**
 * Unified usage → Anthropic's. Anthropic's `input_tokens` EXCLUDES cache reads
 * and writes (the unified count includes them), so they are taken out here;
 * clients add the three back to get the prompt size.
 */
export function encodeUsage(u: Usage | undefined): AnthropicUsageJson {
  const read = u?.cacheReadTokens ?? 0;
  const write = u?.cacheWriteTokens ?? 0;
  const out: AnthropicUsageJson = {
    input_tokens: Math.max(0, (u?.inputTokens ?? 0) - read - write),
    output_tokens: u?.outputTokens ?? 0,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  };
  if (u?.reasoningTokens !== undefined) out.output_tokens_details = { thinking_tokens: u.reasoningTokens };
  return out;
}
