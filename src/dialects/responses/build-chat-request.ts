/**
 * Joins the stored history (from `previous_response_id`) and this
 * request's input into the unified ChatRequest. `item_reference`s name
 * earlier items by id; they resolve against that history (the only items
 * this gateway can vouch for), anything else is a 400 naming the item.
 */
import type { ChatRequest } from '../../spec/index.js';
import { invalid } from '../openai/json-checks.js';
import type { DecodedResponses } from './decode-responses-request.js';
import { itemsToMessages } from './items-to-messages.js';
import type { DecodedInputItem, ResponseItem } from './response-types.js';

export function resolveItemReferences(input: DecodedInputItem[], history: ResponseItem[]): ResponseItem[] {
  let byId: Map<string, ResponseItem> | undefined;
  return input.map((item, i) => {
    if (item.type !== 'item_reference') return item;
    byId ??= new Map(history.map((h) => [h.id, h]));
    const found = byId.get(item.id);
    if (!found) {
      throw invalid(
        `Item with id '${item.id}' not found. Items can be referenced only within the conversation named by 'previous_response_id'.`,
        `input[${i}].id`,
      );
    }
    return found;
  });
}

/** The unified request: history first, then this request's items, after the instructions. */
export function buildChatRequest(decoded: DecodedResponses, history: ResponseItem[], input: ResponseItem[], warn: (m: string) => void): ChatRequest {
  const messages = itemsToMessages([...history, ...input], {
    ...(decoded.instructions !== undefined ? { instructions: decoded.instructions } : {}),
    ownInputStart: history.length,
    toolNames: decoded.toolNames,
    warn,
  });
  if (messages.length === 0) throw invalid("Invalid 'input': the conversation is empty. Send at least one message.", 'input');
  return { ...decoded.options, messages };
}
