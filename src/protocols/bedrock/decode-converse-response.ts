import { randomUUID } from 'node:crypto';
import { emptyUsage, GatewayError, type AssistantPart, type ChatResponse } from '../../spec/index.js';
import { isRecord, type ConverseResponseBody } from './bedrock-wire.js';
import { convertUsage } from './convert-usage.js';
import { mapStopReason } from './map-stop-reason.js';

/** A Converse JSON answer → unified response. Bedrock gives no message id, so AWS's request id stands in. */
export function decodeConverseResponse(text: string, provider: string, model: string, requestId: string | undefined, warn: (m: string) => void): ChatResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} returned a body that is not JSON`, provider, upstreamBody: text.slice(0, 2000) });
  }
  if (!isRecord(json) || !isRecord(json.output)) {
    throw new GatewayError('upstream_bad_response', { message: `Upstream ${provider} returned a Converse answer without output`, provider, upstreamBody: text.slice(0, 2000) });
  }
  const body = json as ConverseResponseBody;
  const content = decodeBlocks(body.output?.message?.content ?? [], warn);
  const res: ChatResponse = {
    id: requestId ?? randomUUID(),
    model,
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, content, finishReason: mapStopReason(body.stopReason) }],
    usage: convertUsage(body.usage) ?? emptyUsage(),
  };
  const meta: Record<string, unknown> = {};
  if (body.metrics !== undefined) meta.metrics = body.metrics;
  if (body.trace !== undefined) meta.trace = body.trace;
  if (body.additionalModelResponseFields !== undefined) meta.additionalModelResponseFields = body.additionalModelResponseFields;
  if (Object.keys(meta).length > 0) res.providerMetadata = { bedrock: meta };
  return res;
}

function decodeBlocks(blocks: unknown[], warn: (m: string) => void): AssistantPart[] {
  const parts: AssistantPart[] = [];
  for (const b of blocks) {
    if (!isRecord(b)) continue;
    if (typeof b.text === 'string') {
      if (b.text !== '') parts.push({ type: 'text', text: b.text });
    } else if (isRecord(b.toolUse)) {
      const t = b.toolUse;
      parts.push({ type: 'tool-call', id: String(t.toolUseId ?? `tooluse_${randomUUID()}`), name: String(t.name ?? ''), arguments: JSON.stringify(t.input ?? {}) });
    } else if (isRecord(b.reasoningContent)) {
      const r = b.reasoningContent;
      if (isRecord(r.reasoningText)) {
        const part: AssistantPart = { type: 'reasoning', text: String(r.reasoningText.text ?? '') };
        if (typeof r.reasoningText.signature === 'string') part.signature = r.reasoningText.signature;
        parts.push(part);
      } else if (typeof r.redactedContent === 'string') parts.push({ type: 'reasoning', text: '', redactedData: r.redactedContent });
    } else {
      warn(`Bedrock answered with a ${Object.keys(b)[0] ?? 'empty'} block this gateway does not relay; dropped`);
    }
  }
  return parts;
}
