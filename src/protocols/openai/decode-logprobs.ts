import type { TokenLogprob } from '../../spec/index.js';
import type { OpenAILogprobs } from './wire-types.js';

export function decodeLogprobs(lp: OpenAILogprobs | null | undefined): TokenLogprob[] | undefined {
  if (lp === null || lp === undefined || !Array.isArray(lp.content)) return undefined;
  return lp.content.map((t) => {
    const out: TokenLogprob = { token: t.token, logprob: t.logprob };
    if (t.bytes !== undefined) out.bytes = t.bytes;
    if (Array.isArray(t.top_logprobs)) {
      out.topLogprobs = t.top_logprobs.map((x) => (x.bytes === undefined ? { token: x.token, logprob: x.logprob } : { token: x.token, logprob: x.logprob, bytes: x.bytes }));
    }
    return out;
  });
}
