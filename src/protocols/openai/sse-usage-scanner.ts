import type { GatewayError, Usage } from '../../spec/index.js';
import { redactError, type Redactor } from '../http/index.js';
import { decodeUsage } from './decode-usage.js';
import { streamError } from './map-openai-error.js';
import { peekString } from './json-peek.js';
import { isRecord, type OpenAIUsage } from './wire-types.js';

export interface ScanResult {
  usage?: Usage;
  model?: string;
  firstByteAt?: number;
  error?: GatewayError;
}

/**
 * Usage objects as compact (`"usage":{`, Node/Go/Rust servers) and as
 * Python's json.dumps writes them (`"usage": {`); the object form skips the
 * `"usage":null` every chunk of an include_usage stream carries.
 */
const USAGE_OBJECT = [Buffer.from('"usage":{'), Buffer.from('"usage": {')];
const MODEL = Buffer.from('"model"');
const ERROR = Buffer.from('"error"');
const LF_LF = Buffer.from('\n\n');
const LF_CRLF = Buffer.from('\n\r\n');

/**
 * The relay's stream tap. Passes SSE bytes on untouched (whole events,
 * usually the very chunk received) and looks inside only the few events
 * whose bytes contain `"usage": {`, `"error"` or, once, `"model"`: content
 * chunks are never JSON-parsed. When `strip` is set it removes the usage-only
 * chunk (`choices: []`) that the gateway, not the client, asked for.
 */
export class SseUsageScanner {
  readonly result: ScanResult = {};
  private carry: Buffer | null = null;
  /** Event separator, `\n\n` or `\n\r\n` (CRLF streams), once seen. */
  private sep: Buffer | null = null;
  /** Raw events kept only until usage shows up, for local token counting. */
  private raw: Buffer[] | null = [];

  constructor(
    private readonly strip: boolean,
    private readonly provider: string,
    /** Scrubs the target's credential out of in-band error events (providers echo it) before they are passed on. */
    private readonly redact?: Redactor,
  ) {}

  /** Bytes to pass on for this chunk (whole events only), or null to wait for more. */
  feed(chunk: Buffer): Buffer | null {
    if (this.result.firstByteAt === undefined) this.result.firstByteAt = Date.now();
    const buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    const end = this.lastEventEnd(buf);
    if (end === -1) {
      this.carry = buf;
      return null;
    }
    this.carry = end === buf.length ? null : buf.subarray(end);
    const out = this.inspect(end === buf.length ? buf : buf.subarray(0, end));
    return out.length > 0 ? out : null;
  }

  /** Whatever followed the last blank line (a final event without one). */
  end(): Buffer | null {
    const rest = this.carry;
    this.carry = null;
    if (rest === null || rest.length === 0) return null;
    const out = this.inspect(rest);
    return out.length > 0 ? out : null;
  }

  /** The stream's text (content, reasoning, tool arguments), when no usage arrived. */
  completionText(): string | undefined {
    if (this.raw === null || this.result.usage !== undefined) return undefined;
    return extractText(Buffer.concat(this.raw).toString('utf8'));
  }

  /** Offset just past the last blank line (event boundary), or -1. Learns the stream's line ending from the first one. */
  private lastEventEnd(buf: Buffer): number {
    if (this.sep === null) {
      const a = buf.lastIndexOf(LF_LF);
      const b = buf.lastIndexOf(LF_CRLF);
      if (a === -1 && b === -1) return -1;
      this.sep = a === -1 ? LF_CRLF : LF_LF;
      return Math.max(a === -1 ? -1 : a + 2, b === -1 ? -1 : b + 3);
    }
    const i = buf.lastIndexOf(this.sep);
    return i === -1 ? -1 : i + this.sep.length;
  }

  /** [start, end) of the SSE event containing offset i, blank line included. */
  private eventBounds(buf: Buffer, i: number): [number, number] {
    const sep = this.sep ?? LF_LF;
    const a = buf.lastIndexOf(sep, i);
    const b = buf.indexOf(sep, i);
    return [a === -1 ? 0 : a + sep.length, b === -1 ? buf.length : b + sep.length];
  }

  private inspect(region: Buffer): Buffer {
    if (this.raw !== null) this.raw.push(region);
    if (this.result.model === undefined) this.result.model = peekString(region, MODEL);
    /** Byte ranges to replace: the usage chunk we added (with nothing) and error events (scrubbed). */
    let cuts: [number, number, Buffer?][] | undefined;
    // Searched from the end: usage comes in the stream's last chunk (or, with
    // continuous usage stats, in every chunk, the last one the total), so it
    // is found in a few bytes; a forward scan of a 6 KB region cost ~3 µs a needle.
    let usageAt = -1;
    for (const needle of USAGE_OBJECT) {
      usageAt = region.lastIndexOf(needle);
      if (usageAt !== -1) break;
    }
    if (usageAt !== -1) {
      const [s, e] = this.eventBounds(region, usageAt);
      const obj = parseEvent(region.subarray(s, e));
      const u = obj === undefined ? undefined : decodeUsage(obj.usage as OpenAIUsage | null);
      if (obj !== undefined && u !== undefined) {
        this.result.usage = u;
        this.raw = null;
        if (typeof obj.model === 'string') this.result.model = obj.model;
        if (this.strip && Array.isArray(obj.choices) && obj.choices.length === 0) (cuts ??= []).push([s, e]);
      }
    }
    // A stream that fails sends an error event instead of its usage; one that reached its usage has no error to find.
    if (this.result.usage === undefined) {
      for (let i = region.indexOf(ERROR); i !== -1; ) {
        const [s, e] = this.eventBounds(region, i);
        const obj = parseEvent(region.subarray(s, e));
        if (obj !== undefined && obj.error !== undefined && obj.error !== null && !Array.isArray(obj.choices)) {
          this.result.error = streamError(this.provider, obj);
          if (this.redact) {
            redactError(this.result.error, this.redact);
            const raw = region.subarray(s, e).toString('utf8');
            const clean = this.redact(raw);
            if (clean !== raw) (cuts ??= []).push([s, e, Buffer.from(clean)]);
          }
        }
        i = region.indexOf(ERROR, e);
      }
    }
    if (cuts === undefined) return region;
    const keep: Buffer[] = [];
    let at = 0;
    for (const [s, e, replacement] of cuts.sort((a, b) => a[0] - b[0])) {
      keep.push(region.subarray(at, s));
      if (replacement) keep.push(replacement);
      at = e;
    }
    keep.push(region.subarray(at));
    return Buffer.concat(keep);
  }
}

function parseEvent(ev: Buffer): Record<string, unknown> | undefined {
  const text = ev.toString('utf8');
  let data: string;
  // The usual event is one `data: {...}` line: no splitting needed.
  const nl = text.indexOf('\n');
  if (text.startsWith('data:') && (nl === -1 || text.slice(nl).trim() === '')) data = text.slice(5, nl === -1 ? undefined : nl);
  else {
    data = text
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
  }
  try {
    const v: unknown = JSON.parse(data);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Generated text of a chat or completions stream, for counting tokens locally. */
export function extractText(sse: string): string {
  let text = '';
  for (const line of sse.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '' || data === '[DONE]') continue;
    let v: unknown;
    try {
      v = JSON.parse(data);
    } catch {
      continue;
    }
    if (!isRecord(v) || !Array.isArray(v.choices)) continue;
    for (const c of v.choices as unknown[]) {
      if (!isRecord(c)) continue;
      if (typeof c.text === 'string') text += c.text;
      const d = isRecord(c.delta) ? c.delta : undefined;
      if (d === undefined) continue;
      for (const k of ['reasoning_content', 'reasoning', 'content', 'refusal'] as const) if (typeof d[k] === 'string') text += d[k];
      if (Array.isArray(d.tool_calls)) {
        for (const tc of d.tool_calls as unknown[]) {
          if (isRecord(tc) && isRecord(tc.function)) {
            if (typeof tc.function.name === 'string') text += tc.function.name;
            if (typeof tc.function.arguments === 'string') text += tc.function.arguments;
          }
        }
      }
    }
  }
  return text;
}
