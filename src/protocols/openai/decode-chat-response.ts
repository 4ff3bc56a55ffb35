import { randomUUID } from 'node:crypto';
import { emptyUsage, GatewayError, type AssistantPart, type ChatChoice, type ChatResponse } from '../../spec/index.js';
import { decodeLogprobs } from './decode-logprobs.js';
import { decodeUsage } from './decode-usage.js';
import { mapFinishReason } from './map-finish-reason.js';
import { isRecord, type OpenAIChatBody, type OpenAIChoice, type OpenAIMessageLike } from './wire-types.js';

/** A parsed chat.completion body → unified ChatResponse. */
export function decodeChatResponse(json: unknown, provider: string, fallbackModel: string): ChatResponse {
  if (!isRecord(json) || !Array.isArray(json.choices)) {
    throw new GatewayError('upstream_bad_response', {
      message: `Upstream ${provider} returned a chat response without choices`,
      provider,
      upstreamBody: JSON.stringify(json)?.slice(0, 2000),
    });
  }
  const body = json as OpenAIChatBody;
  const res: ChatResponse = {
    id: typeof body.id === 'string' && body.id !== '' ? body.id : `chatcmpl-${randomUUID()}`,
    model: typeof body.model === 'string' && body.model !== '' ? body.model : fallbackModel,
    created: typeof body.created === 'number' ? body.created : Math.floor(Date.now() / 1000),
    choices: (body.choices ?? []).map(decodeChoice),
    usage: decodeUsage(body.usage) ?? emptyUsage(),
  };
  if (typeof body.system_fingerprint === 'string') res.systemFingerprint = body.system_fingerprint;
  if (typeof body.service_tier === 'string') res.serviceTier = body.service_tier;
  return res;
}

function decodeChoice(c: OpenAIChoice, i: number): ChatChoice {
  const m: OpenAIMessageLike = c.message ?? {};
  const choice: ChatChoice = {
    index: typeof c.index === 'number' ? c.index : i,
    content: decodeContent(m),
    finishReason: mapFinishReason(c.finish_reason),
  };
  if (typeof m.refusal === 'string' && m.refusal !== '') choice.refusal = m.refusal;
  const logprobs = decodeLogprobs(c.logprobs);
  if (logprobs !== undefined) choice.logprobs = logprobs;
  return choice;
}

/** Reasoning first, then text, then tool calls: the order the model produced them. */
function decodeContent(m: OpenAIMessageLike): AssistantPart[] {
  const parts: AssistantPart[] = [];
  const reasoning = reasoningText(m);
  if (reasoning !== undefined) parts.push({ type: 'reasoning', text: reasoning });
  if (typeof m.content === 'string') {
    if (m.content !== '') parts.push({ type: 'text', text: m.content });
  } else if (Array.isArray(m.content)) {
    // Some compatible servers (Mistral) answer with an array of text parts.
    for (const p of m.content) if (p.type === 'text' && typeof p.text === 'string' && p.text !== '') parts.push({ type: 'text', text: p.text });
  }
  for (const tc of m.tool_calls ?? []) {
    parts.push({
      type: 'tool-call',
      id: tc.id ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      name: tc.function?.name ?? '',
      arguments: tc.function?.arguments ?? '',
    });
  }
  return parts;
}

/** DeepSeek's `reasoning_content`, or `reasoning` (vLLM, OpenRouter), or `reasoning_details` text (MiniMax's reasoning_split). */
export function reasoningText(m: OpenAIMessageLike): string | undefined {
  if (typeof m.reasoning_content === 'string' && m.reasoning_content !== '') return m.reasoning_content;
  if (typeof m.reasoning === 'string' && m.reasoning !== '') return m.reasoning;
  if (Array.isArray(m.reasoning_details)) {
    const text = m.reasoning_details.map((d) => (typeof d?.text === 'string' ? d.text : '')).join('');
    if (text !== '') return text;
  }
  return undefined;
}
