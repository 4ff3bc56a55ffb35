import { randomBytes } from 'node:crypto';
import type { FinishReason, Usage } from '../../spec/index.js';
import type { WorkersAiToolCallIn, WorkersAiUsage } from './workers-ai-wire.js';

/**
 * Ids for tool calls: Workers AI's native models return none, so each call
 * gets one unique to this response and fixed for its life (the client
 * echoes it in the tool result, which we send back as `tool_call_id`).
 */
export function toolCallIds(): (call: WorkersAiToolCallIn, index: number) => string {
  const prefix = randomBytes(4).toString('hex');
  return (call, index) => (typeof call.id === 'string' && call.id !== '' && call.id !== 'null' ? call.id : `call_${prefix}_${index}`);
}

/** Name of a call in either shape (flat or OpenAI-wrapped). */
export function toolCallName(call: WorkersAiToolCallIn): string | undefined {
  const name = call.function?.name ?? call.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Arguments as JSON text: native models send an object, OpenAI-shaped ones a (possibly partial) string. */
export function toolCallArguments(call: WorkersAiToolCallIn): string {
  const args = call.function !== undefined ? call.function.arguments : call.arguments;
  if (args === undefined || args === null) return '';
  return typeof args === 'string' ? args : JSON.stringify(args);
}

/** The answer text; JSON mode may return the structured object itself instead of a string. */
export function responseText(response: unknown): string {
  if (response === undefined || response === null) return '';
  if (typeof response === 'string') return response;
  if (typeof response === 'object') return JSON.stringify(response);
  return String(response);
}

export function decodeUsage(u: WorkersAiUsage): Usage {
  const input = u.prompt_tokens ?? 0;
  const output = u.completion_tokens ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: u.total_tokens ?? input + output };
}

/**
 * The classic run schema has no finish reason: a turn with tool calls ended
 * for them, one that spent exactly the requested cap was cut, anything else
 * stopped. Newer models send `finish_reason`, which wins.
 */
export function finishReason(raw: string | null | undefined, hadToolCalls: boolean, outputTokens: number | undefined, maxTokens: number | undefined): FinishReason {
  if (typeof raw === 'string' && raw !== '') {
    if (raw === 'stop') return { unified: hadToolCalls ? 'tool-calls' : 'stop', raw };
    if (raw === 'length' || raw === 'max_tokens') return { unified: 'length', raw };
    if (raw === 'tool_calls') return { unified: 'tool-calls', raw };
    return { unified: 'other', raw };
  }
  if (hadToolCalls) return { unified: 'tool-calls' };
  if (maxTokens !== undefined && outputTokens !== undefined && outputTokens >= maxTokens) return { unified: 'length' };
  return { unified: 'stop' };
}
