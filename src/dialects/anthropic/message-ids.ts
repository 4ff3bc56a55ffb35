/**
 * Small shared helpers of the encoders: Anthropic-looking ids and tool inputs.
 */

/** Anthropic clients expect `msg_…` ids; an upstream id is kept inside it for tracing. */
export function anthropicMessageId(upstreamId: string): string {
  if (upstreamId.startsWith('msg_')) return upstreamId;
  const clean = upstreamId.replace(/[^A-Za-z0-9_-]/g, '');
  return `msg_${clean !== '' ? clean : Date.now().toString(36)}`;
}

/**
 * Anthropic's `tool_use.input` is an object; unified arguments are JSON text.
 * A model that emitted broken or non-object JSON gets its raw text kept under
 * `_raw_arguments` with a warning, rather than an answer the client cannot parse.
 */
export function parseToolInput(args: string, toolName: string, warn: (m: string) => void): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(args);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  warn(`tool call "${toolName}": the upstream's arguments are not a JSON object; kept as text in input._raw_arguments`);
  return { _raw_arguments: args };
}
