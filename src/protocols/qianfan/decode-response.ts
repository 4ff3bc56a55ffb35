import type { AssistantPart, ChatResponse, FinishReason, Usage } from '../../spec/index.js';
import type { ErnieResponse, ErnieUsage } from './qianfan-wire.js';

export function mapFinishReason(raw: string | undefined): FinishReason {
  switch (raw) {
    case 'normal':
    case 'stop':
      return { unified: 'stop', raw };
    case 'length':
      return { unified: 'length', raw };
    case 'function_call':
      return { unified: 'tool-calls', raw };
    case 'content_filter':
      return { unified: 'content-filter', raw };
    case undefined:
    case '':
      return { unified: 'other' };
    default:
      return { unified: 'other', raw };
  }
}

export function convertUsage(u: ErnieUsage | undefined): Usage {
  const input = u?.prompt_tokens ?? 0;
  const output = u?.completion_tokens ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: u?.total_tokens ?? input + output };
}

/** ERNIE gives a function call no id; one is made from the answer id so the result can be matched back. */
export function callId(responseId: string | undefined): string {
  return `call_${(responseId ?? Date.now().toString(36)).replace(/[^A-Za-z0-9_-]/g, '')}`;
}

export function decodeResponse(body: ErnieResponse, model: string): ChatResponse {
  const content: AssistantPart[] = [];
  if (body.function_call?.thoughts) content.push({ type: 'reasoning', text: body.function_call.thoughts });
  if (body.result) content.push({ type: 'text', text: body.result });
  if (body.function_call) content.push({ type: 'tool-call', id: callId(body.id), name: body.function_call.name, arguments: body.function_call.arguments });
  const finish = body.function_call && body.finish_reason !== 'function_call' ? 'function_call' : body.finish_reason;
  return {
    id: body.id ?? `qianfan-${Date.now().toString(36)}`,
    model,
    created: body.created ?? Math.floor(Date.now() / 1000),
    choices: [{ index: 0, content, finishReason: mapFinishReason(finish) }],
    usage: convertUsage(body.usage),
  };
}
