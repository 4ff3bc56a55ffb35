import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { Transform, type TransformCallback } from 'node:stream';
import type { GatewayError, Usage } from '../../spec/index.js';
import type { AnthropicUsage } from './anthropic-wire.js';
import { convertUsage, mergeUsage } from './convert-usage.js';
import { mapAnthropicStreamError } from './map-anthropic-error.js';

export interface TapResult {
  usage?: Usage;
  model?: string;
  firstByteAt?: number;
  /** An in-band `error` event, or a stream that ended before `message_stop`. */
  error?: GatewayError;
  sawStop: boolean;
}

/**
 * The relay's tap on an Anthropic stream. Bytes pass through untouched (the
 * very chunks received); alongside, events are split by the SSE parser and
 * only the few that matter to accounting — `message_start`, `message_delta`,
 * `message_stop`, `error` — are JSON-parsed. Content deltas never are.
 */
export class SseUsageTap extends Transform {
  readonly result: TapResult = { sawStop: false };
  private usage: AnthropicUsage | undefined;
  private readonly parser: EventSourceParser;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly provider: string,
    private readonly onFirstByte: () => void,
  ) {
    super();
    this.parser = createParser({ onEvent: (e) => this.onEvent(e) });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.result.firstByteAt === undefined) {
      this.result.firstByteAt = Date.now();
      this.onFirstByte();
    }
    this.parser.feed(this.decoder.decode(chunk, { stream: true }));
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.parser.feed(this.decoder.decode());
    this.parser.feed('\n\n');
    cb();
  }

  private onEvent(e: EventSourceMessage): void {
    switch (e.event) {
      case 'message_start': {
        const data = parse(e.data) as { message?: { model?: unknown; usage?: AnthropicUsage } } | undefined;
        if (typeof data?.message?.model === 'string') this.result.model = data.message.model;
        this.addUsage(data?.message?.usage);
        break;
      }
      case 'message_delta':
        this.addUsage((parse(e.data) as { usage?: AnthropicUsage } | undefined)?.usage);
        break;
      case 'message_stop':
        this.result.sawStop = true;
        break;
      case 'error':
        this.result.error ??= mapAnthropicStreamError(e.data, this.provider);
        break;
      default:
        break;
    }
  }

  private addUsage(u: AnthropicUsage | undefined): void {
    if (u === undefined || u === null) return;
    // message_delta totals are cumulative: later values overwrite, never add.
    this.usage = mergeUsage(this.usage ?? {}, u);
    this.result.usage = convertUsage(this.usage);
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
