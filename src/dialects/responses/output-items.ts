/**
 * Assistant parts (in the order the model produced them) into Responses
 * output items: runs of reasoning become one `reasoning` item, runs of text
 * one `message` with a single `output_text`, each tool call a
 * `function_call`. Reasoning always keeps its round-trip payload here (the
 * stored copy needs it); `clientView` removes it unless the client asked.
 */
import type { AssistantPart, ReasoningPart } from '../../spec/index.js';
import type { ToolNames } from './decode-response-tools.js';
import { encodeReasoningPayload } from './reasoning-payload.js';
import { newItemId } from './response-ids.js';
import type { FunctionCallItem, ItemStatus, MessageItem, OutputItem, ReasoningItem } from './response-types.js';

export interface OutputOptions {
  toolNames: ToolNames;
  /** Show reasoning text as a summary (the client set `reasoning.summary`). */
  reasoningSummary: boolean;
  /** 'incomplete' when generation was cut (length, content filter). */
  itemStatus: ItemStatus;
}

export function reasoningItem(id: string, parts: ReasoningPart[], showSummary: boolean): ReasoningItem {
  const text = parts.map((p) => p.text).join('');
  return {
    id,
    type: 'reasoning',
    summary: showSummary && text !== '' ? [{ type: 'summary_text', text }] : [],
    encrypted_content: encodeReasoningPayload(parts),
  };
}

export function messageItem(id: string, text: string, refusal: string | undefined, status: ItemStatus): MessageItem {
  const content: MessageItem['content'] = [];
  if (text !== '' || refusal === undefined) content.push({ type: 'output_text', text, annotations: [] });
  if (refusal !== undefined) content.push({ type: 'refusal', refusal });
  return { id, type: 'message', role: 'assistant', status, content };
}

export function functionCallItem(id: string, callId: string, upstreamName: string, args: string, status: ItemStatus, names: ToolNames): FunctionCallItem {
  const { name, namespace } = names.clientName(upstreamName);
  const item: FunctionCallItem = { id, type: 'function_call', status, arguments: args, call_id: callId, name };
  if (namespace !== undefined) item.namespace = namespace;
  return item;
}

export function outputItemsFromParts(parts: AssistantPart[], refusal: string | undefined, opts: OutputOptions): OutputItem[] {
  const out: OutputItem[] = [];
  let reasoning: ReasoningPart[] | undefined;
  let text: string | undefined;
  const flush = (): void => {
    if (reasoning) out.push(reasoningItem(newItemId('rs'), reasoning, opts.reasoningSummary));
    if (text !== undefined) out.push(messageItem(newItemId('msg'), text, undefined, opts.itemStatus));
    reasoning = undefined;
    text = undefined;
  };
  for (const p of parts) {
    if (p.type === 'reasoning') {
      if (text !== undefined) flush();
      (reasoning ??= []).push(p);
    } else if (p.type === 'text') {
      if (reasoning) flush();
      text = (text ?? '') + p.text;
    } else {
      flush();
      out.push(functionCallItem(newItemId('fc'), p.id, p.name, p.arguments, 'completed', opts.toolNames));
    }
  }
  flush();
  if (refusal !== undefined) out.push(messageItem(newItemId('msg'), '', refusal, opts.itemStatus));
  return out;
}
