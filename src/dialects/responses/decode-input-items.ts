/**
 * The Responses `input` (a string or a list of items) checked field by field
 * and normalised into stored-item shape: string contents become content
 * lists, every item gets an id (so `input_items` can page by id), and item
 * kinds only OpenAI's own servers can run are refused by name.
 */
import {
  asArray,
  asObject,
  asString,
  badValue,
  invalid,
  isAbsent,
  missing,
  optEnum,
  optString,
  requireString,
  unsupported,
  type Json,
} from '../openai/json-checks.js';
import { parseDataUrl } from '../openai/decode-content-parts.js';
import { newItemId } from './response-ids.js';
import type {
  DecodedInputItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  InputFileContent,
  InputImageContent,
  ItemStatus,
  MessageContent,
  MessageItem,
  ReasoningItem,
  SummaryText,
  UserContent,
} from './response-types.js';

const ROLES = ['user', 'assistant', 'system', 'developer'] as const;
const DETAILS = ['auto', 'low', 'high'] as const;
const STATUSES: readonly ItemStatus[] = ['in_progress', 'completed', 'incomplete'];
const ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference'] as const;

export function decodeInput(v: unknown): DecodedInputItem[] {
  if (isAbsent(v)) throw missing('input');
  if (typeof v === 'string') return [{ type: 'message', id: newItemId('msg'), role: 'user', content: [{ type: 'input_text', text: v }] }];
  const arr = asArray(v, 'input');
  const out: DecodedInputItem[] = [];
  for (let i = 0; i < arr.length; i++) out.push(decodeItem(asObject(arr[i], `input[${i}]`), `input[${i}]`));
  return out;
}

function decodeItem(o: Json, param: string): DecodedInputItem {
  // EasyInputMessage: `{role, content}` without a type is a message.
  const type = isAbsent(o['type']) ? (isAbsent(o['role']) ? undefined : 'message') : asString(o['type'], `${param}.type`);
  switch (type) {
    case 'message':
      return decodeMessage(o, param);
    case 'function_call':
      return decodeFunctionCall(o, param);
    case 'function_call_output':
      return decodeFunctionCallOutput(o, param);
    case 'reasoning':
      return decodeReasoning(o, param);
    case 'item_reference':
      return { type: 'item_reference', id: requireString(o, 'id', `${param}.id`) };
    case undefined:
      throw missing(`${param}.type`);
    default:
      if (type.endsWith('_call') || type.endsWith('_call_output') || type.startsWith('mcp_') || type === 'compaction') {
        throw unsupported(
          `${param}.type`,
          `Input items of type '${type}' belong to a built-in OpenAI tool or server feature, which this gateway cannot replay to a chat-completions upstream.`,
        );
      }
      throw badValue(`${param}.type`, type, ITEM_TYPES);
  }
}

function itemId(o: Json, param: string, prefix: 'msg' | 'fc' | 'fco' | 'rs'): string {
  return optString(o['id'], `${param}.id`) ?? newItemId(prefix);
}

function withStatus<T extends { status?: ItemStatus }>(item: T, o: Json, param: string): T {
  const status = optEnum(o['status'], `${param}.status`, STATUSES);
  if (status !== undefined) item.status = status;
  return item;
}

function decodeMessage(o: Json, param: string): MessageItem {
  const role = optEnum(o['role'], `${param}.role`, ROLES);
  if (role === undefined) throw missing(`${param}.role`);
  const content = o['content'];
  if (isAbsent(content)) throw missing(`${param}.content`);
  let parts: MessageContent[];
  if (typeof content === 'string') {
    parts = [role === 'assistant' ? { type: 'output_text', text: content, annotations: [] } : { type: 'input_text', text: content }];
  } else {
    const arr = asArray(content, `${param}.content`);
    parts = arr.map((p, j) => decodeContent(asObject(p, `${param}.content[${j}]`), `${param}.content[${j}]`, role));
  }
  const item: MessageItem = { type: 'message', id: itemId(o, param, 'msg'), role, content: parts };
  return withStatus(item, o, param);
}

function decodeContent(p: Json, param: string, role: MessageItem['role']): MessageContent {
  const type = p['type'];
  if (role === 'assistant') {
    // Clients that rebuild history by hand often label assistant text `input_text`; it means the same here.
    if (type === 'output_text' || type === 'input_text') return { type: 'output_text', text: requireString(p, 'text', `${param}.text`), annotations: [] };
    if (type === 'refusal') return { type: 'refusal', refusal: requireString(p, 'refusal', `${param}.refusal`) };
    if (isAbsent(type)) throw missing(`${param}.type`);
    throw badValue(`${param}.type`, type, ['output_text', 'refusal']);
  }
  if (role !== 'user' && type !== 'input_text') {
    if (isAbsent(type)) throw missing(`${param}.type`);
    throw invalid(`Invalid value for '${param}.type': ${role} messages may only contain 'input_text' content.`, `${param}.type`);
  }
  return decodeUserContentPart(p, param);
}

/** User and tool-output content: text, images, files. */
export function decodeUserContentPart(p: Json, param: string): UserContent {
  const type = p['type'];
  switch (type) {
    case 'input_text':
      return { type: 'input_text', text: requireString(p, 'text', `${param}.text`) };
    case 'input_image':
      return decodeImage(p, param);
    case 'input_file':
      return decodeFile(p, param);
    default:
      if (isAbsent(type)) throw missing(`${param}.type`);
      throw badValue(`${param}.type`, type, ['input_text', 'input_image', 'input_file']);
  }
}

function decodeImage(p: Json, param: string): InputImageContent {
  const url = optString(p['image_url'], `${param}.image_url`);
  const fileId = optString(p['file_id'], `${param}.file_id`);
  if (fileId !== undefined && url === undefined) {
    throw unsupported(`${param}.file_id`, `Invalid '${param}.file_id': images by OpenAI file id cannot be sent through this gateway; send 'image_url' (a URL or a data URL) instead.`);
  }
  if (url === undefined) throw missing(`${param}.image_url`);
  const data = parseDataUrl(url);
  if (data ? !data.mediaType.startsWith('image/') : !/^https?:\/\//.test(url)) {
    throw invalid(`Invalid '${param}.image_url': expected a URL (http or https) or a base64 data URL (data:image/...;base64,...).`, `${param}.image_url`);
  }
  // 'original' (newest models) has no equivalent elsewhere; 'high' is the closest every upstream knows.
  const raw = p['detail'];
  const detail = raw === 'original' ? 'high' : (optEnum(raw, `${param}.detail`, DETAILS) ?? 'auto');
  return { type: 'input_image', image_url: url, detail };
}

function decodeFile(p: Json, param: string): InputFileContent {
  const out: InputFileContent = { type: 'input_file' };
  const filename = optString(p['filename'], `${param}.filename`);
  const fileData = optString(p['file_data'], `${param}.file_data`);
  const fileUrl = optString(p['file_url'], `${param}.file_url`);
  const fileId = optString(p['file_id'], `${param}.file_id`);
  if (filename !== undefined) out.filename = filename;
  if (fileData !== undefined) {
    if (!parseDataUrl(fileData) && mediaTypeFromName(filename) === undefined) {
      throw invalid(`Invalid '${param}.file_data': expected a base64 data URL (data:<mime>;base64,...), or a 'filename' whose extension names the type.`, `${param}.file_data`);
    }
    out.file_data = fileData;
  } else if (fileUrl !== undefined) out.file_url = fileUrl;
  else if (fileId !== undefined) out.file_id = fileId;
  else throw invalid(`Invalid '${param}': one of 'file_data', 'file_url' or 'file_id' is required.`, param);
  return out;
}

/** The MIME type of raw base64 `file_data`, from the file name (OpenAI accepts PDFs and text this way). */
export function mediaTypeFromName(filename: string | undefined): string | undefined {
  const ext = filename?.toLowerCase().split('.').pop();
  const types: Record<string, string> = { pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', json: 'application/json', html: 'text/html' };
  return ext === undefined ? undefined : types[ext];
}

function decodeFunctionCall(o: Json, param: string): FunctionCallItem {
  const item: FunctionCallItem = {
    type: 'function_call',
    id: itemId(o, param, 'fc'),
    call_id: requireString(o, 'call_id', `${param}.call_id`),
    name: requireString(o, 'name', `${param}.name`),
    arguments: requireString(o, 'arguments', `${param}.arguments`),
  };
  const ns = optString(o['namespace'], `${param}.namespace`);
  if (ns !== undefined) item.namespace = ns;
  return withStatus(item, o, param);
}

function decodeFunctionCallOutput(o: Json, param: string): FunctionCallOutputItem {
  const raw = o['output'];
  if (isAbsent(raw)) throw missing(`${param}.output`);
  const output =
    typeof raw === 'string'
      ? raw
      : asArray(raw, `${param}.output`).map((p, j) => decodeUserContentPart(asObject(p, `${param}.output[${j}]`), `${param}.output[${j}]`));
  const item: FunctionCallOutputItem = { type: 'function_call_output', id: itemId(o, param, 'fco'), call_id: requireString(o, 'call_id', `${param}.call_id`), output };
  return withStatus(item, o, param);
}

function decodeReasoning(o: Json, param: string): ReasoningItem {
  const summary: SummaryText[] = [];
  if (!isAbsent(o['summary'])) {
    const arr = asArray(o['summary'], `${param}.summary`);
    for (let j = 0; j < arr.length; j++) {
      const s = asObject(arr[j], `${param}.summary[${j}]`);
      summary.push({ type: 'summary_text', text: requireString(s, 'text', `${param}.summary[${j}].text`) });
    }
  }
  const item: ReasoningItem = { type: 'reasoning', id: itemId(o, param, 'rs'), summary };
  const enc = optString(o['encrypted_content'], `${param}.encrypted_content`);
  if (enc !== undefined) item.encrypted_content = enc;
  return withStatus(item, o, param);
}
