import { randomUUID } from 'node:crypto';
import { GatewayError, type AssistantPart, type ChatChoice, type ChatResponse, type TokenLogprob } from '../../spec/index.js';
import type { CohereChatResponse } from './cohere-wire.js';
import { convertUsage } from './convert-usage.js';
import { mapFinishReason } from './map-finish-reason.js';

/**
 * A `/v2/chat` answer → unified response. The tool plan (Cohere's "I will
 * look up…" before calling tools) and thinking content are reasoning;
 * citations have no unified home and travel in providerMetadata.
 */
export function decodeResponse(json: CohereChatResponse, requestedModel: string, provider: string): ChatResponse {
  const msg = json.message;
  if (msg === undefined) throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a chat answer without a message`, provider });
  const content: AssistantPart[] = [];
  for (const c of msg.content ?? []) {
    if (c.type === 'thinking' && c.thinking) content.push({ type: 'reasoning', text: c.thinking });
  }
  if (msg.tool_plan) content.push({ type: 'reasoning', text: msg.tool_plan });
  const text = (msg.content ?? []).filter((c) => c.type === 'text').map((c) => c.text ?? '').join('');
  if (text !== '') content.push({ type: 'text', text });
  for (const call of msg.tool_calls ?? []) {
    content.push({ type: 'tool-call', id: call.id ?? `call_${randomUUID()}`, name: call.function?.name ?? '', arguments: call.function?.arguments ?? '{}' });
  }
  const choice: ChatChoice = { index: 0, content, finishReason: mapFinishReason(json.finish_reason) };
  const logprobs = decodeLogprobs(json.logprobs);
  if (logprobs !== undefined) choice.logprobs = logprobs;
  const response: ChatResponse = {
    id: json.id ?? `cohere-${randomUUID()}`,
    // Cohere does not echo the model.
    model: requestedModel,
    created: Math.floor(Date.now() / 1000),
    choices: [choice],
    usage: convertUsage(json.usage),
  };
  if (msg.citations !== undefined && msg.citations.length > 0) response.providerMetadata = { cohere: { citations: msg.citations } };
  return response;
}

/** Cohere gives log probabilities per text piece (which may span several token ids); the piece is the unit. */
export function decodeLogprobs(list: CohereChatResponse['logprobs']): TokenLogprob[] | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return list.map((l) => ({ token: l.text ?? '', logprob: (l.logprobs ?? []).reduce((a, b) => a + b, 0) }));
}
