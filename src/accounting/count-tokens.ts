/**
 * Token counts when the upstream reports none (or the client hung up
 * mid-stream), plus a fast estimate for reservations.
 *
 * The tiktoken tables are megabytes of JS and take ~1 s of CPU to build, so
 * they load lazily, once, and only when a request actually lacks upstream
 * usage (or at start via preloadTokenizers()). Loading is synchronous on
 * purpose: the finaliser that needs the count is synchronous, and the cost is
 * paid once per process, never by requests that carry upstream usage.
 */
import { createRequire } from 'node:module';
import type { Tiktoken } from 'js-tiktoken/lite';
import type { ChatRequest, Message } from '../spec/index.js';

export type EncodingName = 'o200k_base' | 'cl100k_base';

const require = createRequire(import.meta.url);
const encoders = new Map<EncodingName, Tiktoken>();

/**
 * cl100k_base for the GPT-3.5/GPT-4 (not 4o) generation and the older
 * embedding models; o200k_base for everything else, including models that
 * are not OpenAI's: any BPE is only an approximation for them and o200k's
 * larger vocabulary is the closer one for current models.
 */
export function encodingForModel(model: string | undefined): EncodingName {
  const m = (model ?? '').toLowerCase().replace(/^.*\//, '');
  if (/^(gpt-3\.5|gpt-35|gpt-4(?![o.])|text-embedding-(ada|3)|text-davinci|code-davinci)/.test(m)) return 'cl100k_base';
  return 'o200k_base';
}

function encoder(name: EncodingName): Tiktoken {
  let enc = encoders.get(name);
  if (!enc) {
    const { Tiktoken: Ctor } = require('js-tiktoken/lite') as typeof import('js-tiktoken/lite');
    const ranks = require(`js-tiktoken/ranks/${name}`) as ConstructorParameters<typeof Tiktoken>[0];
    enc = new Ctor(ranks);
    encoders.set(name, enc);
  }
  return enc;
}

export function isTokenizerLoaded(name: EncodingName): boolean {
  return encoders.has(name);
}

/** Builds the encoders off the request path (call at start when some upstreams send no usage). */
export async function preloadTokenizers(names: EncodingName[] = ['o200k_base']): Promise<void> {
  for (const n of names) {
    await new Promise<void>((r) => setImmediate(r));
    encoder(n);
  }
}

/** Exact BPE token count of a text; special-token text is counted as plain text, never rejected. */
export function countTextTokens(text: string, model?: string): number {
  if (!text) return 0;
  return encoder(encodingForModel(model)).encode(text, [], []).length;
}

// OpenAI's published chat accounting: ~3 tokens of framing per message and 3 to prime the reply.
const PER_MESSAGE_TOKENS = 3;
const REPLY_PRIMING_TOKENS = 3;
/** Rough flat sizes for non-text parts, used by both count and estimate (a 1024² image is ~765 tokens at OpenAI). */
const IMAGE_TOKENS = 1000;
const AUDIO_TOKENS = 1000;
const FILE_TOKENS = 2000;

function messageText(m: Message): { text: string; flatTokens: number } {
  let text = m.role === 'tool' ? '' : (m as { name?: string }).name ?? '';
  let flatTokens = 0;
  for (const part of m.content) {
    switch (part.type) {
      case 'text':
        text += part.text;
        break;
      case 'reasoning':
        text += part.text;
        break;
      case 'tool-call':
        text += part.name + part.arguments;
        break;
      case 'image':
        flatTokens += IMAGE_TOKENS;
        break;
      case 'audio':
        flatTokens += AUDIO_TOKENS;
        break;
      case 'file':
        flatTokens += FILE_TOKENS;
        break;
    }
  }
  return { text, flatTokens };
}

function toolsText(request: ChatRequest): string {
  if (!request.tools?.length) return '';
  return request.tools.map((t) => t.name + (t.description ?? '') + (t.parameters ? JSON.stringify(t.parameters) : '')).join('');
}

/** Prompt tokens of a chat request counted with the model's BPE (fallback when the upstream reports no usage). */
export function countPromptTokens(request: ChatRequest): number {
  let total = REPLY_PRIMING_TOKENS + countTextTokens(toolsText(request), request.model);
  for (const m of request.messages) {
    const { text, flatTokens } = messageText(m);
    total += PER_MESSAGE_TOKENS + flatTokens + countTextTokens(text, request.model);
  }
  return total;
}

/**
 * Fast prompt-size estimate (~4 characters per token, no tokenizer): for
 * reservations and context-window checks on the hot path. Errs high for
 * code and CJK-light text, low for CJK-heavy text; reservations tolerate it
 * because settlement uses the real figure.
 */
export function estimateInputTokens(request: ChatRequest): number {
  let chars = toolsText(request).length;
  let flat = REPLY_PRIMING_TOKENS;
  for (const m of request.messages) {
    const { text, flatTokens } = messageText(m);
    chars += text.length;
    flat += PER_MESSAGE_TOKENS + flatTokens;
  }
  return flat + Math.ceil(chars / 4);
}

/**
 * The same counts as countPromptTokens/countTextTokens, computed in the
 * token-counter worker so the event loop never builds tiktoken tables.
 */
export async function countTokensOffThread(
  counter: { count(items: { text: string; encoding: EncodingName }[]): Promise<number[]> },
  prompt: ChatRequest | string | undefined,
  completion: string,
  model: string | undefined,
): Promise<{ promptTokens: number | undefined; completionTokens: number }> {
  const encoding = encodingForModel(model ?? (typeof prompt === 'object' ? prompt.model : undefined));
  const items = [{ text: completion, encoding }];
  let flat = 0;
  if (typeof prompt === 'string') items.push({ text: prompt, encoding });
  else if (prompt !== undefined) {
    flat = REPLY_PRIMING_TOKENS;
    let text = toolsText(prompt);
    for (const m of prompt.messages) {
      const part = messageText(m);
      flat += PER_MESSAGE_TOKENS + part.flatTokens;
      text += part.text;
    }
    items.push({ text, encoding });
  }
  const [completionTokens = 0, promptTokens] = await counter.count(items);
  return { promptTokens: promptTokens === undefined ? undefined : promptTokens + flat, completionTokens };
}
