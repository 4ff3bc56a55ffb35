/**
 * Unified stream parts → `:streamGenerateContent` chunks, each a whole
 * GenerateContentResponse carrying only the new parts, as Gemini streams:
 * text and thoughts as they arrive; a function call whole (Gemini never
 * streams arguments), sent when its choice finishes; the finish reasons and
 * usage in a last chunk. Framing (SSE or a JSON array) is the caller's.
 */
import type { FinishReason, StreamPart, Usage } from '../../spec/index.js';
import { encodeGeminiError } from './encode-error.js';
import { encodeLogprobs } from './encode-response.js';
import { functionCall } from './encode-parts.js';
import { encodeUsage } from './encode-usage.js';
import type { GeminiCandidateOut, GeminiPart, GenerateContentResponseOut } from './gemini-wire.js';
import { mapFinishReason } from './map-finish-reason.js';

export interface GeminiStreamEncoder {
  /** Chunks for one part (often none). An `error` part yields Google's error object. */
  encode(part: StreamPart): (GenerateContentResponseOut | { error: unknown })[];
  /** The closing chunk: finish reasons and usage. */
  end(): GenerateContentResponseOut[];
}

interface ChoiceState {
  calls: Map<number, { id: string; name: string; args: string }>;
  pendingSignature?: string;
  finish?: FinishReason;
}

export function createGeminiStreamEncoder(opts: { includeThoughts: boolean; requestedModel: string; warn(m: string): void }): GeminiStreamEncoder {
  let responseId = '';
  let modelVersion = opts.requestedModel;
  let usage: Usage | undefined;
  const choices = new Map<number, ChoiceState>();

  const stateOf = (choice: number): ChoiceState => {
    let s = choices.get(choice);
    if (!s) choices.set(choice, (s = { calls: new Map() }));
    return s;
  };
  const chunk = (candidates: GeminiCandidateOut[]): GenerateContentResponseOut => ({ candidates, modelVersion, responseId });
  const withSignature = (s: ChoiceState, part: GeminiPart): GeminiPart => {
    if (s.pendingSignature !== undefined) part.thoughtSignature = s.pendingSignature;
    s.pendingSignature = undefined;
    return part;
  };
  const partsChunk = (choice: number, parts: GeminiPart[]): GenerateContentResponseOut => chunk([{ content: { role: 'model', parts }, index: choice }]);

  /** The calls a choice collected, as one chunk (sent once its arguments are complete). */
  const flushCalls = (choice: number, s: ChoiceState): GenerateContentResponseOut[] => {
    if (s.calls.size === 0) return [];
    const parts = [...s.calls.values()].map((c) => withSignature(s, { functionCall: functionCall(c.id, c.name, c.args, opts.warn) }));
    s.calls.clear();
    return [partsChunk(choice, parts)];
  };

  return {
    encode(part) {
      switch (part.type) {
        case 'start':
          responseId = part.id;
          if (part.model) modelVersion = part.model;
          return [];
        case 'text-delta':
        case 'refusal-delta':
          return part.text === '' ? [] : [partsChunk(part.choice, [withSignature(stateOf(part.choice), { text: part.text })])];
        case 'reasoning-delta':
          return part.text !== '' && opts.includeThoughts ? [partsChunk(part.choice, [{ text: part.text, thought: true }])] : [];
        case 'reasoning-signature':
          if (part.signature !== undefined) stateOf(part.choice).pendingSignature = part.signature;
          return [];
        case 'tool-call-start':
          stateOf(part.choice).calls.set(part.toolIndex, { id: part.id, name: part.name, args: '' });
          return [];
        case 'tool-call-delta': {
          const call = stateOf(part.choice).calls.get(part.toolIndex);
          if (call) call.args += part.argumentsDelta;
          return [];
        }
        case 'logprobs':
          return [chunk([{ index: part.choice, logprobsResult: encodeLogprobs(part.content) }])];
        case 'finish': {
          const s = stateOf(part.choice);
          s.finish = part.finishReason;
          return flushCalls(part.choice, s);
        }
        case 'usage':
          usage = part.usage;
          return [];
        case 'error':
          return [encodeGeminiError(part.error)];
      }
    },
    end() {
      const out: GenerateContentResponseOut[] = [];
      for (const [choice, s] of choices) out.push(...flushCalls(choice, s));
      if (choices.size === 0) choices.set(0, { calls: new Map() });
      // Gemini's last chunk carries the finish reason beside a (possibly empty) text part, then usage.
      const candidates = [...choices.entries()].map(([index, s]): GeminiCandidateOut => ({
        content: { role: 'model', parts: [withSignature(s, { text: '' })] },
        finishReason: mapFinishReason(s.finish ?? { unified: 'stop' }),
        index,
      }));
      out.push({ ...chunk(candidates), usageMetadata: encodeUsage(usage) });
      return out;
    },
  };
}
