/**
 * A conversation of Responses items (stored history first, then this
 * request's input) into unified chat messages. Consecutive assistant-side
 * items (reasoning, assistant text, function calls) fold into one assistant
 * message, the way chat-completion upstreams expect a turn; each
 * `function_call_output` becomes a tool message paired by `call_id`.
 */
import type { AssistantMessage, FilePart, ImagePart, Message, TextPart, UserPart } from '../../spec/index.js';
import { invalid } from '../openai/json-checks.js';
import { parseDataUrl } from '../openai/decode-content-parts.js';
import { mediaTypeFromName } from './decode-input-items.js';
import { decodeReasoningPayload } from './reasoning-payload.js';
import type { InputFileContent, InputImageContent, MessageItem, ResponseItem, UserContent } from './response-types.js';
import type { ToolNames } from './decode-response-tools.js';

export interface ItemsToMessagesOptions {
  instructions?: string;
  /** Index in `items` where this request's own input starts (earlier ones are stored history); for error params. */
  ownInputStart: number;
  toolNames: ToolNames;
  warn(message: string): void;
}

export function itemsToMessages(items: ResponseItem[], opts: ItemsToMessagesOptions): Message[] {
  const out: Message[] = [];
  if (opts.instructions !== undefined && opts.instructions !== '') out.push({ role: 'system', content: [{ type: 'text', text: opts.instructions }] });
  let assistant: AssistantMessage | undefined;
  const callNames = new Map<string, string>();
  const flush = (): void => {
    if (assistant) out.push(assistant);
    assistant = undefined;
  };
  const turn = (): AssistantMessage => (assistant ??= { role: 'assistant', content: [] });

  for (let i = 0; i < items.length; i++) {
    const item = items[i] as ResponseItem;
    const param = i >= opts.ownInputStart ? `input[${i - opts.ownInputStart}]` : undefined;
    switch (item.type) {
      case 'message':
        if (item.role === 'assistant') appendAssistantText(turn(), item);
        else {
          flush();
          out.push(userOrSystem(item));
        }
        break;
      case 'function_call': {
        const name = opts.toolNames.flatName(item.name, item.namespace);
        callNames.set(item.call_id, name);
        turn().content.push({ type: 'tool-call', id: item.call_id, name, arguments: item.arguments });
        break;
      }
      case 'reasoning': {
        const enc = item.encrypted_content;
        const parts = typeof enc === 'string' ? decodeReasoningPayload(enc) : undefined;
        if (parts) turn().content.push(...parts);
        else if (typeof enc === 'string') opts.warn('reasoning items encrypted by OpenAI cannot be replayed to this upstream and were dropped');
        else if (item.summary.length > 0) turn().content.push({ type: 'reasoning', text: item.summary.map((s) => s.text).join('\n\n') });
        break;
      }
      case 'function_call_output': {
        flush();
        const toolName = callNames.get(item.call_id);
        if (toolName === undefined && param !== undefined) {
          throw invalid(`No tool call found for function call output with call_id ${item.call_id}.`, `${param}.call_id`);
        }
        const content = typeof item.output === 'string' ? [{ type: 'text' as const, text: item.output }] : toolContent(item.output, opts.warn);
        out.push({ role: 'tool', toolCallId: item.call_id, ...(toolName !== undefined ? { toolName } : {}), content });
        break;
      }
    }
  }
  flush();
  return out;
}

function appendAssistantText(msg: AssistantMessage, item: MessageItem): void {
  for (const c of item.content) {
    if (c.type === 'output_text') msg.content.push({ type: 'text', text: c.text });
    else if (c.type === 'refusal') msg.refusal = (msg.refusal ?? '') + c.refusal;
  }
}

function userOrSystem(item: MessageItem): Message {
  if (item.role === 'system' || item.role === 'developer') {
    const content: TextPart[] = [];
    for (const c of item.content) if (c.type === 'input_text') content.push({ type: 'text', text: c.text });
    return item.role === 'developer' ? { role: 'system', developer: true, content } : { role: 'system', content };
  }
  const content: UserPart[] = [];
  for (const c of item.content) {
    content.push(userPart(c as UserContent));
  }
  return { role: 'user', content };
}

function userPart(c: UserContent): UserPart {
  if (c.type === 'input_text') return { type: 'text', text: c.text };
  if (c.type === 'input_image') return imagePart(c);
  return filePart(c);
}

function imagePart(c: InputImageContent): ImagePart {
  const url = c.image_url ?? '';
  const data = parseDataUrl(url);
  const source: ImagePart['source'] = data ? { kind: 'base64', mediaType: data.mediaType, data: data.data } : { kind: 'url', url };
  return { type: 'image', source, detail: c.detail };
}

function filePart(c: InputFileContent): FilePart {
  let source: FilePart['source'];
  if (c.file_data !== undefined) {
    const data = parseDataUrl(c.file_data);
    source = data ? { kind: 'base64', mediaType: data.mediaType, data: data.data } : { kind: 'base64', mediaType: mediaTypeFromName(c.filename) ?? 'application/octet-stream', data: c.file_data };
  } else if (c.file_url !== undefined) source = { kind: 'url', url: c.file_url };
  else source = { kind: 'file-id', fileId: c.file_id ?? '' };
  return c.filename !== undefined ? { type: 'file', source, filename: c.filename } : { type: 'file', source };
}

/** Tool results carry text and images upstream; a file in a tool result has no unified place and is reported. */
function toolContent(parts: UserContent[], warn: (m: string) => void): (TextPart | ImagePart)[] {
  const out: (TextPart | ImagePart)[] = [];
  for (const c of parts) {
    if (c.type === 'input_text') out.push({ type: 'text', text: c.text });
    else if (c.type === 'input_image') out.push(imagePart(c));
    else warn('input_file content inside a function_call_output cannot be sent upstream and was dropped');
  }
  return out;
}
