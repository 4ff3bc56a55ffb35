/**
 * Unified stream parts into OpenAI `chat.completion.chunk` SSE events.
 *
 * Hot path: every token passes through here. The fixed chunk header
 * (id, object, created, model) is serialised once at `start`, and text
 * deltas are framed by hand around one JSON.stringify of the text.
 */
import type { StreamPart, Usage } from '../../spec/index.js';
import { encodeError } from './encode-error.js';
import { encodeLogprobs } from './encode-logprobs.js';
import { encodeUsage } from './encode-usage.js';
import { mapFinishReason } from './map-finish-reason.js';

export interface ChatStreamEncoder {
  /** SSE text for one part: '' when the part shows nothing, or one or more `data:` events. */
  encode(part: StreamPart): string;
  /** Flushes anything held back, then `data: [DONE]`. */
  end(): string;
}

const DONE = 'data: [DONE]\n\n';

export function createChatStreamEncoder(opts: { includeUsage: boolean }): ChatStreamEncoder {
  let head: string | undefined;
  /** Per choice: 0 not yet seen, 1 streaming, 2 finished. */
  const state: number[] = [];
  let open = 0;
  let finishedAny = false;
  let pendingUsage: Usage | undefined;
  // OpenAI sends `usage: null` on every content chunk only when the client asked for usage.
  const tail = opts.includeUsage ? ',"usage":null}\n\n' : '}\n\n';

  function header(): string {
    // A protocol should always send `start`; a stable fallback keeps the stream valid if one does not.
    head ??= makeHeader({ id: `chatcmpl-${Date.now().toString(36)}`, model: '', created: Math.floor(Date.now() / 1000) });
    return head;
  }

  /** The delta prefix for a choice: the first chunk of each choice names the role. */
  function roleIfFirst(choice: number): string {
    if (state[choice]) return '';
    state[choice] = 1;
    open++;
    return '"role":"assistant",';
  }

  function chunk(choice: number, deltaBody: string, finish: string | null, logprobs: string): string {
    const role = roleIfFirst(choice);
    const delta = deltaBody === '' && role !== '' ? role.slice(0, -1) : role + deltaBody;
    const fin = finish === null ? 'null' : `"${finish}"`;
    return `${header()}"choices":[{"index":${choice},"delta":{${delta}},"logprobs":${logprobs},"finish_reason":${fin}}]${tail}`;
  }

  function usageChunk(u: Usage): string {
    return `${header()}"choices":[],"usage":${JSON.stringify(encodeUsage(u))}}\n\n`;
  }

  return {
    encode(part: StreamPart): string {
      switch (part.type) {
        case 'start':
          head ??= makeHeader(part);
          return '';
        case 'text-delta':
          return chunk(part.choice, `"content":${JSON.stringify(part.text)}`, null, 'null');
        case 'reasoning-delta':
          return chunk(part.choice, `"reasoning_content":${JSON.stringify(part.text)}`, null, 'null');
        case 'refusal-delta':
          return chunk(part.choice, `"refusal":${JSON.stringify(part.text)}`, null, 'null');
        case 'reasoning-signature': {
          // LiteLLM's streamed `thinking_blocks`: the signature the client must send back next turn.
          const block =
            part.redactedData !== undefined
              ? { type: 'redacted_thinking', data: part.redactedData }
              : { type: 'thinking', thinking: '', signature: part.signature ?? '' };
          return chunk(part.choice, `"thinking_blocks":${JSON.stringify([block])}`, null, 'null');
        }
        case 'tool-call-start': {
          const call = { index: part.toolIndex, id: part.id, type: 'function', function: { name: part.name, arguments: '' } };
          return chunk(part.choice, `"tool_calls":${JSON.stringify([call])}`, null, 'null');
        }
        case 'tool-call-delta':
          return chunk(
            part.choice,
            `"tool_calls":[{"index":${part.toolIndex},"function":{"arguments":${JSON.stringify(part.argumentsDelta)}}}]`,
            null,
            'null',
          );
        case 'logprobs':
          return chunk(part.choice, '', null, JSON.stringify(encodeLogprobs(part.content)));
        case 'finish': {
          const out = chunk(part.choice, '', mapFinishReason(part.finishReason), 'null');
          if (state[part.choice] === 1) {
            state[part.choice] = 2;
            open--;
          }
          finishedAny = true;
          if (open === 0 && pendingUsage) {
            const u = pendingUsage;
            pendingUsage = undefined;
            return out + usageChunk(u);
          }
          return out;
        }
        case 'usage':
          if (!opts.includeUsage) return '';
          // OpenAI sends usage after every choice's finish chunk; hold it back until then.
          if (finishedAny && open === 0) return usageChunk(part.usage);
          pendingUsage = part.usage;
          return '';
        case 'error':
          return `data: ${JSON.stringify(encodeError(part.error))}\n\n`;
      }
    },
    end(): string {
      if (!pendingUsage) return DONE;
      const u = pendingUsage;
      pendingUsage = undefined;
      return usageChunk(u) + DONE;
    },
  };
}

/** `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,` — everything before `choices`. */
function makeHeader(s: { id: string; model: string; created: number; systemFingerprint?: string; serviceTier?: string }): string {
  const h: Record<string, unknown> = { id: s.id, object: 'chat.completion.chunk', created: s.created, model: s.model };
  if (s.systemFingerprint !== undefined) h['system_fingerprint'] = s.systemFingerprint;
  if (s.serviceTier !== undefined) h['service_tier'] = s.serviceTier;
  return `data: ${JSON.stringify(h).slice(0, -1)},`;
}
