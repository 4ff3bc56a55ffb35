import { randomUUID } from 'node:crypto';
import { GatewayError, type AssistantPart, type ChatChoice, type ChatResponse } from '../../spec/index.js';
import { createdSeconds, decodeLogprobs, decodeMessage, decodeUsage, toolCallIds } from './decode-message.js';
import { mapDoneReason } from './map-done-reason.js';
import type { OllamaChatChunk } from './ollama-wire.js';

/** A whole `/api/chat` answer (`stream: false`) → unified response. */
export function decodeResponse(json: OllamaChatChunk, requestedModel: string, provider: string): ChatResponse {
  if (json.error !== undefined) {
    throw new GatewayError('upstream_bad_response', { message: json.error, provider, upstreamBody: JSON.stringify(json).slice(0, 2000) });
  }
  if (json.message === undefined) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a chat answer without a message`, provider });
  }
  const content: AssistantPart[] = decodeMessage(json.message, toolCallIds());
  const choice: ChatChoice = { index: 0, content, finishReason: mapDoneReason(json.done_reason, content.some((p) => p.type === 'tool-call')) };
  const logprobs = decodeLogprobs(json.logprobs);
  if (logprobs !== undefined) choice.logprobs = logprobs;
  return {
    // Ollama has no response id.
    id: `ollama-${randomUUID()}`,
    model: json.model ?? requestedModel,
    created: createdSeconds(json.created_at),
    choices: [choice],
    usage: decodeUsage(json),
  };
}
