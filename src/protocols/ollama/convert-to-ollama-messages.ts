import { GatewayError, invalidRequest, type AssistantMessage, type ImagePart, type Message, type UserMessage } from '../../spec/index.js';
import type { OllamaMessage } from './ollama-wire.js';
import { parseToolArguments } from '../shared/tool-arguments.js';

type Warn = (message: string) => void;

/**
 * Unified messages → Ollama messages. Ollama's content is one string, images
 * ride beside it as base64, tool-call arguments are JSON objects and tool
 * results name the function they answer (not a call id), so each of those is
 * converted here. Ollama cannot fetch URLs: an image must arrive as bytes.
 */
export function convertToOllamaMessages(messages: Message[], warn: Warn): OllamaMessage[] {
  return messages.map((m, i): OllamaMessage => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content.map((p) => p.text).join('\n') };
      case 'user':
        return userMessage(m, at, warn);
      case 'assistant':
        return assistantMessage(m, at, warn);
      case 'tool': {
        const out: OllamaMessage = { role: 'tool', content: m.content.filter((p) => p.type === 'text').map((p) => p.text).join('') };
        const name = m.toolName ?? findToolName(messages, i, m.toolCallId);
        if (name !== undefined) out.tool_name = name;
        const images = m.content.filter((p): p is ImagePart => p.type === 'image').map((p, j) => imageData(p, `${at}.content[${j}]`));
        if (images.length > 0) out.images = images;
        return out;
      }
    }
  });
}

function userMessage(m: UserMessage, at: string, warn: Warn): OllamaMessage {
  if (m.name !== undefined) warn(`ollama: ${at}.name is not supported and was ignored`);
  const texts: string[] = [];
  const images: string[] = [];
  m.content.forEach((p, j) => {
    const where = `${at}.content[${j}]`;
    switch (p.type) {
      case 'text':
        texts.push(p.text);
        return;
      case 'image':
        if (p.detail !== undefined && p.detail !== 'auto') warn(`ollama: ${where}.detail is not supported and was ignored`);
        images.push(imageData(p, where));
        return;
      case 'file':
      case 'audio':
        throw new GatewayError('unsupported_parameter', { message: `${where}: Ollama's chat API takes text and images only, not ${p.type} parts`, param: where });
    }
  });
  const out: OllamaMessage = { role: 'user', content: texts.join('\n') };
  if (images.length > 0) out.images = images;
  return out;
}

function imageData(p: ImagePart, where: string): string {
  if (p.source.kind === 'base64') return p.source.data;
  const m = /^data:[^;,]+(?:;[^,]*)?;base64,(.*)$/s.exec(p.source.url);
  if (m?.[1] !== undefined) return m[1];
  throw invalidRequest(`${where}: Ollama needs image bytes (base64 or a data: URL); it cannot fetch ${p.source.url.slice(0, 80)}`, where);
}

function assistantMessage(m: AssistantMessage, at: string, warn: Warn): OllamaMessage {
  if (m.name !== undefined) warn(`ollama: ${at}.name is not supported and was ignored`);
  const out: OllamaMessage = { role: 'assistant', content: '' };
  const texts: string[] = [];
  const thinking: string[] = [];
  m.content.forEach((p, j) => {
    if (p.type === 'text') texts.push(p.text);
    else if (p.type === 'reasoning') {
      if (p.text !== '') thinking.push(p.text);
    } else {
      const call = { function: { name: p.name, arguments: parseToolArguments(p.arguments, `${at}.tool_calls[${j}].function.arguments`, 'Ollama') } };
      (out.tool_calls ??= []).push(p.id !== '' ? { id: p.id, ...call } : call);
    }
  });
  if (m.refusal !== undefined && m.refusal !== '') texts.push(m.refusal);
  out.content = texts.join('');
  if (thinking.length > 0) out.thinking = thinking.join('');
  return out;
}


/** The most recent assistant call with this id before message `i`. */
function findToolName(messages: Message[], i: number, id: string): string | undefined {
  for (let k = i - 1; k >= 0; k--) {
    const m = messages[k];
    if (m?.role !== 'assistant') continue;
    for (const p of m.content) if (p.type === 'tool-call' && p.id === id) return p.name;
  }
  return undefined;
}
