import type { Usage } from '../../spec/index.js';

/**
 * OpenAI's usage object. Cache writes have no OpenAI field; like LiteLLM we
 * add `cache_creation_input_tokens` when a provider reports them, so clients
 * that already read it from LiteLLM keep working.
 */
export function encodeUsage(u: Usage): Record<string, unknown> {
  const prompt: Record<string, number> = { cached_tokens: u.cacheReadTokens ?? 0 };
  if (u.inputAudioTokens !== undefined) prompt['audio_tokens'] = u.inputAudioTokens;
  const completion: Record<string, number> = { reasoning_tokens: u.reasoningTokens ?? 0 };
  if (u.outputAudioTokens !== undefined) completion['audio_tokens'] = u.outputAudioTokens;
  const out: Record<string, unknown> = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.totalTokens,
    prompt_tokens_details: prompt,
    completion_tokens_details: completion,
  };
  if (u.cacheWriteTokens !== undefined) out['cache_creation_input_tokens'] = u.cacheWriteTokens;
  return out;
}
