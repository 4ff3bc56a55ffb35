import { GatewayError, type AssistantPart, type ChatResponse } from '../../spec/index.js';
import type { AnthropicResponseBlock, AnthropicResponseBody } from './anthropic-wire.js';
import { convertUsage } from './convert-usage.js';
import { mapStopReason } from './map-stop-reason.js';

type Warn = (message: string) => void;

/** An Anthropic Messages response body → the unified response (one choice). */
export function decodeResponse(text: string, provider: string, warn: Warn): ChatResponse {
  const body = parseBody(text, provider);
  const content: AssistantPart[] = [];
  const skipped = new Set<string>();
  for (const block of body.content ?? []) {
    const part = convertBlock(block);
    if (part !== undefined) content.push(part);
    else skipped.add(block.type);
  }
  for (const type of skipped) warn(`Anthropic returned "${type}" content that the unified response cannot carry; omitted`);

  const response: ChatResponse = {
    id: body.id ?? `msg_${Date.now().toString(36)}`,
    model: body.model ?? '',
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, content, finishReason: mapStopReason(body.stop_reason) }],
    usage: convertUsage(body.usage),
  };
  if (typeof body.usage?.service_tier === 'string') response.serviceTier = body.usage.service_tier;
  if (body.stop_sequence != null) response.providerMetadata = { anthropic: { stopSequence: body.stop_sequence } };
  return response;
}

export function convertBlock(block: AnthropicResponseBlock): AssistantPart | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text ?? '' };
    case 'thinking': {
      const part: AssistantPart = { type: 'reasoning', text: block.thinking ?? '' };
      if (block.signature !== undefined) part.signature = block.signature;
      return part;
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: block.data ?? '' };
    case 'tool_use':
      return { type: 'tool-call', id: block.id ?? '', name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) };
    default:
      return undefined;
  }
}

function parseBody(text: string, provider: string): AnthropicResponseBody {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a response that is not JSON`, provider, upstreamBody: text.slice(0, 2000), cause });
  }
  if (v === null || typeof v !== 'object' || !Array.isArray((v as AnthropicResponseBody).content)) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} sent a response without message content`, provider, upstreamBody: text.slice(0, 2000) });
  }
  return v as AnthropicResponseBody;
}
