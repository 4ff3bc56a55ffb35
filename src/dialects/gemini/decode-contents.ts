/**
 * Gemini `systemInstruction` + `contents` → unified messages.
 *
 * Gemini has two roles and names tool results by function name, while the
 * unified model (OpenAI's) pairs results with calls by id. So a model
 * `functionCall` keeps its `id` when it has one and otherwise gets a
 * deterministic one from its position; a `functionResponse` takes its own
 * `id`, else the earliest unanswered call with the same name. A
 * `thoughtSignature` on a non-thought part becomes an empty reasoning part
 * just before it — the convention the Gemini protocol reads back, so a
 * Gemini upstream receives the signature on the same part again.
 */
import type { AssistantPart, ImagePart, Message, TextPart, UserPart } from '../../spec/index.js';
import type { GeminiPart, Json } from './gemini-wire.js';
import { asArray, asObject, fieldError, isObject } from './json-checks.js';

type Warn = (message: string) => void;

interface PendingCall {
  id: string;
  name: string;
  answered: boolean;
}

export function decodeSystemInstruction(v: unknown, param = 'system_instruction'): TextPart[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [{ type: 'text', text: v }];
  const content = asObject(v, param);
  const parts = asArray(content['parts'], `${param}.parts`);
  return parts.map((p, i) => {
    const part = asObject(p, `${param}.parts[${i}]`);
    if (typeof part['text'] !== 'string') throw fieldError(`${param}.parts[${i}]`, 'only text parts are allowed in the system instruction');
    return { type: 'text', text: part['text'] };
  });
}

export function decodeContents(v: unknown, warn: Warn): Message[] {
  if (v === undefined || v === null) throw fieldError('contents', 'contents is not specified');
  const contents = asArray(v, 'contents');
  if (contents.length === 0) throw fieldError('contents', 'contents is not specified');
  const messages: Message[] = [];
  const calls: PendingCall[] = [];
  contents.forEach((raw, i) => {
    const param = `contents[${i}]`;
    const content = asObject(raw, param);
    const role = content['role'] ?? 'user';
    if (role !== 'user' && role !== 'model') throw fieldError(`${param}.role`, 'Please use a valid role: user, model.');
    const parts = asArray(content['parts'], `${param}.parts`);
    if (parts.length === 0) throw fieldError(`${param}.parts`, 'contents.parts must not be empty.');
    const typed = parts.map((p, j) => asObject(p, `${param}.parts[${j}]`) as GeminiPart);
    if (role === 'model') messages.push(modelTurn(typed, i, calls, warn));
    else messages.push(...userTurn(typed, i, calls, warn));
  });
  return messages;
}

function modelTurn(parts: GeminiPart[], i: number, calls: PendingCall[], warn: Warn): Message {
  const content: AssistantPart[] = [];
  parts.forEach((p, j) => {
    const param = `contents[${i}].parts[${j}]`;
    if (p.thought === true) {
      content.push({ type: 'reasoning', text: typeof p.text === 'string' ? p.text : '', ...(p.thoughtSignature !== undefined ? { signature: p.thoughtSignature } : {}) });
      return;
    }
    if (p.thoughtSignature !== undefined) content.push({ type: 'reasoning', text: '', signature: p.thoughtSignature });
    if (isObject(p.functionCall)) {
      const name = p.functionCall.name;
      if (typeof name !== 'string' || name === '') throw fieldError(`${param}.function_call.name`, 'Name cannot be empty.');
      const id = typeof p.functionCall.id === 'string' && p.functionCall.id !== '' ? p.functionCall.id : `call_${i}_${j}`;
      calls.push({ id, name, answered: false });
      content.push({ type: 'tool-call', id, name, arguments: JSON.stringify(p.functionCall.args ?? {}) });
    } else if (typeof p.text === 'string') {
      content.push({ type: 'text', text: p.text });
    } else {
      warn(`${param}: a model part of kind "${partKind(p)}" has no unified equivalent and was not sent`);
    }
  });
  return { role: 'assistant', content };
}

/** A user turn: its function responses become tool messages (in order), the rest one user message. */
function userTurn(parts: GeminiPart[], i: number, calls: PendingCall[], warn: Warn): Message[] {
  const out: Message[] = [];
  const user: UserPart[] = [];
  parts.forEach((p, j) => {
    const param = `contents[${i}].parts[${j}]`;
    if (isObject(p.functionResponse)) {
      out.push(toolResult(p.functionResponse, `${param}.function_response`, calls));
      return;
    }
    if (p.thoughtSignature !== undefined) warn(`${param}: thoughtSignature on a user part has no meaning and was not sent`);
    if (typeof p.text === 'string') user.push({ type: 'text', text: p.text });
    else if (isObject(p.inlineData)) user.push(inlinePart(p.inlineData, `${param}.inline_data`));
    else if (isObject(p.fileData)) user.push(filePart(p.fileData, `${param}.file_data`));
    else warn(`${param}: a user part of kind "${partKind(p)}" has no unified equivalent and was not sent`);
  });
  // Tool results answer the previous model turn; other user content follows them.
  if (user.length > 0) out.push({ role: 'user', content: user });
  return out;
}

function toolResult(fr: NonNullable<GeminiPart['functionResponse']>, param: string, calls: PendingCall[]): Message {
  if (typeof fr.name !== 'string' || fr.name === '') throw fieldError(`${param}.name`, 'Name cannot be empty.');
  const byId = typeof fr.id === 'string' && fr.id !== '' ? calls.find((c) => c.id === fr.id) : undefined;
  const call = byId ?? calls.find((c) => !c.answered && c.name === fr.name);
  if (call === undefined) {
    throw fieldError(`${param}.name`, `function response "${fr.name}" answers no earlier function call of that name`);
  }
  call.answered = true;
  const response = isObject(fr.response) ? fr.response : {};
  return { role: 'tool', toolCallId: call.id, toolName: fr.name, content: [{ type: 'text', text: JSON.stringify(response) }] };
}

function inlinePart(d: Json, param: string): UserPart {
  const mimeType = d['mimeType'];
  const data = d['data'];
  if (typeof mimeType !== 'string' || mimeType === '') throw fieldError(`${param}.mime_type`, 'mime_type is not specified');
  if (typeof data !== 'string') throw fieldError(`${param}.data`, 'data is not specified');
  if (mimeType.startsWith('image/')) return { type: 'image', source: { kind: 'base64', mediaType: mimeType, data } } satisfies ImagePart;
  if (mimeType.startsWith('audio/')) return { type: 'audio', data, format: audioFormat(mimeType) };
  return { type: 'file', source: { kind: 'base64', mediaType: mimeType, data } };
}

function filePart(d: Json, param: string): UserPart {
  const uri = d['fileUri'];
  if (typeof uri !== 'string' || uri === '') throw fieldError(`${param}.file_uri`, 'file_uri is not specified');
  const mimeType = typeof d['mimeType'] === 'string' ? d['mimeType'] : undefined;
  if (mimeType?.startsWith('image/')) return { type: 'image', source: { kind: 'url', url: uri } };
  return { type: 'file', source: { kind: 'url', url: uri } };
}

/** `audio/mpeg` → "mp3", `audio/x-wav` → "wav": the format names unified audio parts use. */
function audioFormat(mimeType: string): string {
  const sub = mimeType.slice('audio/'.length).replace(/^x-/, '').split(';')[0] ?? '';
  return sub === 'mpeg' ? 'mp3' : sub;
}

function partKind(p: GeminiPart): string {
  return Object.keys(p).filter((k) => k !== 'thoughtSignature').join(', ') || 'empty';
}
