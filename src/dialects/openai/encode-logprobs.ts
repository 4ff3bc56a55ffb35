import type { TokenLogprob } from '../../spec/index.js';

/** Unified token logprobs into OpenAI's `choices[].logprobs` object. */
export function encodeLogprobs(content: TokenLogprob[]): Record<string, unknown> {
  return {
    content: content.map((t) => ({
      token: t.token,
      logprob: t.logprob,
      bytes: t.bytes ?? null,
      top_logprobs: (t.topLogprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob, bytes: a.bytes ?? null })),
    })),
    refusal: null,
  };
}
