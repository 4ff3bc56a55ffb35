/**
 * The unified ChatResponse as an Anthropic `message` object.
 */
import type { AssistantPart, ChatResponse } from '../../spec/index.js';
import { encodeUsage } from './encode-usage.js';
import { mapStopReason } from './map-stop-reason.js';
import { anthropicMessageId, parseToolInput } from './message-ids.js';

type Warn = (message: string) => void;

export function encodeMessagesResponse(res: ChatResponse, requestedModel: string, warn: Warn = () => {}): Record<string, unknown> {
  const choice = res.choices[0];
  const parts = choice?.content ?? [];
  const content = parts.map((p) => encodeBlock(p, warn));
  if (choice?.refusal !== undefined && choice.refusal !== '') content.push({ type: 'text', text: choice.refusal });
  const calledTools = parts.some((p) => p.type === 'tool-call');
  const stopReason = mapStopReason(choice?.finishReason ?? { unified: 'stop' }, calledTools);
  return {
    id: anthropicMessageId(res.id),
    type: 'message',
    role: 'assistant',
    model: requestedModel,
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? stopSequenceOf(res) : null,
    usage: encodeUsage(res.usage),
  };
}

function encodeBlock(p: AssistantPart, warn: Warn): Record<string, unknown> {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text };
    case 'reasoning':
      if (p.redactedData !== undefined) return { type: 'redacted_thinking', data: p.redactedData };
      // Anthropic clients expect a signature string; other providers' reasoning has none.
      return { type: 'thinking', thinking: p.text, signature: p.signature ?? '' };
    case 'tool-call':
      return { type: 'tool_use', id: p.id, name: p.name, input: parseToolInput(p.arguments, p.name, warn) };
  }
}

/** Only an Anthropic upstream says which stop sequence matched (kept in provider metadata). */
function stopSequenceOf(res: ChatResponse): string | null {
  const meta = res.providerMetadata?.['anthropic'];
  if (meta !== null && typeof meta === 'object' && typeof (meta as { stopSequence?: unknown }).stopSequence === 'string') {
    return (meta as { stopSequence: string }).stopSequence;
  }
  return null;
}
