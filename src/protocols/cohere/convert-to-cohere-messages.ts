import { GatewayError, type AssistantMessage, type Message, type UserMessage } from '../../spec/index.js';
import type { CohereAssistantContent, CohereMessage, CohereUserContent } from './cohere-wire.js';

type Warn = (message: string) => void;

/**
 * Unified messages → Cohere v2 messages. The roles map one to one; what
 * differs: images are `image_url` parts, a tool result is a `tool` message
 * per call id, and reasoning goes back as `tool_plan` on a turn that calls
 * tools (where Cohere put it) or as `thinking` content otherwise.
 */
export function convertToCohereMessages(messages: Message[], warn: Warn): CohereMessage[] {
  // Cohere accepts one system turn, first ("system turn must be the first in the list"): all are merged there.
  const system: string[] = [];
  let seenConversation = false;
  const rest = messages.flatMap((m, i): CohereMessage[] => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        if (seenConversation) warn(`cohere: system message at ${at} moved into the leading system turn (Cohere takes one, first)`);
        system.push(m.content.map((p) => p.text).join('\n'));
        return [];
      case 'user':
        seenConversation = true;
        return [userMessage(m, at, warn)];
      case 'assistant':
        seenConversation = true;
        return [assistantMessage(m, at, warn)];
      case 'tool': {
        seenConversation = true;
        if (m.content.some((p) => p.type === 'image')) warn(`cohere: ${at} image tool results are not supported; only the text was sent`);
        const text = m.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
        // Cohere rejects an empty tool result; an explicit empty object says "no output".
        return [{ role: 'tool', tool_call_id: m.toolCallId, content: m.isError ? JSON.stringify({ error: text }) : text === '' ? '{}' : text }];
      }
    }
  });
  return system.length > 0 ? [{ role: 'system', content: system.join('\n\n') }, ...rest] : rest;
}

function userMessage(m: UserMessage, at: string, warn: Warn): CohereMessage {
  if (m.name !== undefined) warn(`cohere: ${at}.name is not supported and was ignored`);
  if (m.content.every((p) => p.type === 'text')) return { role: 'user', content: m.content.map((p) => p.text).join('\n') };
  const parts = m.content.map((p, j): CohereUserContent => {
    const where = `${at}.content[${j}]`;
    switch (p.type) {
      case 'text':
        return { type: 'text', text: p.text };
      case 'image': {
        const url = p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`;
        return p.detail !== undefined ? { type: 'image_url', image_url: { url, detail: p.detail } } : { type: 'image_url', image_url: { url } };
      }
      default:
        throw new GatewayError('unsupported_parameter', {
          message: `${where}: Cohere chat takes text and images, not ${p.type} parts (pass retrieval documents through providerOptions.cohere.documents)`,
          param: where,
        });
    }
  });
  return { role: 'user', content: parts };
}

function assistantMessage(m: AssistantMessage, at: string, warn: Warn): CohereMessage {
  if (m.name !== undefined) warn(`cohere: ${at}.name is not supported and was ignored`);
  const out: Extract<CohereMessage, { role: 'assistant' }> = { role: 'assistant' };
  const text: string[] = [];
  const reasoning: string[] = [];
  for (const p of m.content) {
    if (p.type === 'text') text.push(p.text);
    else if (p.type === 'reasoning') {
      if (p.text !== '') reasoning.push(p.text);
    } else (out.tool_calls ??= []).push({ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments === '' ? '{}' : p.arguments } });
  }
  if (m.refusal !== undefined && m.refusal !== '') text.push(m.refusal);
  if (out.tool_calls !== undefined) {
    if (reasoning.length > 0) out.tool_plan = reasoning.join('');
    if (text.join('') !== '') out.content = text.join('');
    return out;
  }
  const content: CohereAssistantContent[] = [];
  if (reasoning.length > 0) content.push({ type: 'thinking', thinking: reasoning.join('') });
  content.push({ type: 'text', text: text.join('') });
  out.content = content.length === 1 ? text.join('') : content;
  return out;
}
