import { randomUUID } from 'node:crypto';
import { GatewayError, type AssistantPart, type ChatChoice, type ChatResponse } from '../../spec/index.js';
import { appendParts, decodeLogprobs, decodePart, toolCallIds } from './decode-parts.js';
import type { GeminiGenerateContentResponse } from './gemini-wire.js';
import { blockedFinishReason, mapFinishReason } from './map-finish-reason.js';
import { mapGeminiUsage } from './map-gemini-usage.js';

/**
 * A whole `:generateContent` answer → unified response.
 *
 * A prompt Gemini blocks before generating (`promptFeedback.blockReason`,
 * no candidates) becomes one empty choice finished by `content-filter`,
 * not an error: the upstream answered 200 and billed the prompt, and OpenAI
 * clients already know `finish_reason: "content_filter"` from Azure.
 */
export function decodeResponse(json: GeminiGenerateContentResponse, requestedModel: string, provider: string, warn: (m: string) => void): ChatResponse {
  const nextId = toolCallIds();
  const choices: ChatChoice[] = [];
  const candidates = json.candidates ?? [];
  candidates.forEach((c, i) => {
    const content: AssistantPart[] = [];
    for (const part of c.content?.parts ?? []) appendParts(content, decodePart(part, nextId, warn));
    const hadToolCalls = content.some((p) => p.type === 'tool-call');
    const choice: ChatChoice = {
      index: c.index ?? i,
      content,
      finishReason: mapFinishReason(c.finishReason ?? (content.length > 0 ? 'STOP' : undefined), hadToolCalls),
    };
    const logprobs = decodeLogprobs(c.logprobsResult);
    if (logprobs !== undefined) choice.logprobs = logprobs;
    choices.push(choice);
  });

  const blockReason = json.promptFeedback?.blockReason;
  if (choices.length === 0) {
    if (blockReason === undefined) {
      throw new GatewayError('upstream_bad_response', { message: 'Gemini returned neither candidates nor a block reason', provider });
    }
    choices.push({ index: 0, content: [], finishReason: blockedFinishReason(blockReason) });
  }

  const response: ChatResponse = {
    id: json.responseId ?? `gemini-${randomUUID()}`,
    model: json.modelVersion ?? requestedModel,
    created: Math.floor(Date.now() / 1000),
    choices,
    usage: mapGeminiUsage(json.usageMetadata),
  };
  const metadata = geminiMetadata(json);
  if (metadata !== undefined) response.providerMetadata = { gemini: metadata };
  return response;
}

/** Safety ratings, citations, grounding and prompt feedback: worth surfacing, no unified home. */
export function geminiMetadata(json: GeminiGenerateContentResponse): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (json.promptFeedback !== undefined) out['promptFeedback'] = json.promptFeedback;
  const perCandidate = (json.candidates ?? []).map((c) => {
    const m: Record<string, unknown> = {};
    if (c.safetyRatings !== undefined) m['safetyRatings'] = c.safetyRatings;
    if (c.citationMetadata !== undefined) m['citationMetadata'] = c.citationMetadata;
    if (c.groundingMetadata !== undefined) m['groundingMetadata'] = c.groundingMetadata;
    if (c.finishMessage !== undefined) m['finishMessage'] = c.finishMessage;
    return m;
  });
  if (perCandidate.some((m) => Object.keys(m).length > 0)) out['candidates'] = perCandidate;
  return Object.keys(out).length > 0 ? out : undefined;
}
