import { GatewayError, type FinishReason, type StreamPart } from '../../spec/index.js';
import { connectionError } from '../http/index.js';
import type { AnthropicResponseBlock, AnthropicUsage } from './anthropic-wire.js';
import { convertUsage, mergeUsage } from './convert-usage.js';
import { mapAnthropicStreamError } from './map-anthropic-error.js';
import { mapStopReason } from './map-stop-reason.js';

export interface SseEvent {
  event?: string;
  data: string;
}

type Warn = (message: string) => void;

interface StreamEventData {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: AnthropicResponseBlock;
  delta?: {
    type?: string;
    text?: string;
    thinking?: string;
    signature?: string;
    partial_json?: string;
    stop_reason?: string | null;
  };
  usage?: AnthropicUsage;
}

/**
 * Anthropic's SSE events → unified stream parts.
 *
 * Content blocks are addressed by Anthropic's block index, which counts text
 * and thinking blocks too; unified tool calls are numbered 0.. among tool
 * calls only. Usage arrives in two halves (message_start, message_delta) and
 * is emitted once, after `finish`, when `message_stop` closes the message.
 */
export async function* decodeStream(events: AsyncIterable<SseEvent>, provider: string, warn: Warn): AsyncGenerator<StreamPart> {
  const toolIndexByBlock = new Map<number, number>();
  const warned = new Set<string>();
  let nextToolIndex = 0;
  let usage: AnthropicUsage = {};
  let sawUsage = false;
  let finish: FinishReason = { unified: 'other' };
  let started = false;

  try {
    for await (const ev of events) {
      if (ev.event === 'ping' || ev.data === '') continue;
      if (ev.event === 'error') {
        yield { type: 'error', error: mapAnthropicStreamError(ev.data, provider) };
        return;
      }
      const data = parse(ev.data);
      if (data === undefined) {
        yield { type: 'error', error: badResponse(provider, `Upstream ${provider} sent a stream event that is not JSON`, ev.data) };
        return;
      }
      switch (data.type ?? ev.event) {
        case 'message_start': {
          started = true;
          const m = data.message ?? {};
          if (m.usage !== undefined) {
            usage = mergeUsage(usage, m.usage);
            sawUsage = true;
          }
          yield { type: 'start', id: m.id ?? `msg_${Date.now().toString(36)}`, model: m.model ?? '', created: Math.floor(Date.now() / 1000) };
          break;
        }
        case 'content_block_start': {
          const block = data.content_block ?? { type: 'unknown' };
          const index = data.index ?? 0;
          switch (block.type) {
            case 'text':
              if (block.text) yield { type: 'text-delta', choice: 0, text: block.text };
              break;
            case 'thinking':
              if (block.thinking) yield { type: 'reasoning-delta', choice: 0, text: block.thinking };
              if (block.signature) yield { type: 'reasoning-signature', choice: 0, signature: block.signature };
              break;
            case 'redacted_thinking':
              yield { type: 'reasoning-signature', choice: 0, redactedData: block.data ?? '' };
              break;
            case 'tool_use': {
              const toolIndex = nextToolIndex++;
              toolIndexByBlock.set(index, toolIndex);
              yield { type: 'tool-call-start', choice: 0, toolIndex, id: block.id ?? '', name: block.name ?? '' };
              // Input normally streams as input_json_delta from `{}`; a non-empty start input is real.
              if (block.input !== undefined && !isEmptyObject(block.input)) {
                yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: JSON.stringify(block.input) };
              }
              break;
            }
            default:
              if (!warned.has(block.type)) {
                warned.add(block.type);
                warn(`Anthropic streamed "${block.type}" content that the unified stream cannot carry; omitted`);
              }
          }
          break;
        }
        case 'content_block_delta': {
          const d = data.delta ?? {};
          if (d.type === 'text_delta' && d.text) yield { type: 'text-delta', choice: 0, text: d.text };
          else if (d.type === 'thinking_delta' && d.thinking) yield { type: 'reasoning-delta', choice: 0, text: d.thinking };
          else if (d.type === 'signature_delta' && d.signature) yield { type: 'reasoning-signature', choice: 0, signature: d.signature };
          else if (d.type === 'input_json_delta' && d.partial_json) {
            const toolIndex = toolIndexByBlock.get(data.index ?? -1);
            if (toolIndex !== undefined) yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: d.partial_json };
          }
          break;
        }
        case 'message_delta':
          if (data.delta?.stop_reason !== undefined) finish = mapStopReason(data.delta.stop_reason);
          if (data.usage !== undefined) {
            usage = mergeUsage(usage, data.usage);
            sawUsage = true;
          }
          break;
        case 'message_stop':
          yield { type: 'finish', choice: 0, finishReason: finish };
          if (sawUsage) yield { type: 'usage', usage: convertUsage(usage) };
          return;
        case 'error':
          yield { type: 'error', error: mapAnthropicStreamError(ev.data, provider) };
          return;
        default:
          // content_block_stop carries nothing we need; future event types are ignored like the SDK does.
          break;
      }
    }
  } catch (err) {
    yield { type: 'error', error: connectionError(err, provider) };
    return;
  }
  yield {
    type: 'error',
    error: badResponse(provider, started ? `Upstream ${provider} stream ended before message_stop` : `Upstream ${provider} stream ended without a message`),
  };
}

function parse(text: string): StreamEventData | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as StreamEventData) : undefined;
  } catch {
    return undefined;
  }
}

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

function badResponse(provider: string, message: string, body?: string): GatewayError {
  return new GatewayError('upstream_bad_response', { message, provider, upstreamBody: body?.slice(0, 2000) });
}
