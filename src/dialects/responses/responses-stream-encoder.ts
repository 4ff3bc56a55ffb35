/**
 * Unified stream parts into the Responses API's typed SSE events, each
 * framed with its `event:` name and carrying `type` and `sequence_number`
 * in its data, in the order the official SDK's stream helper accumulates
 * them: output_item.added → content_part.added → deltas → *.done →
 * output_item.done. The encoder also builds the final response (full
 * items, reasoning payload included) for the stored copy; the terminal
 * event is written by the server after that copy is saved.
 */
import type { FinishReason, GatewayError, ReasoningPart, StreamPart, Usage } from '../../spec/index.js';
import { addUsage } from '../../spec/index.js';
import type { DecodedResponses } from './decode-responses-request.js';
import { clientView, responseObject, statusFor, type ResponseIdentity } from './encode-response.js';
import { functionCallItem, messageItem, reasoningItem } from './output-items.js';
import { newItemId } from './response-ids.js';
import type { ItemStatus, OutputItem, ResponseObject } from './response-types.js';

interface OpenReasoning {
  kind: 'reasoning';
  index: number;
  id: string;
  parts: ReasoningPart[];
}
interface OpenMessage {
  kind: 'message';
  index: number;
  id: string;
  text?: { contentIndex: number; value: string };
  refusal?: { contentIndex: number; value: string };
}
interface OpenCall {
  kind: 'call';
  index: number;
  id: string;
  callId: string;
  name: string;
  args: string;
}

export interface ResponsesStreamEncoder {
  /** SSE frames for one part ('' when it shows nothing). `error` parts are the server's to frame (see `failed`). */
  encode(part: StreamPart): string;
  /** Closes open items and returns the final response (full items, for storing) with their closing frames. */
  finish(): { response: ResponseObject; frames: string };
  /** `response.completed` or `response.incomplete`, in the client's view. */
  terminal(response: ResponseObject): string;
  /** An `error` event and `response.failed` with what was produced so far. */
  failed(error: GatewayError): string;
  /** True once `response.created` went out. */
  readonly started: boolean;
}

export function createResponsesStreamEncoder(who: ResponseIdentity, decoded: DecodedResponses): ResponsesStreamEncoder {
  let seq = 0;
  let started = false;
  const output: OutputItem[] = [];
  let reasoning: OpenReasoning | undefined;
  let message: OpenMessage | undefined;
  /** The one function call being streamed, and every call so far by the upstream's tool index. */
  let call: OpenCall | undefined;
  const callsByIndex = new Map<number, OpenCall>();
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  const includeEnc = decoded.includeEncryptedReasoning;
  const summary = decoded.reasoningSummary;

  function frame(type: string, data: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: seq++ })}\n\n`;
  }

  function snapshot(status: ResponseObject['status'], extra: Partial<Parameters<typeof responseObject>[2]> = {}): ResponseObject {
    return responseObject(who, decoded.echo, { status, output: [...output], ...extra });
  }

  function start(): string {
    if (started) return '';
    started = true;
    const r = snapshot('in_progress');
    return frame('response.created', { response: r }) + frame('response.in_progress', { response: r });
  }

  function visible(item: OutputItem): OutputItem {
    if (item.type !== 'reasoning' || includeEnc) return item;
    const { encrypted_content: _hidden, ...rest } = item;
    return rest;
  }

  function added(item: OutputItem): string {
    output.push(item);
    return frame('response.output_item.added', { output_index: output.length - 1, item: visible(item) });
  }

  function openReasoning(): string {
    let out = closeMessage('completed') + closeCalls();
    if (reasoning) return out;
    reasoning = { kind: 'reasoning', index: output.length, id: newItemId('rs'), parts: [] };
    out += added({ id: reasoning.id, type: 'reasoning', summary: [] });
    if (summary) out += frame('response.reasoning_summary_part.added', { item_id: reasoning.id, output_index: reasoning.index, summary_index: 0, part: { type: 'summary_text', text: '' } });
    return out;
  }

  function closeReasoning(): string {
    const r = reasoning;
    if (!r) return '';
    reasoning = undefined;
    const item = reasoningItem(r.id, r.parts, summary);
    output[r.index] = item;
    let out = '';
    if (summary) {
      const text = r.parts.map((p) => p.text).join('');
      out += frame('response.reasoning_summary_text.done', { item_id: r.id, output_index: r.index, summary_index: 0, text });
      out += frame('response.reasoning_summary_part.done', { item_id: r.id, output_index: r.index, summary_index: 0, part: { type: 'summary_text', text } });
    }
    return out + frame('response.output_item.done', { output_index: r.index, item: visible(item) });
  }

  function openMessage(): string {
    const frames = closeReasoning() + closeCalls();
    if (message) return frames;
    message = { kind: 'message', index: output.length, id: newItemId('msg') };
    return frames + added({ id: message.id, type: 'message', status: 'in_progress', role: 'assistant', content: [] });
  }

  function textDelta(text: string): string {
    let out = openMessage();
    const m = message as OpenMessage;
    if (!m.text) {
      m.text = { contentIndex: m.refusal ? 1 : 0, value: '' };
      out += frame('response.content_part.added', { item_id: m.id, output_index: m.index, content_index: m.text.contentIndex, part: { type: 'output_text', text: '', annotations: [] } });
    }
    m.text.value += text;
    return out + frame('response.output_text.delta', { item_id: m.id, output_index: m.index, content_index: m.text.contentIndex, delta: text, logprobs: [] });
  }

  function refusalDelta(text: string): string {
    let out = openMessage();
    const m = message as OpenMessage;
    if (!m.refusal) {
      m.refusal = { contentIndex: m.text ? 1 : 0, value: '' };
      out += frame('response.content_part.added', { item_id: m.id, output_index: m.index, content_index: m.refusal.contentIndex, part: { type: 'refusal', refusal: '' } });
    }
    m.refusal.value += text;
    return out + frame('response.refusal.delta', { item_id: m.id, output_index: m.index, content_index: m.refusal.contentIndex, delta: text });
  }

  function closeMessage(status: ItemStatus): string {
    const m = message;
    if (!m) return '';
    message = undefined;
    let out = '';
    const base = { item_id: m.id, output_index: m.index };
    const parts = [m.text, m.refusal].filter((p) => p !== undefined).sort((a, b) => a.contentIndex - b.contentIndex);
    for (const p of parts) {
      if (p === m.text) {
        out += frame('response.output_text.done', { ...base, content_index: p.contentIndex, text: p.value, logprobs: [] });
        out += frame('response.content_part.done', { ...base, content_index: p.contentIndex, part: { type: 'output_text', text: p.value, annotations: [] } });
      } else {
        out += frame('response.refusal.done', { ...base, content_index: p.contentIndex, refusal: p.value });
        out += frame('response.content_part.done', { ...base, content_index: p.contentIndex, part: { type: 'refusal', refusal: p.value } });
      }
    }
    const item = messageItem(m.id, m.text?.value ?? '', m.refusal?.value, status);
    if (m.refusal && m.text && m.refusal.contentIndex < m.text.contentIndex) item.content.reverse();
    output[m.index] = item;
    return out + frame('response.output_item.done', { output_index: m.index, item });
  }

  function closeCalls(status: ItemStatus = 'completed'): string {
    const c = call;
    if (!c) return '';
    call = undefined;
    const item = functionCallItem(c.id, c.callId, c.name, c.args, status, decoded.toolNames);
    output[c.index] = item;
    return (
      frame('response.function_call_arguments.done', { item_id: c.id, output_index: c.index, name: item.name, arguments: c.args }) +
      frame('response.output_item.done', { output_index: c.index, item })
    );
  }

  function encode(part: StreamPart): string {
    let out = start();
    if ('choice' in part && part.choice !== 0) return out;
    switch (part.type) {
      case 'reasoning-delta': {
        out += openReasoning();
        const r = reasoning as OpenReasoning;
        const last = r.parts[r.parts.length - 1];
        if (last && last.signature === undefined && last.redactedData === undefined) last.text += part.text;
        else r.parts.push({ type: 'reasoning', text: part.text });
        if (summary) out += frame('response.reasoning_summary_text.delta', { item_id: r.id, output_index: r.index, summary_index: 0, delta: part.text });
        return out;
      }
      case 'reasoning-signature': {
        out += openReasoning();
        const r = reasoning as OpenReasoning;
        const last = r.parts[r.parts.length - 1];
        if (part.redactedData !== undefined) r.parts.push({ type: 'reasoning', text: '', redactedData: part.redactedData });
        else if (last && last.signature === undefined && last.redactedData === undefined) last.signature = part.signature ?? '';
        else r.parts.push({ type: 'reasoning', text: '', signature: part.signature ?? '' });
        return out;
      }
      case 'text-delta':
        return out + textDelta(part.text);
      case 'refusal-delta':
        return out + refusalDelta(part.text);
      case 'tool-call-start': {
        // One item at a time, as OpenAI streams them: upstreams send tool calls one after another.
        out += closeReasoning() + closeMessage('completed') + closeCalls();
        call = { kind: 'call', index: output.length, id: newItemId('fc'), callId: part.id, name: part.name, args: '' };
        callsByIndex.set(part.toolIndex, call);
        return out + added(functionCallItem(call.id, call.callId, call.name, '', 'in_progress', decoded.toolNames));
      }
      case 'tool-call-delta': {
        const c = callsByIndex.get(part.toolIndex);
        if (!c) return out;
        c.args += part.argumentsDelta;
        if (c === call) return out + frame('response.function_call_arguments.delta', { item_id: c.id, output_index: c.index, delta: part.argumentsDelta });
        // A late delta for a call already done (an upstream interleaving calls): no event can carry it any
        // more, but the stored copy and the terminal response get the whole arguments.
        const done = output[c.index];
        if (done?.type === 'function_call') done.arguments = c.args;
        return out;
      }
      case 'finish':
        finishReason = part.finishReason;
        return out;
      case 'usage':
        usage = usage ? addUsage(usage, part.usage) : part.usage;
        return out;
      default:
        return out;
    }
  }

  return {
    encode,
    get started() {
      return started;
    },
    finish() {
      const { status, incomplete } = statusFor(finishReason);
      const itemStatus: ItemStatus = status === 'incomplete' ? 'incomplete' : 'completed';
      const frames = start() + closeReasoning() + closeMessage(itemStatus) + closeCalls(itemStatus);
      const response = responseObject(who, decoded.echo, { status, output: [...output], incomplete, ...(usage ? { usage } : {}) });
      return { response, frames };
    },
    terminal(response) {
      const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
      return frame(type, { response: clientView(response, includeEnc) });
    },
    failed(error) {
      const head = start();
      const err = frame('error', { code: error.clientCode, message: error.message, param: error.param });
      const r = clientView(snapshot('failed', { error, ...(usage ? { usage } : {}) }), includeEnc);
      return head + err + frame('response.failed', { response: r });
    },
  };
}
