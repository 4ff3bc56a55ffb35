import type { ChatResponse, TokenLogprob } from '../../spec/index.js';
import { encodeParts } from './encode-parts.js';
import { encodeUsage } from './encode-usage.js';
import type { GeminiCandidateOut, GenerateContentResponseOut, Json } from './gemini-wire.js';
import { mapFinishReason } from './map-finish-reason.js';

export interface EncodeOptions {
  includeThoughts: boolean;
  /** The model the client named, reported when the upstream's name says nothing better. */
  requestedModel: string;
  warn(message: string): void;
}

/** A unified answer → GenerateContentResponse (safety ratings and prompt feedback kept when a Gemini upstream sent them). */
export function encodeGenerateContentResponse(res: ChatResponse, opts: EncodeOptions): GenerateContentResponseOut {
  const meta = (res.providerMetadata?.['gemini'] ?? {}) as { promptFeedback?: unknown; candidates?: Json[] };
  const candidates: GeminiCandidateOut[] = res.choices.map((c, i) => {
    const out: GeminiCandidateOut = { index: c.index, finishReason: mapFinishReason(c.finishReason) };
    const parts = encodeParts(c.content, opts.includeThoughts, opts.warn);
    if (c.refusal) parts.push({ text: c.refusal });
    if (parts.length > 0 || c.finishReason.unified !== 'content-filter') out.content = { role: 'model', parts };
    const ratings = meta.candidates?.[i]?.['safetyRatings'];
    if (Array.isArray(ratings)) out.safetyRatings = ratings;
    if (c.logprobs !== undefined) out.logprobsResult = encodeLogprobs(c.logprobs);
    return out;
  });
  const body: GenerateContentResponseOut = { candidates, usageMetadata: encodeUsage(res.usage), modelVersion: res.model || opts.requestedModel, responseId: res.id };
  if (meta.promptFeedback !== undefined) body.promptFeedback = meta.promptFeedback;
  return body;
}

export function encodeLogprobs(lp: TokenLogprob[]): Json {
  return {
    chosenCandidates: lp.map((t) => ({ token: t.token, logProbability: t.logprob })),
    topCandidates: lp.map((t) => ({ candidates: (t.topLogprobs ?? []).map((x) => ({ token: x.token, logProbability: x.logprob })) })),
  };
}
