/**
 * Anthropic content blocks → unified parts. Block types with no unified
 * equivalent (server tool calls and results, search results' citations)
 * are not errors — an Anthropic upstream takes them verbatim — but each is
 * noted for the translated path, where it is dropped with a warning.
 */
import { GatewayError, type AssistantPart, type FilePart, type ImagePart, type TextPart, type ToolMessage, type UserPart } from '../../spec/index.js';
import type { DecodeNotes } from './decode-notes.js';
import { asArray, asObject, invalid, isAbsent, isObject, missing, oneOf, optBoolean, optString, requireString, type Json } from './json-checks.js';

/** Tool results need the tool's name for some upstreams (Gemini); the assistant turn that called it knows it. */
export type ToolNames = Map<string, string>;

export function blockList(content: unknown, param: string): Json[] {
  if (isAbsent(content)) throw missing(param);
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const arr = asArray(content, param);
  return arr.map((b, j) => {
    const block = asObject(b, `${param}.${j}`);
    requireString(block, 'type', `${param}.${j}.type`);
    return block;
  });
}

export function decodeTextBlock(b: Json, param: string, notes: DecodeNotes): TextPart {
  const part: TextPart = { type: 'text', text: requireString(b, 'text', `${param}.text`) };
  const cc = decodeCacheControl(b['cache_control'], `${param}.cache_control`);
  if (cc) part.cacheControl = cc;
  if (!isAbsent(b['citations'])) notes.warn(`${param}.citations: citations on input text are not carried to this upstream; ignored`);
  return part;
}

export function decodeCacheControl(v: unknown, param: string): TextPart['cacheControl'] {
  if (isAbsent(v)) return undefined;
  const cc = asObject(v, param);
  oneOf(cc['type'], `${param}.type`, ['ephemeral'] as const);
  const ttl = optString(cc['ttl'], `${param}.ttl`);
  return ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
}

/** Prompt-caching hints live only on text parts in the unified model; elsewhere they are noted. */
function noteCacheControl(b: Json, param: string, notes: DecodeNotes): void {
  if (!isAbsent(b['cache_control'])) notes.warn(`${param}.cache_control: caching hints on ${String(b['type'])} blocks are not carried to this upstream; ignored`);
}

export function decodeSystemContent(content: unknown, param: string, notes: DecodeNotes): TextPart[] {
  return blockList(content, param).map((b, j) => {
    const at = `${param}.${j}`;
    if (b['type'] !== 'text') throw invalid(`${at}.type`, "Input should be 'text'");
    return decodeTextBlock(b, at, notes);
  });
}

/**
 * A user turn: its tool results come first as tool messages (that is where
 * OpenAI-style upstreams need them, right after the calling turn), then the
 * remaining blocks as one user message.
 */
export function decodeUserTurn(content: unknown, param: string, names: ToolNames, notes: DecodeNotes): { tools: ToolMessage[]; parts: UserPart[] } {
  const tools: ToolMessage[] = [];
  const parts: UserPart[] = [];
  blockList(content, param).forEach((b, j) => {
    const at = `${param}.${j}`;
    switch (b['type']) {
      case 'tool_result':
        tools.push(decodeToolResult(b, at, names, notes));
        return;
      case 'text':
        parts.push(decodeTextBlock(b, at, notes));
        return;
      case 'image': {
        const image = decodeImage(b, at, notes);
        if (image) parts.push(image);
        return;
      }
      case 'document':
        parts.push(...decodeDocument(b, at, notes));
        return;
      case 'search_result':
        parts.push(searchResultText(b, at, notes));
        return;
      default:
        notes.warn(`${at}: "${String(b['type'])}" blocks cannot be translated for this upstream; omitted`);
    }
  });
  return { tools, parts };
}

function decodeToolResult(b: Json, param: string, names: ToolNames, notes: DecodeNotes): ToolMessage {
  const id = requireString(b, 'tool_use_id', `${param}.tool_use_id`);
  const msg: ToolMessage = { role: 'tool', toolCallId: id, content: [] };
  const name = names.get(id);
  if (name !== undefined) msg.toolName = name;
  if (optBoolean(b['is_error'], `${param}.is_error`) === true) msg.isError = true;
  noteCacheControl(b, param, notes);
  const content = b['content'];
  if (isAbsent(content)) return msg;
  blockList(content, `${param}.content`).forEach((c, k) => {
    const at = `${param}.content.${k}`;
    switch (c['type']) {
      case 'text':
        msg.content.push(decodeTextBlock(c, at, notes));
        return;
      case 'image': {
        const image = decodeImage(c, at, notes);
        if (image) msg.content.push(image);
        return;
      }
      case 'search_result':
        msg.content.push(searchResultText(c, at, notes));
        return;
      case 'document': {
        // Tool results carry only text and images in the unified model: a text document still fits.
        for (const p of decodeDocument(c, at, notes)) {
          if (p.type === 'text') msg.content.push(p);
          else notes.refuse(untranslatable(at, 'file documents inside a tool result'));
        }
        return;
      }
      default:
        notes.warn(`${at}: "${String(c['type'])}" blocks in tool results cannot be translated for this upstream; omitted`);
    }
  });
  return msg;
}

function decodeImage(b: Json, param: string, notes: DecodeNotes): ImagePart | undefined {
  const at = `${param}.source`;
  const src = asObject(b['source'] ?? missingValue(at), at);
  noteCacheControl(b, param, notes);
  const kind = oneOf(src['type'], `${at}.type`, ['base64', 'url', 'file'] as const);
  if (kind === 'base64') {
    return { type: 'image', source: { kind: 'base64', mediaType: requireString(src, 'media_type', `${at}.media_type`), data: requireString(src, 'data', `${at}.data`) } };
  }
  if (kind === 'url') return { type: 'image', source: { kind: 'url', url: requireString(src, 'url', `${at}.url`) } };
  requireString(src, 'file_id', `${at}.file_id`);
  notes.refuse(untranslatable(param, 'images by Anthropic file id'));
  return undefined;
}

function decodeDocument(b: Json, param: string, notes: DecodeNotes): (TextPart | FilePart | ImagePart)[] {
  const at = `${param}.source`;
  const src = asObject(b['source'] ?? missingValue(at), at);
  noteCacheControl(b, param, notes);
  if (!isAbsent(b['citations'])) notes.warn(`${param}.citations: document citations are an Anthropic feature; not requested from this upstream`);
  if (!isAbsent(b['context'])) notes.warn(`${param}.context: document context is not carried to this upstream; ignored`);
  const title = optString(b['title'], `${param}.title`);
  const kind = oneOf(src['type'], `${at}.type`, ['base64', 'url', 'text', 'content', 'file'] as const);
  const file = (source: FilePart['source']): FilePart => (title === undefined ? { type: 'file', source } : { type: 'file', source, filename: title });
  switch (kind) {
    case 'base64':
      return [file({ kind: 'base64', mediaType: requireString(src, 'media_type', `${at}.media_type`), data: requireString(src, 'data', `${at}.data`) })];
    case 'url':
      return [file({ kind: 'url', url: requireString(src, 'url', `${at}.url`) })];
    case 'file':
      return [file({ kind: 'file-id', fileId: requireString(src, 'file_id', `${at}.file_id`) })];
    case 'text': {
      // A plain-text document is text to every other upstream; its title keeps it identifiable.
      const data = requireString(src, 'data', `${at}.data`);
      return [{ type: 'text', text: title === undefined ? data : `${title}\n\n${data}` }];
    }
    case 'content': {
      const parts: (TextPart | ImagePart)[] = [];
      blockList(src['content'], `${at}.content`).forEach((c, k) => {
        const where = `${at}.content.${k}`;
        if (c['type'] === 'text') parts.push(decodeTextBlock(c, where, notes));
        else if (c['type'] === 'image') {
          const image = decodeImage(c, where, notes);
          if (image) parts.push(image);
        } else throw invalid(`${where}.type`, "Input should be 'text' or 'image'");
      });
      return parts;
    }
  }
}

/** A search result becomes readable text: its title, source and content, without Anthropic's citation machinery. */
function searchResultText(b: Json, param: string, notes: DecodeNotes): TextPart {
  const title = requireString(b, 'title', `${param}.title`);
  const source = requireString(b, 'source', `${param}.source`);
  const texts = blockList(b['content'], `${param}.content`).map((c, k) => decodeTextBlock(c, `${param}.content.${k}`, notes).text);
  notes.warn(`${param}: search results are sent as plain text to this upstream (no citations)`);
  return { type: 'text', text: `${title}\n${source}\n\n${texts.join('\n')}` };
}

export function decodeAssistantContent(content: unknown, param: string, names: ToolNames, notes: DecodeNotes): AssistantPart[] {
  const parts: AssistantPart[] = [];
  blockList(content, param).forEach((b, j) => {
    const at = `${param}.${j}`;
    switch (b['type']) {
      case 'text':
        parts.push(decodeTextBlock(b, at, notes));
        return;
      case 'thinking':
        parts.push({ type: 'reasoning', text: requireString(b, 'thinking', `${at}.thinking`), signature: requireString(b, 'signature', `${at}.signature`) });
        return;
      case 'redacted_thinking':
        parts.push({ type: 'reasoning', text: '', redactedData: requireString(b, 'data', `${at}.data`) });
        return;
      case 'tool_use': {
        const id = requireString(b, 'id', `${at}.id`);
        const name = requireString(b, 'name', `${at}.name`);
        if (!isObject(b['input'])) throw invalid(`${at}.input`, 'Input should be a valid dictionary');
        names.set(id, name);
        noteCacheControl(b, at, notes);
        parts.push({ type: 'tool-call', id, name, arguments: JSON.stringify(b['input']) });
        return;
      }
      default:
        // server_tool_use, web_search_tool_result, …: results of Anthropic-run tools, meaningless elsewhere.
        notes.warn(`${at}: "${String(b['type'])}" blocks (Anthropic server tools) cannot be translated for this upstream; omitted`);
    }
  });
  return parts;
}

function untranslatable(param: string, what: string): GatewayError {
  return new GatewayError('unsupported_parameter', {
    message: `${param}: ${what} can only be sent to an Anthropic upstream; this model is served by another provider`,
    param,
  });
}

function missingValue(param: string): never {
  throw missing(param);
}
