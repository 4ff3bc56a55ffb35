/**
 * Joins the stored history (from `previous_response_id`) and this
 * request's input into the unified ChatRequest. `item_reference`s name
 * earlier items by id. They resolve against that history — the only items
 * this gateway can vouch for — where the named item already is, so the
 * reference adds nothing twice; a reference to anything else is a 400
 * naming the item.
 */
import type { ChatRequest } from '../../spec/index.js';
import { invalid } from '../openai/json-checks.js';
import type { DecodedResponses } from './decode-responses-request.js';
import { itemsToMessages } from './items-to-messages.js';
import type { DecodedInputItem, ResponseItem } from './response-types.js';

export function resolveItemReferences(input: DecodedInputItem[], history: ResponseItem[]): ResponseItem[] {
  let known: Set<string> | undefined;
  const out: ResponseItem[] = [];
  input.forEach((item, i) => {
    if (item.type !== 'item_reference') return void out.push(item);
    known ??= new Set(history.map((h) => h.id));
    if (!known.has(item.id)) {
      throw invalid(
        `Item with id '${item.id}' not found. Items can be referenced only within the conversation named by 'previous_response_id'.`,
        `input[${i}].id`,
      );
    }
  });
  return out;
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
