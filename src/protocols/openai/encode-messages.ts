import { GatewayError, type AssistantMessage, type Message, type TextPart, type ToolMessage, type UserPart } from '../../spec/index.js';

type Json = Record<string, unknown>;

/**
 * Unified messages → OpenAI `messages`. Plain text content is sent as a
 * string (every compatible server accepts that); anything richer as an
 * array of content parts.
 */
export function encodeMessages(messages: Message[], warn: (m: string) => void, singleSystem: boolean): Json[] {
  const out: Json[] = [];
  const seen = new Set<string>();
  const warnOnce = (m: string): void => {
    if (!seen.has(m)) {
      seen.add(m);
      warn(m);
    }
  };
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
        noteCacheControl(m.content, warnOnce);
        out.push({ role: m.developer ? 'developer' : 'system', content: textContent(m.content) });
        break;
      case 'user':
        out.push(encodeUser(m.content, i, warnOnce, m.name));
        break;
      case 'assistant':
        out.push(encodeAssistant(m, warnOnce));
        break;
      case 'tool':
        out.push(encodeTool(m, i, warnOnce));
        break;
    }
  });
  return singleSystem ? mergeSystemMessages(out) : out;
}

function textContent(parts: TextPart[]): string | Json[] {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0].text;
  return parts.map((p) => ({ type: 'text', text: p.text }));
}

function noteCacheControl(parts: { type: string; cacheControl?: unknown }[], warn: (m: string) => void): void {
  if (parts.some((p) => p.cacheControl !== undefined)) {
    warn('cache_control hints are not sent to OpenAI-compatible upstreams (they cache prompts automatically)');
  }
}

function encodeUser(content: UserPart[], i: number, warn: (m: string) => void, name?: string): Json {
  noteCacheControl(content, warn);
  const msg: Json = { role: 'user' };
  const only = content[0];
  if (content.length === 1 && only?.type === 'text') msg.content = only.text;
  else msg.content = content.map((p, j) => encodeUserPart(p, `messages[${i}].content[${j}]`));
  if (name !== undefined) msg.name = name;
  return msg;
}

function encodeUserPart(p: UserPart, param: string): Json {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text };
    case 'image': {
      const url = p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`;
      return { type: 'image_url', image_url: p.detail === undefined ? { url } : { url, detail: p.detail } };
    }
    case 'audio':
      return { type: 'input_audio', input_audio: { data: p.data, format: p.format } };
    case 'file': {
      const s = p.source;
      if (s.kind === 'url') {
        throw new GatewayError('unsupported_parameter', {
          message: `${param}: files by URL are not supported by OpenAI chat completions; send the file inline (base64) or as a file id`,
          param,
        });
      }
      const file: Json = s.kind === 'file-id' ? { file_id: s.fileId } : { file_data: `data:${s.mediaType};base64,${s.data}` };
      if (p.filename !== undefined) file.filename = p.filename;
      return { type: 'file', file };
    }
  }
}

function encodeAssistant(m: AssistantMessage, warn: (m: string) => void): Json {
  const msg: Json = { role: 'assistant' };
  const texts: string[] = [];
  const toolCalls: Json[] = [];
  for (const p of m.content) {
    if (p.type === 'text') texts.push(p.text);
    else if (p.type === 'tool-call') toolCalls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } });
    // OpenAI has no input field for earlier reasoning, and DeepSeek rejects reasoning_content on input.
    else warn('reasoning from earlier assistant turns is not sent to OpenAI-compatible upstreams');
  }
  msg.content = texts.length > 0 ? texts.join('') : null;
  if (toolCalls.length > 0) msg.tool_calls = toolCalls;
  if (m.refusal !== undefined) msg.refusal = m.refusal;
  if (m.name !== undefined) msg.name = m.name;
  return msg;
}

function encodeTool(m: ToolMessage, i: number, warn: (m: string) => void): Json {
  const texts: string[] = [];
  m.content.forEach((p, j) => {
    if (p.type === 'image') {
      const param = `messages[${i}].content[${j}]`;
      throw new GatewayError('unsupported_parameter', { message: `${param}: OpenAI tool results cannot contain images`, param });
    }
    texts.push(p.text);
  });
  if (m.isError) warn('the tool-result error flag has no OpenAI equivalent; only the result text is sent');
  return { role: 'tool', tool_call_id: m.toolCallId, content: texts.join('') };
}

/** For servers whose chat templates accept one system message, first. */
function mergeSystemMessages(msgs: Json[]): Json[] {
  const system = msgs.filter((m) => m.role === 'system' || m.role === 'developer');
  if (system.length === 0) return msgs;
  const text = system.map((m) => (typeof m.content === 'string' ? m.content : (m.content as { text: string }[]).map((p) => p.text).join('\n'))).join('\n\n');
  return [{ role: 'system', content: text }, ...msgs.filter((m) => m.role !== 'system' && m.role !== 'developer')];
}
