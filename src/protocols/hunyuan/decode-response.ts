import type { AssistantPart, ChatResponse, FinishReason, Usage } from '../../spec/index.js';
import type { HunyuanChatBody, HunyuanUsage } from './hunyuan-wire.js';

export function mapFinishReason(raw: string | undefined): FinishReason {
  switch (raw) {
    case 'stop':
      return { unified: 'stop', raw };
    case 'length':
      return { unified: 'length', raw };
    case 'tool_calls':
      return { unified: 'tool-calls', raw };
    // Output moderation cut the answer.
    case 'sensitive':
      return { unified: 'content-filter', raw };
    case undefined:
    case '':
      return { unified: 'other' };
    default:
      return { unified: 'other', raw };
  }
}

export function convertUsage(u: HunyuanUsage | undefined): Usage {
  const input = u?.PromptTokens ?? 0;
  const output = u?.CompletionTokens ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: u?.TotalTokens ?? input + output };
  const cached = Number(u?.PromptTokensDetails?.CachedTokens ?? 0);
  if (cached > 0) usage.cacheReadTokens = cached;
  return usage;
}

/** The `Response` object of a non-stream ChatCompletions answer → unified response. */
export function decodeResponse(body: HunyuanChatBody, model: string): ChatResponse {
  const choices = (body.Choices ?? []).map((c, index) => {
    const content: AssistantPart[] = [];
    const m = c.Message ?? {};
    if (m.ReasoningContent) content.push({ type: 'reasoning', text: m.ReasoningContent });
    if (m.Content) content.push({ type: 'text', text: m.Content });
    for (const call of m.ToolCalls ?? []) content.push({ type: 'tool-call', id: call.Id, name: call.Function.Name, arguments: call.Function.Arguments });
    return { index, content, finishReason: mapFinishReason(c.FinishReason) };
  });
  const res: ChatResponse = {
    id: body.Id ?? body.RequestId ?? `hunyuan-${Date.now().toString(36)}`,
    model,
    created: body.Created ?? Math.floor(Date.now() / 1000),
    choices,
    usage: convertUsage(body.Usage),
  };
  if (body.Note) res.providerMetadata = { hunyuan: { note: body.Note } };
  return res;
}
