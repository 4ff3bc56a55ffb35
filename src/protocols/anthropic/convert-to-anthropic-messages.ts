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
import type {
  AnthropicAssistantBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicUserBlock,
} from './anthropic-wire.js';
import { parseToolArguments } from '../shared/tool-arguments.js';

export interface AnthropicPrompt {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

type Warn = (message: string) => void;

/**
 * Unified messages → Anthropic's `system` + `messages`.
 *
 * Anthropic has no system role in the conversation, so every system/developer
 * message is hoisted into `system`. It also wants strictly alternating
 * user/assistant turns, so consecutive messages that end up with the same
 * role (tool results become user turns) are merged into one turn.
 */
export function convertToAnthropicMessages(messages: Message[], warn: Warn): AnthropicPrompt {
  const systemBlocks: AnthropicTextBlock[] = [];
  const out: AnthropicMessage[] = [];
  let seenConversation = false;

  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        if (seenConversation) warn(`${at}: a system message inside the conversation was moved into Anthropic's system prompt`);
        for (const p of m.content) systemBlocks.push(textBlock(p));
        return;
      case 'user':
        seenConversation = true;
        push(out, 'user', convertUserContent(m, at, warn));
        return;
      case 'tool':
        seenConversation = true;
        push(out, 'user', [convertToolResult(m, at, warn)]);
        return;
      case 'assistant': {
        seenConversation = true;
        const blocks = convertAssistantContent(m, at, warn);
        // An empty assistant turn is rejected upstream; it carries nothing, so it is skipped.
        if (blocks.length > 0) push(out, 'assistant', blocks);
        return;
      }
    }
  });

  for (const msg of out) if (msg.role === 'user') msg.content = toolResultsFirst(msg.content);

  const prompt: AnthropicPrompt = { messages: out };
  if (systemBlocks.length === 1 && systemBlocks[0]!.cache_control === undefined) prompt.system = systemBlocks[0]!.text;
  else if (systemBlocks.length > 0) prompt.system = systemBlocks;
  return prompt;
}

function push(out: AnthropicMessage[], role: 'user', blocks: AnthropicUserBlock[]): void;
function push(out: AnthropicMessage[], role: 'assistant', blocks: AnthropicAssistantBlock[]): void;
function push(out: AnthropicMessage[], role: 'user' | 'assistant', blocks: (AnthropicUserBlock | AnthropicAssistantBlock)[]): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.role === role) {
    (last.content as (AnthropicUserBlock | AnthropicAssistantBlock)[]).push(...blocks);
    return;
  }
  out.push({ role, content: blocks } as AnthropicMessage);
}

/** Anthropic requires tool_result blocks to open the user turn that answers a tool_use. */
function toolResultsFirst(blocks: AnthropicUserBlock[]): AnthropicUserBlock[] {
  const results = blocks.filter((b) => b.type === 'tool_result');
  if (results.length === 0 || results.length === blocks.length) return blocks;
  return [...results, ...blocks.filter((b) => b.type !== 'tool_result')];
}

function textBlock(p: TextPart): AnthropicTextBlock {
  const block: AnthropicTextBlock = { type: 'text', text: p.text };
  if (p.cacheControl) block.cache_control = { ...p.cacheControl };
  return block;
}

function convertUserContent(m: UserMessage, at: string, warn: Warn): AnthropicUserBlock[] {
  if (m.name !== undefined) warn(`${at}.name: Anthropic has no participant names; not sent`);
  return m.content.map((p, j): AnthropicUserBlock => {
    const where = `${at}.content[${j}]`;
    switch (p.type) {
      case 'text':
        return textBlock(p);
      case 'image':
        return imageBlock(p, where, warn);
      case 'file':
        return documentBlock(p, where);
      case 'audio':
        throw new GatewayError('unsupported_parameter', { message: `${where}: Anthropic models do not accept audio input`, param: where });
    }
  });
}

function imageBlock(p: ImagePart, where: string, warn: Warn): AnthropicImageBlock {
  if (p.detail !== undefined && p.detail !== 'auto') warn(`${where}.detail: Anthropic has no image detail setting; "${p.detail}" ignored`);
  if (p.source.kind === 'base64') return { type: 'image', source: { type: 'base64', media_type: p.source.mediaType, data: p.source.data } };
  const inline = parseDataUrl(p.source.url);
  if (inline) return { type: 'image', source: { type: 'base64', media_type: inline.mediaType, data: inline.data } };
  return { type: 'image', source: { type: 'url', url: p.source.url } };
}

function documentBlock(p: FilePart, where: string): AnthropicDocumentBlock {
  const block = ((): AnthropicDocumentBlock => {
    const src = p.source;
    if (src.kind === 'file-id') return { type: 'document', source: { type: 'file', file_id: src.fileId } };
    const inline = src.kind === 'base64' ? { mediaType: src.mediaType, data: src.data } : parseDataUrl(src.url);
    if (inline === undefined) return { type: 'document', source: { type: 'url', url: (src as { url: string }).url } };
    if (inline.mediaType === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: inline.data } };
    if (inline.mediaType.startsWith('text/')) {
      // Anthropic takes plain-text documents as text, not base64.
      return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(inline.data, 'base64').toString('utf8') } };
    }
    throw new GatewayError('unsupported_media_type', {
      message: `${where}: Anthropic accepts PDF and plain-text documents, not ${inline.mediaType}`,
      param: where,
    });
  })();
  if (p.filename !== undefined) block.title = p.filename;
  return block;
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return m ? { mediaType: m[1]!, data: m[2]! } : undefined;
}

function convertAssistantContent(m: AssistantMessage, at: string, warn: Warn): AnthropicAssistantBlock[] {
  if (m.name !== undefined) warn(`${at}.name: Anthropic has no participant names; not sent`);
  const blocks: AnthropicAssistantBlock[] = [];
  m.content.forEach((p, j) => {
    const where = `${at}.content[${j}]`;
    switch (p.type) {
      case 'text':
        // Anthropic rejects empty text blocks; an empty one says nothing.
        if (p.text !== '') blocks.push(textBlock(p));
        return;
      case 'reasoning':
        if (p.redactedData !== undefined) blocks.push({ type: 'redacted_thinking', data: p.redactedData });
        else if (p.signature !== undefined) blocks.push({ type: 'thinking', thinking: p.text, signature: p.signature });
        // Thinking without Anthropic's signature (another provider's reasoning) is refused upstream.
        else warn(`${where}: reasoning without an Anthropic signature cannot be replayed to Anthropic; not sent`);
        return;
      case 'tool-call':
        blocks.push({ type: 'tool_use', id: p.id, name: p.name, input: parseToolArguments(p.arguments, `${where}.arguments`, 'Anthropic') });
        return;
    }
  });
  if (m.refusal !== undefined && m.refusal !== '') blocks.push({ type: 'text', text: m.refusal });
  return blocks;
}


function convertToolResult(m: ToolMessage, at: string, warn: Warn): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: m.toolCallId };
  const parts = m.content.map((p, j) => (p.type === 'text' ? textBlock(p) : imageBlock(p, `${at}.content[${j}]`, warn)));
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text' && only.cache_control === undefined) block.content = only.text;
  else if (parts.length > 0) block.content = parts;
  if (m.isError) block.is_error = true;
  return block;
}
