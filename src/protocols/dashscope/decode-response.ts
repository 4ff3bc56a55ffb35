import type { AssistantPart, ChatResponse, FinishReason, Usage } from '../../spec/index.js';
import type { DashScopeGeneration, DashScopeUsage } from './dashscope-wire.js';

export function mapFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
      return { unified: 'stop', raw };
    case 'length':
      return { unified: 'length', raw };
    case 'tool_calls':
      return { unified: 'tool-calls', raw };
    case null:
    case undefined:
    case 'null':
    case '':
      return { unified: 'other' };
    default:
      return { unified: 'other', raw };
  }
}

export function convertUsage(u: DashScopeUsage | undefined): Usage {
  const input = u?.input_tokens ?? 0;
  const output = u?.output_tokens ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: u?.total_tokens ?? input + output };
  if (u?.prompt_tokens_details?.cached_tokens) usage.cacheReadTokens = u.prompt_tokens_details.cached_tokens;
  if (u?.output_tokens_details?.reasoning_tokens) usage.reasoningTokens = u.output_tokens_details.reasoning_tokens;
  return usage;
}

export function decodeResponse(body: DashScopeGeneration, model: string): ChatResponse {
  const choices = (body.output?.choices ?? []).map((c, index) => {
    const content: AssistantPart[] = [];
    const m = c.message ?? {};
    if (m.reasoning_content) content.push({ type: 'reasoning', text: m.reasoning_content });
    if (m.content) content.push({ type: 'text', text: m.content });
    for (const t of m.tool_calls ?? []) content.push({ type: 'tool-call', id: t.id ?? `call_${index}`, name: t.function?.name ?? '', arguments: t.function?.arguments ?? '' });
    return { index, content, finishReason: mapFinishReason(c.finish_reason) };
  });
  // result_format "text" answers (older configs) carry output.text instead of choices.
  if (choices.length === 0 && body.output?.text !== undefined) {
    choices.push({ index: 0, content: [{ type: 'text', text: body.output.text }], finishReason: mapFinishReason(body.output.finish_reason) });
  }
  return { id: body.request_id ?? `dashscope-${Date.now().toString(36)}`, model, created: Math.floor(Date.now() / 1000), choices, usage: convertUsage(body.usage) };
}
