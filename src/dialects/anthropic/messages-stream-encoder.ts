/**
 * Unified stream parts → Anthropic's Messages SSE sequence:
 *
 *   message_start, ping,
 *   (content_block_start, content_block_delta*, content_block_stop)*,
 *   message_delta (stop_reason + usage), message_stop
 *
 * or an `error` event. Unified parts are a flat series of deltas; Anthropic
 * wants numbered blocks, so a block is opened when the kind of part changes
 * (thinking → text → each tool call) and closed before the next one opens.
 *
 * Usage: non-Anthropic upstreams report it at the end, so `message_start`
 * carries zeros and `message_delta` the whole totals (input and cache
 * counters included, which Anthropic's SDKs copy over the start values).
 */
import { GatewayError, type FinishReason, type StreamPart, type Usage } from '../../spec/index.js';
import { encodeAnthropicError } from './encode-error.js';
import { encodeUsage } from './encode-usage.js';
import { mapStopReason } from './map-stop-reason.js';
import { anthropicMessageId } from './message-ids.js';

export interface MessagesStreamEncoder {
  /** SSE text for one part: '' when it shows nothing, else one or more complete events. */
  encode(part: StreamPart): string;
  /** Closes the open block, then `message_delta` and `message_stop`. */
  end(): string;
}

type OpenBlock = { kind: 'text' } | { kind: 'thinking'; signed: boolean } | { kind: 'tool'; toolIndex: number };

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export function createMessagesStreamEncoder(opts: { requestedModel: string; requestId?: string }): MessagesStreamEncoder {
  let started = false;
  let failed = false;
  let nextIndex = 0;
  let open: OpenBlock | undefined;
  const closedTools = new Set<number>();
  let calledTools = false;
  let finish: FinishReason | undefined;
  let usage: Usage | undefined;

  function messageStart(id: string): string {
    started = true;
    const message = {
      id: anthropicMessageId(id),
      type: 'message',
      role: 'assistant',
      model: opts.requestedModel,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: encodeUsage(undefined),
    };
    return event('message_start', { message }) + event('ping', {});
  }

  function ensureStarted(): string {
    return started ? '' : messageStart(`${Date.now().toString(36)}`);
  }

  function close(): string {
    if (open === undefined) return '';
    if (open.kind === 'tool') closedTools.add(open.toolIndex);
    open = undefined;
    return event('content_block_stop', { index: nextIndex - 1 });
  }

  function openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    const out = close();
    open = block;
    return out + event('content_block_start', { index: nextIndex++, content_block: contentBlock });
  }

  function delta(d: Record<string, unknown>): string {
    return event('content_block_delta', { index: nextIndex - 1, delta: d });
  }

  function text(t: string): string {
    const head = open?.kind === 'text' ? '' : openBlock({ kind: 'text' }, { type: 'text', text: '' });
    return head + delta({ type: 'text_delta', text: t });
  }

  function thinking(t: string): string {
    const head = open?.kind === 'thinking' && !open.signed ? '' : openBlock({ kind: 'thinking', signed: false }, { type: 'thinking', thinking: '', signature: '' });
    return head + delta({ type: 'thinking_delta', thinking: t });
  }

  function signature(part: Extract<StreamPart, { type: 'reasoning-signature' }>): string {
    if (part.redactedData !== undefined) {
      return openBlock({ kind: 'thinking', signed: true }, { type: 'redacted_thinking', data: part.redactedData }) + close();
    }
    if (part.signature === undefined) return '';
    // A signature seals its thinking block; one arriving on its own still gets a (empty) block to ride in.
    const head = open?.kind === 'thinking' && !open.signed ? '' : openBlock({ kind: 'thinking', signed: false }, { type: 'thinking', thinking: '', signature: '' });
    open = { kind: 'thinking', signed: true };
    return head + delta({ type: 'signature_delta', signature: part.signature });
  }

  function fail(err: GatewayError): string {
    failed = true;
    return ensureStarted() + event('error', encodeAnthropicError(err, opts.requestId));
  }

  function toolDelta(toolIndex: number, args: string): string {
    if (open?.kind === 'tool' && open.toolIndex === toolIndex) return delta({ type: 'input_json_delta', partial_json: args });
    // Anthropic blocks are strictly sequential; arguments for a call whose block is closed cannot be placed.
    const what = closedTools.has(toolIndex) ? 'after its block closed' : 'before its start';
    return fail(new GatewayError('upstream_bad_response', { message: `The upstream streamed arguments for tool call ${toolIndex} ${what}; the Anthropic stream format cannot carry that` }));
  }

  return {
    encode(part: StreamPart): string {
      if (failed) return '';
      if (part.type === 'start') return started ? '' : messageStart(part.id);
      if (part.type === 'usage') {
        usage = part.usage;
        return '';
      }
      if (part.type === 'error') return fail(part.error);
      if (part.choice !== 0) return '';
      const head = ensureStarted();
      switch (part.type) {
        case 'text-delta':
        case 'refusal-delta':
          return part.text === '' ? head : head + text(part.text);
        case 'reasoning-delta':
          return part.text === '' ? head : head + thinking(part.text);
        case 'reasoning-signature':
          return head + signature(part);
        case 'tool-call-start':
          calledTools = true;
          return head + openBlock({ kind: 'tool', toolIndex: part.toolIndex }, { type: 'tool_use', id: part.id, name: part.name, input: {} });
        case 'tool-call-delta':
          return part.argumentsDelta === '' ? head : head + toolDelta(part.toolIndex, part.argumentsDelta);
        case 'finish':
          finish = part.finishReason;
          return head + close();
        case 'logprobs':
          return head;
      }
    },
    end(): string {
      if (failed) return '';
      const stopReason = mapStopReason(finish ?? { unified: 'stop' }, calledTools);
      return (
        ensureStarted() +
        close() +
        event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: encodeUsage(usage) }) +
        event('message_stop', {})
      );
    },
  };
}
