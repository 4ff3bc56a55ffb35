/**
 * OpenAI `messages` into unified messages: `developer` becomes a flagged
 * system message, the legacy `function` role and `function_call` become tool
 * calls/results with synthetic ids that pair up, and LiteLLM's
 * `reasoning_content` / `thinking_blocks` on assistant turns become reasoning
 * parts so Anthropic signatures survive a round trip.
 */
import type { AssistantMessage, AssistantPart, Message, ReasoningPart, TextPart, UserPart } from '../../spec/index.js';
import {
  decodeCacheControl,
  decodeTextContent,
  decodeTextPart,
  decodeToolContent,
  decodeUserContent,
} from './decode-content-parts.js';
import {
  asArray,
  asObject,
  asString,
  badValue,
  invalid,
  isAbsent,
  missing,
  optString,
  requireString,
  unsupported,
  type Json,
} from './json-checks.js';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

/** Keys each role may carry; anything else (not null/empty) is reported, never passed on silently. */
const KNOWN_KEYS: Record<string, ReadonlySet<string>> = {
  system: new Set(['role', 'content', 'name', 'cache_control']),
  user: new Set(['role', 'content', 'name', 'cache_control']),
  assistant: new Set([
    'role', 'content', 'name', 'cache_control', 'tool_calls', 'function_call', 'refusal',
    'reasoning_content', 'thinking_blocks',
  ]),
  tool: new Set(['role', 'content', 'name', 'cache_control', 'tool_call_id']),
  function: new Set(['role', 'content', 'name']),
};

type Warn = (message: string) => void;

export function decodeMessages(v: unknown, warn: Warn): Message[] {
  if (isAbsent(v)) throw missing('messages');
  const arr = asArray(v, 'messages');
  if (arr.length === 0) {
    throw invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages');
  }
  const out: Message[] = new Array<Message>(arr.length);
  // The legacy function-calling API has no ids; pair each `function` result with the call before it.
  let lastFunctionCallId: string | undefined;
  for (let i = 0; i < arr.length; i++) {
    const param = `messages[${i}]`;
    const m = asObject(arr[i], param);
    const role = m['role'];
    if (isAbsent(role)) throw missing(`${param}.role`);
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw badValue(`${param}.role`, typeof role === 'string' ? role : JSON.stringify(role), ROLES);
    }
    reportUnknownKeys(m, role === 'developer' ? 'system' : role, param, warn);
    let msg: Message;
    switch (role) {
      case 'system':
      case 'developer': {
        msg = { role: 'system', content: decodeTextContent(m['content'], `${param}.content`) };
        if (role === 'developer') msg.developer = true;
        if (!isAbsent(m['name'])) warn(`${param}.name is not supported on ${role} messages and was ignored`);
        break;
      }
      case 'user': {
        msg = { role: 'user', content: decodeUserContent(m['content'], `${param}.content`) };
        const name = optString(m['name'], `${param}.name`);
        if (name !== undefined) msg.name = name;
        break;
      }
      case 'assistant': {
        const decoded = decodeAssistant(m, param, i);
        msg = decoded.message;
        if (decoded.functionCallId) lastFunctionCallId = decoded.functionCallId;
        break;
      }
      case 'tool': {
        const toolCallId = m['tool_call_id'];
        if (isAbsent(toolCallId)) throw missing(`${param}.tool_call_id`);
        msg = {
          role: 'tool',
          toolCallId: asString(toolCallId, `${param}.tool_call_id`),
          content: decodeToolContent(m['content'], `${param}.content`),
        };
        const name = optString(m['name'], `${param}.name`);
        if (name !== undefined) msg.toolName = name;
        break;
      }
      default: {
        // Legacy `function` role: a tool result keyed by function name.
        const name = requireString(m, 'name', `${param}.name`);
        const content = m['content'];
        msg = {
          role: 'tool',
          toolCallId: lastFunctionCallId ?? `call_fn_${i}`,
          toolName: name,
          content: [{ type: 'text', text: isAbsent(content) ? '' : asString(content, `${param}.content`) }],
        };
      }
    }
    applyMessageCacheControl(m, msg, param, warn);
    out[i] = msg;
  }
  return out;
}

function reportUnknownKeys(m: Json, role: string, param: string, warn: Warn): void {
  const known = KNOWN_KEYS[role];
  if (!known) return;
  for (const k in m) {
    if (known.has(k)) continue;
    const val = m[k];
    // Clients echo previous responses back (`annotations: []`, `audio: null`); empty values carry nothing.
    if (isAbsent(val) || (Array.isArray(val) && val.length === 0)) continue;
    warn(`${param}.${k} is not supported and was ignored`);
  }
}

function decodeAssistant(m: Json, param: string, index: number): { message: AssistantMessage; functionCallId?: string } {
  const parts: AssistantPart[] = [];
  let refusal = optString(m['refusal'], `${param}.refusal`);
  let functionCallId: string | undefined;

  const blocks = m['thinking_blocks'];
  if (!isAbsent(blocks)) parts.push(...decodeThinkingBlocks(blocks, `${param}.thinking_blocks`));
  else {
    const reasoning = optString(m['reasoning_content'], `${param}.reasoning_content`);
    if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
  }

  const content = m['content'];
  const hasContent = !isAbsent(content);
  const textParts: TextPart[] = [];
  if (typeof content === 'string') textParts.push({ type: 'text', text: content });
  else if (hasContent) {
    const arr = asArray(content, `${param}.content`);
    for (let j = 0; j < arr.length; j++) {
      const pp = `${param}.content[${j}]`;
      const p = asObject(arr[j], pp);
      if (p['type'] === 'text') textParts.push(decodeTextPart(p, pp));
      else if (p['type'] === 'refusal') refusal = (refusal ?? '') + requireString(p, 'refusal', `${pp}.refusal`);
      else throw badValue(`${pp}.type`, p['type'], ['text', 'refusal']);
    }
  }

  const toolCalls: AssistantPart[] = [];
  const rawCalls = m['tool_calls'];
  if (!isAbsent(rawCalls)) {
    const arr = asArray(rawCalls, `${param}.tool_calls`);
    for (let j = 0; j < arr.length; j++) toolCalls.push(decodeToolCall(arr[j], `${param}.tool_calls[${j}]`));
  }
  const fc = m['function_call'];
  if (!isAbsent(fc)) {
    const obj = asObject(fc, `${param}.function_call`);
    functionCallId = `call_fn_${index}`;
    toolCalls.push({
      type: 'tool-call',
      id: functionCallId,
      name: requireString(obj, 'name', `${param}.function_call.name`),
      arguments: optString(obj['arguments'], `${param}.function_call.arguments`) ?? '',
    });
  }

  if (!hasContent && toolCalls.length === 0 && refusal === undefined) {
    throw invalid(`Invalid '${param}': an assistant message must have 'content' or 'tool_calls'.`, `${param}.content`);
  }
  // An empty string next to tool calls is how most SDKs say "no text"; keep the parts minimal.
  for (const t of textParts) if (t.text !== '' || toolCalls.length === 0) parts.push(t);
  parts.push(...toolCalls);

  const message: AssistantMessage = { role: 'assistant', content: parts };
  const name = optString(m['name'], `${param}.name`);
  if (name !== undefined) message.name = name;
  if (refusal !== undefined) message.refusal = refusal;
  return functionCallId ? { message, functionCallId } : { message };
}

function decodeToolCall(v: unknown, param: string): AssistantPart {
  const call = asObject(v, param);
  const type = call['type'];
  if (!isAbsent(type) && type !== 'function') {
    throw unsupported(`${param}.type`, `Invalid value for '${param}.type': only 'function' tool calls are supported.`);
  }
  const fnRaw = call['function'];
  if (isAbsent(fnRaw)) throw missing(`${param}.function`);
  const fn = asObject(fnRaw, `${param}.function`);
  return {
    type: 'tool-call',
    id: requireString(call, 'id', `${param}.id`),
    name: requireString(fn, 'name', `${param}.function.name`),
    arguments: requireString(fn, 'arguments', `${param}.function.arguments`),
  };
}

function decodeThinkingBlocks(v: unknown, param: string): ReasoningPart[] {
  const arr = asArray(v, param);
  const out: ReasoningPart[] = [];
  for (let j = 0; j < arr.length; j++) {
    const pp = `${param}[${j}]`;
    const b = asObject(arr[j], pp);
    if (b['type'] === 'thinking') {
      const part: ReasoningPart = { type: 'reasoning', text: requireString(b, 'thinking', `${pp}.thinking`) };
      const sig = optString(b['signature'], `${pp}.signature`);
      if (sig !== undefined) part.signature = sig;
      out.push(part);
    } else if (b['type'] === 'redacted_thinking') {
      out.push({ type: 'reasoning', text: '', redactedData: requireString(b, 'data', `${pp}.data`) });
    } else throw badValue(`${pp}.type`, b['type'], ['thinking', 'redacted_thinking']);
  }
  return out;
}

/** LiteLLM accepts `cache_control` on the message itself: it marks the message's last text part. */
function applyMessageCacheControl(m: Json, msg: Message, param: string, warn: Warn): void {
  const cc = decodeCacheControl(m['cache_control'], `${param}.cache_control`);
  if (!cc) return;
  const content = msg.content as (UserPart | AssistantPart)[];
  for (let j = content.length - 1; j >= 0; j--) {
    const p = content[j];
    if (p && p.type === 'text') {
      p.cacheControl = cc;
      return;
    }
  }
  warn(`${param}.cache_control was ignored: the message has no text part to mark`);
}
