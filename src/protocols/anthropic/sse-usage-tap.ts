import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { Transform, type TransformCallback } from 'node:stream';
import type { GatewayError, Usage } from '../../spec/index.js';
import { redactError, type Redactor } from '../http/index.js';
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
 * With a redactor, bytes are passed on in whole events, so an in-band
 * `error` event that echoes the credential is scrubbed before it leaves.
 */
export class SseUsageTap extends Transform {
  readonly result: TapResult = { sawStop: false };
  private usage: AnthropicUsage | undefined;
  private readonly parser: EventSourceParser;
  private readonly decoder = new TextDecoder();

  /** Bytes after the last blank line, held until their event is complete (redacting taps only). */
  private carry: Buffer | null = null;
  private errorSeen = false;

  constructor(
    private readonly provider: string,
    private readonly onFirstByte: () => void,
    private readonly redact?: Redactor,
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
    if (this.redact === undefined) return cb(null, chunk);
    const buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    const end = Math.max(endAfter(buf, LF_LF), endAfter(buf, LF_CRLF));
    this.carry = end === buf.length ? null : buf.subarray(Math.max(end, 0));
    cb(null, end <= 0 ? undefined : this.scrubbed(buf.subarray(0, end)));
  }

  override _flush(cb: TransformCallback): void {
    this.parser.feed(this.decoder.decode());
    this.parser.feed('\n\n');
    const rest = this.carry;
    this.carry = null;
    cb(null, rest === null || rest.length === 0 ? undefined : this.scrubbed(rest));
  }

  /** Whole events out; rewritten only when an error event was among them. */
  private scrubbed(events: Buffer): Buffer {
    if (!this.errorSeen || this.redact === undefined) return events;
    this.errorSeen = false;
    const text = events.toString('utf8');
    const clean = this.redact(text);
    return clean === text ? events : Buffer.from(clean);
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
        this.errorSeen = true;
        this.result.error ??= this.redact ? redactError(mapAnthropicStreamError(e.data, this.provider), this.redact) : mapAnthropicStreamError(e.data, this.provider);
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

const LF_LF = Buffer.from('\n\n');
const LF_CRLF = Buffer.from('\n\r\n');

/** Offset just past the last occurrence of `sep` (an event boundary), or -1. */
function endAfter(buf: Buffer, sep: Buffer): number {
  const i = buf.lastIndexOf(sep);
  return i === -1 ? -1 : i + sep.length;
}
