/**
 * Reasoning that must round-trip (Anthropic's thinking signature, redacted
 * thinking) travels to Responses clients in a reasoning item's
 * `encrypted_content`, the field they already send back verbatim when they
 * run without server state (Codex: `store: false` with
 * `include: ['reasoning.encrypted_content']`). It is ours, not OpenAI's
 * encryption: a prefix marks it so content from a real OpenAI upstream is
 * recognised as foreign and never misread.
 */
import type { ReasoningPart } from '../../spec/index.js';

export const REASONING_PAYLOAD_PREFIX = 'swy1.';

interface Payload {
  t?: string;
  s?: string;
  r?: string;
}

export function encodeReasoningPayload(parts: ReasoningPart[]): string {
  const list: Payload[] = parts.map((p) => {
    const o: Payload = {};
    if (p.text !== '') o.t = p.text;
    if (p.signature !== undefined) o.s = p.signature;
    if (p.redactedData !== undefined) o.r = p.redactedData;
    return o;
  });
  return REASONING_PAYLOAD_PREFIX + Buffer.from(JSON.stringify(list), 'utf8').toString('base64');
}

/** Our own payload back into reasoning parts; undefined for anything else (foreign or damaged). */
export function decodeReasoningPayload(content: string): ReasoningPart[] | undefined {
  if (!content.startsWith(REASONING_PAYLOAD_PREFIX)) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(Buffer.from(content.slice(REASONING_PAYLOAD_PREFIX.length), 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const out: ReasoningPart[] = [];
  for (const raw of list) {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const p = raw as Payload;
    const part: ReasoningPart = { type: 'reasoning', text: typeof p.t === 'string' ? p.t : '' };
    if (typeof p.s === 'string') part.signature = p.s;
    if (typeof p.r === 'string') part.redactedData = p.r;
    out.push(part);
  }
  return out;
}
