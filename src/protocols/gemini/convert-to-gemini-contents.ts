import { invalidRequest, type AssistantMessage, type Message, type ToolMessage, type UserPart } from '../../spec/index.js';
import type { GeminiContent, GeminiPart } from './gemini-wire.js';
import { parseToolArguments } from '../shared/tool-arguments.js';

export interface ConvertedContents {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

/**
 * Unified messages → Gemini `systemInstruction` + `contents`.
 *
 * Gemini has one system instruction, two roles (`user`, `model`) and names
 * tool results by function name rather than call id, so: every system or
 * developer message joins the system instruction; tool results become
 * `functionResponse` parts in a user turn, named from the assistant call
 * with the same id; consecutive turns of the same role are merged, because
 * Gemini expects the parallel calls of one turn answered in one turn.
 */
export function convertToGeminiContents(messages: Message[], warn: (m: string) => void): ConvertedContents {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  let seenConversation = false;

  messages.forEach((msg, i) => {
    switch (msg.role) {
      case 'system':
        if (seenConversation) warn(`gemini: system message at messages[${i}] moved into systemInstruction (Gemini has a single system instruction)`);
        for (const p of msg.content) system.push({ text: p.text });
        return;
      case 'user':
        seenConversation = true;
        if (msg.name !== undefined) warn('gemini: message `name` is not supported and was ignored');
        push(contents, 'user', msg.content.map((p, j) => userPart(p, `messages[${i}].content[${j}]`, warn)));
        return;
      case 'assistant':
        seenConversation = true;
        push(contents, 'model', assistantParts(msg, i, warn));
        return;
      case 'tool':
        seenConversation = true;
        push(contents, 'user', toolResultParts(msg, messages, i, warn));
        return;
    }
  });

  const out: ConvertedContents = { contents };
  if (system.length > 0) out.systemInstruction = { parts: system };
  return out;
}

function push(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last !== undefined && last.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function userPart(part: UserPart, param: string, warn: (m: string) => void): GeminiPart {
  switch (part.type) {
    case 'text':
      if (part.cacheControl) warn('gemini: cacheControl hints are ignored (Gemini caches implicitly or via providerOptions.gemini.cachedContent)');
      return { text: part.text };
    case 'image':
      if (part.detail !== undefined && part.detail !== 'auto') warn('gemini: image `detail` is not supported and was ignored');
      return part.source.kind === 'base64'
        ? { inlineData: { mimeType: part.source.mediaType, data: part.source.data } }
        : urlPart(part.source.url, param, warn);
    case 'file':
      if (part.source.kind === 'base64') return { inlineData: { mimeType: part.source.mediaType, data: part.source.data } };
      // A Gemini Files API id ("files/abc") is addressed by its URI like any other file.
      if (part.source.kind === 'file-id') return urlPart(fileIdUri(part.source.fileId), param, warn);
      return urlPart(part.source.url, param, warn);
    case 'audio':
      return { inlineData: { mimeType: `audio/${part.format}`, data: part.data } };
  }
}

function urlPart(url: string, param: string, warn: (m: string) => void): GeminiPart {
  const data = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (data !== null && data[1] !== undefined && data[2] !== undefined) return { inlineData: { mimeType: data[1], data: data[2] } };
  const mimeType = guessMimeType(url);
  if (mimeType === undefined) {
    warn(`gemini: could not tell the media type of ${param} from its URL; sent without mimeType`);
    return { fileData: { fileUri: url } };
  }
  return { fileData: { mimeType, fileUri: url } };
}

function fileIdUri(fileId: string): string {
  if (/^https?:\/\//.test(fileId)) return fileId;
  return `https://generativelanguage.googleapis.com/v1beta/${fileId.startsWith('files/') ? fileId : `files/${fileId}`}`;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif',
  heic: 'image/heic', heif: 'image/heif', pdf: 'application/pdf', txt: 'text/plain', md: 'text/md',
  html: 'text/html', csv: 'text/csv', json: 'application/json', mp3: 'audio/mp3', wav: 'audio/wav',
  ogg: 'audio/ogg', flac: 'audio/flac', aac: 'audio/aac', mp4: 'video/mp4', mov: 'video/mov',
  webm: 'video/webm', mpeg: 'video/mpeg',
};

export function guessMimeType(url: string): string | undefined {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not an absolute URL: use it as a path
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext !== undefined && MIME_BY_EXTENSION[ext] !== undefined) return MIME_BY_EXTENSION[ext];
  if (/(^|\.)youtube\.com$|(^|\.)youtu\.be$/.test(hostOf(url))) return 'video/*';
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

function assistantParts(msg: AssistantMessage, i: number, warn: (m: string) => void): GeminiPart[] {
  if (msg.name !== undefined) warn('gemini: message `name` is not supported and was ignored');
  const parts: GeminiPart[] = [];
  // A signature decoded from a non-thought part arrives as an empty reasoning
  // part just before it (see decode-response); put it back on that part.
  let pendingSignature: string | undefined;
  msg.content.forEach((p, j) => {
    if (p.type === 'reasoning') {
      if (p.redactedData !== undefined) warn('gemini: redacted reasoning from another provider cannot be replayed and was dropped');
      if (p.text === '' && p.signature !== undefined) {
        pendingSignature = p.signature;
        return;
      }
      if (p.text === '') return;
      const part: GeminiPart = { text: p.text, thought: true };
      if (p.signature !== undefined) part.thoughtSignature = p.signature;
      parts.push(part);
      return;
    }
    let part: GeminiPart;
    if (p.type === 'text') part = { text: p.text };
    else part = { functionCall: { name: p.name, args: parseToolArguments(p.arguments, `messages[${i}].tool_calls[${j}].function.arguments`, 'Gemini') } };
    if (pendingSignature !== undefined) part.thoughtSignature = pendingSignature;
    pendingSignature = undefined;
    parts.push(part);
  });
  if (msg.refusal !== undefined && msg.refusal !== '') parts.push({ text: msg.refusal });
  return parts;
}


function toolResultParts(msg: ToolMessage, messages: Message[], i: number, warn: (m: string) => void): GeminiPart[] {
  const name = msg.toolName ?? findToolName(messages, i, msg.toolCallId);
  if (name === undefined) {
    throw invalidRequest(
      `Tool result messages[${i}] answers tool call "${msg.toolCallId}", which no earlier assistant message made; Gemini needs the function name`,
      `messages[${i}].tool_call_id`,
    );
  }
  const text = msg.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
  const value = parseMaybeJson(text);
  // functionResponse.response must be a JSON object (a protobuf Struct).
  const response = value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (msg.isError ? { error: value } : (value as Record<string, unknown>))
    : { [msg.isError ? 'error' : 'result']: value };
  const parts: GeminiPart[] = [{ functionResponse: { name, response } }];
  for (const p of msg.content) {
    if (p.type === 'image') parts.push(userPart(p, `messages[${i}].content`, warn));
  }
  return parts;
}

/** The most recent assistant call with this id before message `i` (ids may repeat across turns). */
function findToolName(messages: Message[], i: number, id: string): string | undefined {
  for (let k = i - 1; k >= 0; k--) {
    const m = messages[k];
    if (m?.role !== 'assistant') continue;
    for (const p of m.content) if (p.type === 'tool-call' && p.id === id) return p.name;
  }
  return undefined;
}

function parseMaybeJson(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}
