/**
 * The slice of OpenAI's chat-completions wire format this protocol reads.
 * Everything is optional because OpenAI-compatible servers differ in what
 * they omit; decoders narrow before use.
 */

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number } | null;
  /** DeepSeek reports its context-cache hits here instead of prompt_tokens_details. */
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
}

export interface OpenAIToolCall {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface OpenAITopLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
}

export interface OpenAILogprobs {
  content?: (OpenAITopLogprob & { top_logprobs?: OpenAITopLogprob[] })[] | null;
  refusal?: unknown;
}

/** A message (non-stream) or a delta (stream): same fields, different completeness. */
export interface OpenAIMessageLike {
  role?: string;
  content?: string | null | { type?: string; text?: string }[];
  refusal?: string | null;
  tool_calls?: OpenAIToolCall[] | null;
  /** DeepSeek (and many hosts of open reasoning models). */
  reasoning_content?: string | null;
  /** vLLM, OpenRouter and some others. */
  reasoning?: string | null;
  /** MiniMax with `reasoning_split: true` (and OpenRouter beside `reasoning`): text items. */
  reasoning_details?: { type?: string; text?: string }[] | null;
}

export interface OpenAIChoice {
  index?: number;
  message?: OpenAIMessageLike;
  delta?: OpenAIMessageLike;
  finish_reason?: string | null;
  logprobs?: OpenAILogprobs | null;
}

export interface OpenAIChatBody {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: OpenAIChoice[];
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  error?: unknown;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
