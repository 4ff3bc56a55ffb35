import { randomBytes } from 'node:crypto';
import type { AssistantPart, TokenLogprob, Usage } from '../../spec/index.js';
import type { OllamaChatChunk, OllamaLogprob, OllamaToolCall } from './ollama-wire.js';

/** Ids for tool calls that arrive without one (older Ollama); unique per response. */
export function toolCallIds(): (call: OllamaToolCall) => string {
  const prefix = randomBytes(4).toString('hex');
  let n = 0;
  return (call) => (typeof call.id === 'string' && call.id !== '' ? call.id : `call_${prefix}_${n++}`);
}

/** One message (whole or a stream line) → unified parts: thinking, text, tool calls. */
export function decodeMessage(msg: OllamaChatChunk['message'], nextId: (c: OllamaToolCall) => string): AssistantPart[] {
  const parts: AssistantPart[] = [];
  if (msg?.thinking) parts.push({ type: 'reasoning', text: msg.thinking });
  if (msg?.content) parts.push({ type: 'text', text: msg.content });
  for (const call of msg?.tool_calls ?? []) {
    parts.push({ type: 'tool-call', id: nextId(call), name: call.function?.name ?? '', arguments: JSON.stringify(call.function?.arguments ?? {}) });
  }
  return parts;
}

/** `prompt_eval_count` is the whole prompt; `eval_count` the whole answer, thinking included. */
export function decodeUsage(chunk: OllamaChatChunk): Usage {
  const input = chunk.prompt_eval_count ?? 0;
  const output = chunk.eval_count ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

export function decodeLogprobs(list: OllamaLogprob[] | undefined): TokenLogprob[] | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return list.map((l) => {
    const out: TokenLogprob = { token: l.token ?? '', logprob: l.logprob ?? 0 };
    if (l.bytes !== undefined) out.bytes = l.bytes;
    if (l.top_logprobs !== undefined) out.topLogprobs = l.top_logprobs.map((t) => ({ token: t.token ?? '', logprob: t.logprob ?? 0 }));
    return out;
  });
}

/** Ollama's RFC 3339 `created_at` (nanosecond precision) → Unix seconds. */
export function createdSeconds(createdAt: string | undefined): number {
  const ms = createdAt === undefined ? NaN : Date.parse(createdAt);
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}
