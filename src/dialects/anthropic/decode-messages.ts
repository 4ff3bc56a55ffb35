/**
 * Anthropic `system` + `messages` → unified messages. Besides user and
 * assistant turns, a `system` role inside `messages` is accepted (Claude Code
 * sends it, and newer API versions allow it) and kept in place.
 */
import type { Message } from '../../spec/index.js';
import { decodeAssistantContent, decodeSystemContent, decodeUserTurn, type ToolNames } from './decode-content-blocks.js';
import type { DecodeNotes } from './decode-notes.js';
import { asArray, asObject, isAbsent, missing, oneOf } from './json-checks.js';

const ROLES = ['user', 'assistant', 'system'] as const;
const MESSAGE_KEYS = new Set(['role', 'content']);

export function decodeMessages(system: unknown, messages: unknown, notes: DecodeNotes): Message[] {
  const out: Message[] = [];
  if (!isAbsent(system)) out.push({ role: 'system', content: decodeSystemContent(system, 'system', notes) });
  if (isAbsent(messages)) throw missing('messages');
  const arr = asArray(messages, 'messages');
  const names: ToolNames = new Map();
  arr.forEach((raw, i) => {
    const param = `messages.${i}`;
    const m = asObject(raw, param);
    if (isAbsent(m['role'])) throw missing(`${param}.role`);
    const role = oneOf(m['role'], `${param}.role`, ROLES);
    for (const k of Object.keys(m)) if (!MESSAGE_KEYS.has(k)) notes.warn(`${param}.${k}: unknown message field, not carried to this upstream`);
    const at = `${param}.content`;
    switch (role) {
      case 'system':
        out.push({ role: 'system', content: decodeSystemContent(m['content'], at, notes) });
        return;
      case 'assistant':
        out.push({ role: 'assistant', content: decodeAssistantContent(m['content'], at, names, notes) });
        return;
      case 'user': {
        const { tools, parts } = decodeUserTurn(m['content'], at, names, notes);
        out.push(...tools);
        if (parts.length > 0 || tools.length === 0) out.push({ role: 'user', content: parts });
        return;
      }
    }
  });
  return out;
}
