import {
  GatewayError,
  type AssistantMessage,
  type FilePart,
  type ImagePart,
  type Message,
  type TextPart,
  type ToolMessage,
  type UserMessage,
} from '../../spec/index.js';
import type { ConverseContentBlock, ConverseMessage, DocumentFormat, ImageFormat, MediaSource, SystemBlock, ToolResultContent } from './bedrock-wire.js';
import { parseToolArguments } from '../shared/tool-arguments.js';

export interface ConversePrompt {
  system?: SystemBlock[];
  messages: ConverseMessage[];
}

type Warn = (message: string) => void;

const IMAGE_FORMATS: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT_FORMATS: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

/**
 * Unified messages → Converse `system` + `messages`. Converse keeps system
 * prompts outside the conversation and wants user/assistant turns to
 * alternate, so system messages are hoisted and consecutive same-role turns
 * (tool results become user turns) are merged. Prompt-cache hints become
 * `cachePoint` blocks right after the part they mark.
 */
export function convertToConverseMessages(messages: Message[], warn: Warn): ConversePrompt {
  const system: SystemBlock[] = [];
  const out: ConverseMessage[] = [];
  let seenConversation = false;
  let documents = 0;
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        if (seenConversation) warn(`${at}: a system message inside the conversation was moved into Bedrock's system prompt`);
        for (const p of m.content) {
          system.push({ text: p.text });
          if (p.cacheControl) system.push({ cachePoint: { type: 'default' } });
        }
        return;
      case 'user':
        seenConversation = true;
        push(out, 'user', convertUser(m, at, warn, () => ++documents));
        return;
      case 'tool':
        seenConversation = true;
        push(out, 'user', [convertToolResult(m, at, warn)]);
        return;
      case 'assistant': {
        seenConversation = true;
        const blocks = convertAssistant(m, at);
        // Converse rejects an assistant turn with no content; an empty one carries nothing.
        if (blocks.length > 0) push(out, 'assistant', blocks);
        return;
      }
    }
  });
  for (const msg of out) if (msg.role === 'user') msg.content = toolResultsFirst(msg.content);
  const prompt: ConversePrompt = { messages: out };
  if (system.length > 0) prompt.system = system;
  return prompt;
}

function push(out: ConverseMessage[], role: 'user' | 'assistant', blocks: ConverseContentBlock[]): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.role === role) last.content.push(...blocks);
  else out.push({ role, content: blocks });
}

/** Claude behind Converse needs the tool results to open the user turn that answers the tool use. */
function toolResultsFirst(blocks: ConverseContentBlock[]): ConverseContentBlock[] {
  const results = blocks.filter((b) => 'toolResult' in b);
  if (results.length === 0 || results.length === blocks.length) return blocks;
  return [...results, ...blocks.filter((b) => !('toolResult' in b))];
}

function textBlocks(p: TextPart): ConverseContentBlock[] {
  return p.cacheControl ? [{ text: p.text }, { cachePoint: { type: 'default' } }] : [{ text: p.text }];
}

function convertUser(m: UserMessage, at: string, warn: Warn, nextDocument: () => number): ConverseContentBlock[] {
  if (m.name !== undefined) warn(`${at}.name: Bedrock has no participant names; not sent`);
  return m.content.flatMap((p, j): ConverseContentBlock[] => {
    const where = `${at}.content[${j}]`;
    switch (p.type) {
      case 'text':
        return textBlocks(p);
      case 'image':
        return [{ image: imageOf(p, where, warn) }];
      case 'file':
        return [{ document: documentOf(p, where, warn, nextDocument()) }];
      case 'audio':
        throw new GatewayError('unsupported_parameter', { message: `${where}: Bedrock Converse does not accept audio input`, param: where });
    }
  });
}

function imageOf(p: ImagePart, where: string, warn: Warn): { format: ImageFormat; source: MediaSource } {
  if (p.detail !== undefined && p.detail !== 'auto') warn(`${where}.detail: Bedrock has no image detail setting; "${p.detail}" ignored`);
  const inline = p.source.kind === 'base64' ? { mediaType: p.source.mediaType, data: p.source.data } : parseDataUrl(p.source.url);
  if (inline) return { format: imageFormat(inline.mediaType, where), source: { bytes: inline.data } };
  const url = (p.source as { url: string }).url;
  if (url.startsWith('s3://')) return { format: imageFormat(mediaTypeOfPath(url), where), source: { s3Location: { uri: url } } };
  throw new GatewayError('unsupported_parameter', {
    message: `${where}: Bedrock takes images as inline bytes (data: URLs) or s3:// locations, not web URLs`,
    param: where,
  });
}

function imageFormat(mediaType: string, where: string): ImageFormat {
  const f = IMAGE_FORMATS[mediaType.toLowerCase()];
  if (f === undefined) {
    throw new GatewayError('unsupported_media_type', { message: `${where}: Bedrock accepts PNG, JPEG, GIF and WebP images, not ${mediaType}`, param: where });
  }
  return f;
}

function documentOf(p: FilePart, where: string, warn: Warn, n: number): { format: DocumentFormat; name: string; source: MediaSource } {
  const src = p.source;
  if (src.kind === 'file-id') throw new GatewayError('unsupported_parameter', { message: `${where}: Bedrock has no file store; send the document inline`, param: where });
  const inline = src.kind === 'base64' ? { mediaType: src.mediaType, data: src.data } : parseDataUrl(src.url);
  let source: MediaSource;
  let mediaType: string;
  if (inline) {
    source = { bytes: inline.data };
    mediaType = inline.mediaType;
  } else if ((src as { url: string }).url.startsWith('s3://')) {
    source = { s3Location: { uri: (src as { url: string }).url } };
    mediaType = mediaTypeOfPath((src as { url: string }).url);
  } else {
    throw new GatewayError('unsupported_parameter', { message: `${where}: Bedrock takes documents inline or from s3://, not web URLs`, param: where });
  }
  const format = DOCUMENT_FORMATS[mediaType.toLowerCase()];
  if (format === undefined) {
    throw new GatewayError('unsupported_media_type', { message: `${where}: Bedrock does not accept documents of type ${mediaType}`, param: where });
  }
  return { format, name: documentName(p.filename, n, where, warn), source };
}

/** Converse document names allow letters, digits, single spaces, hyphens, parentheses and brackets, and must be unique. */
function documentName(filename: string | undefined, n: number, where: string, warn: Warn): string {
  if (filename === undefined) return `document-${n}`;
  const base = filename.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const clean = base.replace(/[^A-Za-z0-9\s\-()[\]]/g, ' ').replace(/\s+/g, ' ').trim();
  const name = clean === '' ? `document-${n}` : clean;
  if (name !== base) warn(`${where}.filename: sent to Bedrock as "${name}" (its names allow letters, digits, spaces, hyphens, parentheses and brackets)`);
  return name;
}

function mediaTypeOfPath(url: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(url)?.[1]?.toLowerCase() ?? '';
  const byExt: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    pdf: 'application/pdf',
    csv: 'text/csv',
    doc: 'application/msword',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xls: 'application/vnd.ms-excel',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    html: 'text/html',
    txt: 'text/plain',
    md: 'text/markdown',
  };
  return byExt[ext] ?? `unknown (.${ext})`;
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return m ? { mediaType: m[1]!, data: m[2]! } : undefined;
}

function convertAssistant(m: AssistantMessage, at: string): ConverseContentBlock[] {
  const blocks: ConverseContentBlock[] = [];
  m.content.forEach((p, j) => {
    const where = `${at}.content[${j}]`;
    switch (p.type) {
      case 'text':
        // Converse rejects blank text blocks; an empty one says nothing.
        if (p.text !== '') blocks.push(...textBlocks(p));
        return;
      case 'reasoning':
        if (p.redactedData !== undefined) blocks.push({ reasoningContent: { redactedContent: p.redactedData } });
        else blocks.push({ reasoningContent: { reasoningText: p.signature === undefined ? { text: p.text } : { text: p.text, signature: p.signature } } });
        return;
      case 'tool-call':
        blocks.push({ toolUse: { toolUseId: p.id, name: p.name, input: parseToolArguments(p.arguments, `${where}.arguments`, 'Bedrock') } });
        return;
    }
  });
  if (m.refusal !== undefined && m.refusal !== '') blocks.push({ text: m.refusal });
  return blocks;
}


function convertToolResult(m: ToolMessage, at: string, warn: Warn): ConverseContentBlock {
  const content: ToolResultContent[] = m.content.map((p, j) => (p.type === 'text' ? { text: p.text } : { image: imageOf(p, `${at}.content[${j}]`, warn) }));
  const result: { toolUseId: string; content: ToolResultContent[]; status?: 'error' } = { toolUseId: m.toolCallId, content };
  if (m.isError) result.status = 'error';
  return { toolResult: result };
}
