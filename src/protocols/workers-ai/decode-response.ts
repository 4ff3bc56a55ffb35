import { randomUUID } from 'node:crypto';
import { GatewayError, type AssistantPart, type ChatResponse } from '../../spec/index.js';
import { decodeUsage, finishReason, responseText, toolCallArguments, toolCallIds, toolCallName } from './decode-parts.js';
import type { WorkersAiChatResult, WorkersAiEnvelope } from './workers-ai-wire.js';

/** A whole run answer (`{result, success, errors, messages}`) → unified response. */
export function decodeResponse(json: WorkersAiEnvelope<WorkersAiChatResult>, model: string, maxTokens: number | undefined, provider: string): ChatResponse {
  const result = json.result;
  if (json.success === false || result === undefined || result === null || typeof result !== 'object') {
    const message = json.errors?.[0]?.message ?? `Upstream ${provider} sent a run answer without a result`;
    throw new GatewayError('upstream_bad_response', { message, provider, upstreamBody: JSON.stringify(json).slice(0, 2000) });
  }
  const content: AssistantPart[] = [];
  const text = responseText(result.response);
  if (text !== '') content.push({ type: 'text', text });
  const nextId = toolCallIds();
  (result.tool_calls ?? []).forEach((call, i) => {
    content.push({ type: 'tool-call', id: nextId(call, i), name: toolCallName(call) ?? '', arguments: toolCallArguments(call) || '{}' });
  });
  const usage = decodeUsage(result.usage ?? {});
  const hadToolCalls = content.some((p) => p.type === 'tool-call');
  return {
    // Workers AI has no response id.
    id: `workers-ai-${randomUUID()}`,
    model,
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, content, finishReason: finishReason(result.finish_reason, hadToolCalls, result.usage?.completion_tokens, maxTokens) }],
    usage,
  };
}
