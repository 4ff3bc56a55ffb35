import { invalidRequest } from '../../spec/index.js';

/**
 * A tool call's arguments (JSON text, as the unified model and OpenAI carry
 * them) as the object protocols with structured tool input need. Empty text
 * is `{}`; anything else that is not a JSON object is the client's mistake,
 * a 400 naming the field — never silently sent as something else.
 */
export function parseToolArguments(text: string, param: string, upstream: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest(`${param}: tool call arguments are not valid JSON`, param);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidRequest(`${param}: tool call arguments must be a JSON object for ${upstream}`, param);
  }
  return parsed as Record<string, unknown>;
}
