import { GatewayError, type AssistantMessage, type Message, type UserMessage } from '../../spec/index.js';
import type { WorkersAiMessage, WorkersAiToolCallOut } from './workers-ai-wire.js';

type Warn = (message: string) => void;

/**
 * Unified messages → Workers AI chat messages. Content is one string per
 * message (the run schema refuses arrays and null); assistant tool calls
 * keep their ids so a tool result can echo them, and tool results name
 * their function because the models pair results by name.
 */
export function convertToWorkersAiMessages(messages: Message[], warn: Warn): WorkersAiMessage[] {
  return messages.map((m, i): WorkersAiMessage => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content.map((p) => p.text).join('\n') };
      case 'user':
        return userMessage(m, at, warn);
      case 'assistant':
        return assistantMessage(m, at, warn);
      case 'tool': {
        m.content.forEach((p, j) => {
          if (p.type === 'image') throw unsupported(`${at}.content[${j}]`, 'image');
        });
        const out: WorkersAiMessage = { role: 'tool', content: m.content.map((p) => (p.type === 'text' ? p.text : '')).join(''), tool_call_id: m.toolCallId };
        const name = m.toolName ?? findToolName(messages, i, m.toolCallId);
        if (name !== undefined) out.name = name;
        return out;
      }
    }
  });
}

function userMessage(m: UserMessage, at: string, warn: Warn): WorkersAiMessage {
  if (m.name !== undefined) warn(`workers-ai: ${at}.name is not supported and was ignored`);
  const texts = m.content.map((p, j) => {
    if (p.type !== 'text') throw unsupported(`${at}.content[${j}]`, p.type);
    return p.text;
  });
  return { role: 'user', content: texts.join('\n') };
}

function assistantMessage(m: AssistantMessage, at: string, warn: Warn): WorkersAiMessage {
  if (m.name !== undefined) warn(`workers-ai: ${at}.name is not supported and was ignored`);
  const texts: string[] = [];
  const calls: WorkersAiToolCallOut[] = [];
  let droppedReasoning = false;
  for (const p of m.content) {
    if (p.type === 'text') texts.push(p.text);
    else if (p.type === 'reasoning') droppedReasoning ||= p.text !== '';
    else calls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments.trim() === '' ? '{}' : p.arguments } });
  }
  if (droppedReasoning) warn(`workers-ai: ${at} reasoning text has no place in a Workers AI message and was not sent`);
  if (m.refusal !== undefined && m.refusal !== '') texts.push(m.refusal);
  const out: WorkersAiMessage = { role: 'assistant', content: texts.join('') };
  if (calls.length > 0) out.tool_calls = calls;
  return out;
}

function unsupported(param: string, kind: string): GatewayError {
  return new GatewayError('unsupported_parameter', { message: `${param}: Workers AI chat messages carry text only, not ${kind} parts`, param });
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
