import type { AssistantPart } from '../../spec/index.js';
import type { GeminiPart, Json } from './gemini-wire.js';

/**
 * Unified assistant parts → Gemini parts. Thinking is returned only when
 * the client asked for it (`includeThoughts`), as Gemini does; a signature
 * always rides on the part it belongs to (the thought, or the next part),
 * because Gemini needs it back on later turns.
 */
export function encodeParts(content: AssistantPart[], includeThoughts: boolean, warn: (m: string) => void): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let pendingSignature: string | undefined;
  for (const p of content) {
    if (p.type === 'reasoning') {
      if (p.redactedData !== undefined) continue;
      if (p.text !== '' && includeThoughts) {
        const part: GeminiPart = { text: p.text, thought: true };
        if (p.signature !== undefined) part.thoughtSignature = p.signature;
        parts.push(part);
      } else if (p.signature !== undefined) pendingSignature = p.signature;
      continue;
    }
    const part: GeminiPart = p.type === 'text' ? { text: p.text } : { functionCall: functionCall(p.id, p.name, p.arguments, warn) };
    if (pendingSignature !== undefined) part.thoughtSignature = pendingSignature;
    pendingSignature = undefined;
    parts.push(part);
  }
  return parts;
}

/** The id is kept: Gemini's API has the field, and a client that echoes it lets the gateway pair the result exactly. */
export function functionCall(id: string, name: string, args: string, warn: (m: string) => void): { id: string; name: string; args: Json } {
  return { id, name, args: parseArgs(args, name, warn) };
}

function parseArgs(text: string, name: string, warn: (m: string) => void): Json {
  if (text.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Json;
    warn(`function call "${name}": the model's arguments are not a JSON object; sent as {"value": …}`);
    return { value: v };
  } catch {
    warn(`function call "${name}": the model's arguments are not valid JSON; sent as {"raw": "…"}`);
    return { raw: text };
  }
}
