import type { Usage } from '../../spec/index.js';
import type { OpenAIUsage } from './wire-types.js';

/**
 * OpenAI usage → unified usage. `prompt_tokens` already includes cached
 * tokens (our `inputTokens` semantics), and `completion_tokens` includes
 * reasoning, so both pass straight through. Optional counters appear only
 * when the upstream reported them.
 */
export function decodeUsage(u: OpenAIUsage | null | undefined): Usage | undefined {
  if (u === null || u === undefined || typeof u !== 'object') return undefined;
  const input = num(u.prompt_tokens) ?? 0;
  const output = num(u.completion_tokens) ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: num(u.total_tokens) ?? input + output };
  const cached = num(u.prompt_tokens_details?.cached_tokens) ?? num(u.prompt_cache_hit_tokens);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  const reasoning = num(u.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  const inAudio = num(u.prompt_tokens_details?.audio_tokens);
  if (inAudio) usage.inputAudioTokens = inAudio;
  const outAudio = num(u.completion_tokens_details?.audio_tokens);
  if (outAudio) usage.outputAudioTokens = outAudio;
  return usage;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
