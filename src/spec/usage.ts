/**
 * Token usage, normalised across providers.
 *
 * `inputTokens` is the WHOLE prompt, cached parts included (OpenAI's
 * semantics). Providers that report cache reads/writes separately from
 * "input" (Anthropic) are summed into it by their protocol adapter, so cost
 * code can always price `inputTokens - cacheReadTokens - cacheWriteTokens`
 * at the plain input rate.
 *
 * `outputTokens` is the whole completion, reasoning included;
 * `reasoningTokens` is the part of it spent thinking.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** Audio/image tokens etc. where a provider reports them; informational. */
  inputAudioTokens?: number;
  outputAudioTokens?: number;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}

/** Adds `b` into a copy of `a`; optional counters stay absent when both are. */
export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  for (const k of ['cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'inputAudioTokens', 'outputAudioTokens'] as const) {
    if (a[k] !== undefined || b[k] !== undefined) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  }
  return out;
}
