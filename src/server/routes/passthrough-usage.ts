import { createParser, type EventSourceParser } from 'eventsource-parser';
import { convertUsage as anthropicUsage, mergeUsage } from '../../protocols/anthropic/convert-usage.js';
import type { AnthropicUsage } from '../../protocols/anthropic/anthropic-wire.js';
import { convertUsage as converseUsage } from '../../protocols/bedrock/convert-usage.js';
import { convertUsage as cohereUsage } from '../../protocols/cohere/convert-usage.js';
import { mapGeminiUsage } from '../../protocols/gemini/map-gemini-usage.js';
import { decodeUsage } from '../../protocols/openai/index.js';
import type { Usage } from '../../spec/index.js';

/** Which usage vocabulary a pass-through answer speaks. */
export type UsageFamily = 'openai' | 'anthropic' | 'gemini' | 'cohere' | 'bedrock';

/** Largest JSON answer read whole for its usage; bigger ones (files, batches) pass unread. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

type Json = Record<string, unknown>;

/**
 * Reads what accounting needs from a pass-through answer while its bytes go
 * to the client untouched: SSE events are split and only those mentioning
 * usage are parsed; a JSON answer is parsed once at the end. Usage shapes
 * are the protocols' own converters, so a pass-through call is priced the
 * way the translated call would be.
 */
export class PassthroughUsageTap {
  private usage: Usage | undefined;
  private anthropic: AnthropicUsage | undefined;
  private model: string | undefined;
  private readonly parser: EventSourceParser | undefined;
  private readonly decoder = new TextDecoder();
  private json: Buffer[] | undefined;
  private jsonBytes = 0;

  constructor(private readonly families: readonly UsageFamily[], contentType: string) {
    if (contentType.includes('text/event-stream')) this.parser = createParser({ onEvent: (e) => this.event(e.data) });
    else if (contentType.includes('json')) this.json = [];
  }

  observe(chunk: Buffer): void {
    if (this.parser) this.parser.feed(this.decoder.decode(chunk, { stream: true }));
    else if (this.json) {
      this.jsonBytes += chunk.length;
      if (this.jsonBytes > MAX_JSON_BYTES) this.json = undefined;
      else this.json.push(chunk);
    }
  }

  finish(): { usage?: Usage; model?: string } {
    if (this.parser) {
      this.parser.feed(this.decoder.decode());
      this.parser.feed('\n\n');
    } else if (this.json) {
      const parsed = parse(Buffer.concat(this.json).toString('utf8'));
      // Gemini's non-SSE stream is a JSON array of responses.
      for (const item of Array.isArray(parsed) ? parsed : [parsed]) if (isRecord(item)) this.inspect(item);
    }
    const usage = this.anthropic ? anthropicUsage(this.anthropic) : this.usage;
    return { ...(usage ? { usage } : {}), ...(this.model ? { model: this.model } : {}) };
  }

  private event(data: string): void {
    // Content deltas are never parsed: only events that can carry usage or the model name.
    if (!data.includes('sage') && !data.includes('"model')) return;
    const parsed = parse(data);
    if (isRecord(parsed)) this.inspect(parsed);
  }

  private inspect(o: Json): void {
    const model = str(o['model']) ?? str(o['modelVersion']) ?? (isRecord(o['message']) ? str(o['message']['model']) : undefined) ?? (isRecord(o['response']) ? str(o['response']['model']) : undefined);
    if (model !== undefined) this.model ??= model;
    for (const family of this.families) {
      const found = this.usageOf(family, o);
      if (found) {
        this.usage = found;
        return;
      }
    }
  }

  private usageOf(family: UsageFamily, o: Json): Usage | undefined {
    switch (family) {
      case 'openai': {
        // Chat completions (`usage.prompt_tokens`), or the Responses API (`usage.input_tokens`, also inside `response`).
        const u = isRecord(o['usage']) ? o['usage'] : isRecord(o['response']) && isRecord(o['response']['usage']) ? o['response']['usage'] : undefined;
        if (!u) return undefined;
        if (typeof u['prompt_tokens'] === 'number') return decodeUsage(u);
        if (typeof u['input_tokens'] !== 'number') return undefined;
        const input = u['input_tokens'];
        const output = num(u['output_tokens']);
        const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: num(u['total_tokens']) || input + output };
        const cached = isRecord(u['input_tokens_details']) ? u['input_tokens_details']['cached_tokens'] : undefined;
        if (typeof cached === 'number') usage.cacheReadTokens = cached;
        const reasoning = isRecord(u['output_tokens_details']) ? u['output_tokens_details']['reasoning_tokens'] : undefined;
        if (typeof reasoning === 'number') usage.reasoningTokens = reasoning;
        return usage;
      }
      case 'anthropic': {
        // message_start carries the input side, message_delta cumulative totals: merged, never added.
        const u = isRecord(o['message']) && isRecord(o['message']['usage']) ? o['message']['usage'] : o['usage'];
        if (!isRecord(u) || (typeof u['input_tokens'] !== 'number' && typeof u['output_tokens'] !== 'number')) return undefined;
        this.anthropic = mergeUsage(this.anthropic ?? {}, u as AnthropicUsage);
        return anthropicUsage(this.anthropic);
      }
      case 'gemini':
        return isRecord(o['usageMetadata']) ? mapGeminiUsage(o['usageMetadata']) : undefined;
      case 'cohere': {
        const u = isRecord(o['usage']) ? o['usage'] : isRecord(o['delta']) && isRecord(o['delta']['usage']) ? o['delta']['usage'] : isRecord(o['meta']) ? o['meta'] : undefined;
        return u && (isRecord(u['billed_units']) || isRecord(u['tokens'])) ? cohereUsage(u) : undefined;
      }
      case 'bedrock':
        return isRecord(o['usage']) && typeof o['usage']['inputTokens'] === 'number' ? converseUsage(o['usage']) : undefined;
    }
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
