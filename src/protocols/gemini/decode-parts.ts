import { randomBytes } from 'node:crypto';
import type { AssistantPart, TokenLogprob } from '../../spec/index.js';
import type { GeminiLogprobsResult, GeminiPart } from './gemini-wire.js';

/**
 * Gemini function calls carry no id (except in some newer responses), but
 * every client dialect needs one to pair results with calls. The ids are
 * unique per response so they stay unique across a conversation.
 */
export function toolCallIds(): (upstreamId: string | undefined) => string {
  const prefix = randomBytes(4).toString('hex');
  let n = 0;
  return (upstreamId) => upstreamId ?? `call_${prefix}_${n++}`;
}

/**
 * One Gemini part → unified assistant parts. A `thoughtSignature` on a part
 * that is not itself a thought (usually the function call after thinking)
 * becomes an empty reasoning part carrying the signature, placed just before
 * it: the unified model has nowhere else to keep it, and the encoder puts it
 * back on the following part so multi-turn tool use keeps working.
 */
export function decodePart(part: GeminiPart, nextId: (upstreamId: string | undefined) => string, warn: (m: string) => void): AssistantPart[] {
  if (part.thought === true) {
    const reasoning: AssistantPart = { type: 'reasoning', text: part.text ?? '' };
    if (part.thoughtSignature !== undefined) reasoning.signature = part.thoughtSignature;
    return [reasoning];
  }
  const out: AssistantPart[] = [];
  if (part.thoughtSignature !== undefined) out.push({ type: 'reasoning', text: '', signature: part.thoughtSignature });
  if (part.functionCall !== undefined) {
    out.push({ type: 'tool-call', id: nextId(part.functionCall.id), name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) });
  } else if (part.text !== undefined) {
    out.push({ type: 'text', text: part.text });
  } else {
    const kind = Object.keys(part).filter((k) => k !== 'thoughtSignature').join(', ') || 'empty';
    warn(`gemini: response part of kind "${kind}" has no unified equivalent and was dropped`);
  }
  return out;
}

/** Appends parts, joining adjacent text so a response reads as one text block per run. */
export function appendParts(into: AssistantPart[], parts: AssistantPart[]): void {
  for (const p of parts) {
    const last = into[into.length - 1];
    if (p.type === 'text' && last?.type === 'text') last.text += p.text;
    else into.push(p);
  }
}

export function decodeLogprobs(result: GeminiLogprobsResult | undefined): TokenLogprob[] | undefined {
  const chosen = result?.chosenCandidates;
  if (chosen === undefined || chosen.length === 0) return undefined;
  return chosen.map((c, i) => {
    const lp: TokenLogprob = { token: c.token ?? '', logprob: c.logProbability ?? 0 };
    const top = result?.topCandidates?.[i]?.candidates;
    if (top !== undefined) lp.topLogprobs = top.map((t) => ({ token: t.token ?? '', logprob: t.logProbability ?? 0 }));
    return lp;
  });
}
