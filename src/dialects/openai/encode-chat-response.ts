/**
 * The unified ChatResponse as an OpenAI `chat.completion` object.
 */
import type { AssistantPart, ChatChoice, ChatResponse } from '../../spec/index.js';
import { encodeLogprobs } from './encode-logprobs.js';
import { encodeUsage } from './encode-usage.js';
import { mapFinishReason } from './map-finish-reason.js';

export function encodeChatResponse(res: ChatResponse): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: res.id,
    object: 'chat.completion',
    created: res.created,
    model: res.model,
    choices: res.choices.map(encodeChoice),
    usage: encodeUsage(res.usage),
  };
  if (res.systemFingerprint !== undefined) out['system_fingerprint'] = res.systemFingerprint;
  if (res.serviceTier !== undefined) out['service_tier'] = res.serviceTier;
  return out;
}

function encodeChoice(c: ChatChoice): Record<string, unknown> {
  return {
    index: c.index,
    message: encodeAssistantMessage(c.content, c.refusal),
    logprobs: c.logprobs ? encodeLogprobs(c.logprobs) : null,
    finish_reason: mapFinishReason(c.finishReason),
  };
}

export function encodeAssistantMessage(parts: AssistantPart[], refusal: string | undefined): Record<string, unknown> {
  let text: string | undefined;
  let reasoning: string | undefined;
  let keepBlocks = false;
  const toolCalls: Record<string, unknown>[] = [];
  for (const p of parts) {
    if (p.type === 'text') text = (text ?? '') + p.text;
    else if (p.type === 'reasoning') {
      reasoning = (reasoning ?? '') + p.text;
      if (p.signature !== undefined || p.redactedData !== undefined) keepBlocks = true;
    } else toolCalls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } });
  }
  // OpenAI sends null content when the model only called tools, and "" for an empty answer.
  const msg: Record<string, unknown> = {
    role: 'assistant',
    content: text ?? (toolCalls.length > 0 || refusal !== undefined ? null : ''),
    refusal: refusal ?? null,
  };
  if (reasoning !== undefined) msg['reasoning_content'] = reasoning;
  // LiteLLM's `thinking_blocks` carry Anthropic signatures the client must send back on the next turn.
  if (keepBlocks) msg['thinking_blocks'] = parts.filter((p) => p.type === 'reasoning').map(encodeThinkingBlock);
  if (toolCalls.length > 0) msg['tool_calls'] = toolCalls;
  return msg;
}

function encodeThinkingBlock(p: AssistantPart): Record<string, unknown> {
  if (p.type !== 'reasoning') return {};
  if (p.redactedData !== undefined) return { type: 'redacted_thinking', data: p.redactedData };
  return p.signature !== undefined
    ? { type: 'thinking', thinking: p.text, signature: p.signature }
    : { type: 'thinking', thinking: p.text };
}
