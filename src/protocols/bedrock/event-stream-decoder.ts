import { crc32 } from 'node:zlib';

/**
 * AWS event-stream framing (`application/vnd.amazon.eventstream`), decoded
 * incrementally across arbitrary chunk boundaries:
 *
 *   prelude   total length u32 | headers length u32 | prelude CRC32 u32
 *   headers   name len u8, name, type u8, value (typed)  … repeated
 *   payload   bytes
 *   trailer   message CRC32 u32 (over everything before it)
 *
 * Both CRCs are checked: a corrupted frame is an error, never a guess.
 */

export type HeaderValue = string | number | boolean | bigint | Buffer | Date;

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>;
  payload: Buffer;
}

export class EventStreamError extends Error {
  override readonly name = 'EventStreamError';
}

const PRELUDE = 12;
const MIN_MESSAGE = PRELUDE + 4;
/** AWS caps one message at 16 MiB of payload plus 128 KiB of headers. */
const MAX_MESSAGE = 16 * 1024 * 1024 + 128 * 1024 + MIN_MESSAGE;

export class EventStreamDecoder {
  private buffered: Buffer[] = [];
  private size = 0;

  /** Feeds bytes; returns every message they complete. Throws EventStreamError on a bad frame. */
  push(chunk: Buffer): EventStreamMessage[] {
    if (chunk.length === 0) return [];
    this.buffered.push(chunk);
    this.size += chunk.length;
    const out: EventStreamMessage[] = [];
    while (this.size >= PRELUDE) {
      const head = this.peek(PRELUDE);
      const total = head.readUInt32BE(0);
      const headersLength = head.readUInt32BE(4);
      if (crc32(head.subarray(0, 8)) !== head.readUInt32BE(8)) throw new EventStreamError('event stream prelude checksum mismatch');
      if (total < MIN_MESSAGE || total > MAX_MESSAGE || headersLength > total - MIN_MESSAGE) {
        throw new EventStreamError(`event stream message has impossible lengths (total ${total}, headers ${headersLength})`);
      }
      if (this.size < total) break;
      const frame = this.take(total);
      if (crc32(frame.subarray(0, total - 4)) !== frame.readUInt32BE(total - 4)) throw new EventStreamError('event stream message checksum mismatch');
      out.push({ headers: decodeHeaders(frame.subarray(PRELUDE, PRELUDE + headersLength)), payload: frame.subarray(PRELUDE + headersLength, total - 4) });
    }
    return out;
  }

  /** Bytes of an unfinished message: non-zero at end of stream means it was cut off. */
  get pending(): number {
    return this.size;
  }

  private peek(n: number): Buffer {
    if (this.buffered[0]!.length < n) this.buffered = [Buffer.concat(this.buffered)];
    return this.buffered[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const frame = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return frame;
  }
}

/** Header value types, as numbered by the event-stream specification. */
const T = { True: 0, False: 1, Byte: 2, Short: 3, Integer: 4, Long: 5, ByteArray: 6, String: 7, Timestamp: 8, Uuid: 9 } as const;

export function decodeHeaders(buf: Buffer): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  let i = 0;
  const need = (n: number): void => {
    if (i + n > buf.length) throw new EventStreamError('event stream header runs past its section');
  };
  while (i < buf.length) {
    need(1);
    const nameLength = buf.readUInt8(i++);
    need(nameLength + 1);
    const name = buf.toString('utf8', i, i + nameLength);
    i += nameLength;
    const type = buf.readUInt8(i++);
    switch (type) {
      case T.True:
        out[name] = true;
        break;
      case T.False:
        out[name] = false;
        break;
      case T.Byte:
        need(1);
        out[name] = buf.readInt8(i);
        i += 1;
        break;
      case T.Short:
        need(2);
        out[name] = buf.readInt16BE(i);
        i += 2;
        break;
      case T.Integer:
        need(4);
        out[name] = buf.readInt32BE(i);
        i += 4;
        break;
      case T.Long:
        need(8);
        out[name] = buf.readBigInt64BE(i);
        i += 8;
        break;
      case T.ByteArray:
      case T.String: {
        need(2);
        const len = buf.readUInt16BE(i);
        i += 2;
        need(len);
        out[name] = type === T.String ? buf.toString('utf8', i, i + len) : Buffer.from(buf.subarray(i, i + len));
        i += len;
        break;
      }
      case T.Timestamp:
        need(8);
        out[name] = new Date(Number(buf.readBigInt64BE(i)));
        i += 8;
        break;
      case T.Uuid:
        need(16);
        out[name] = buf.toString('hex', i, i + 16);
        i += 16;
        break;
      default:
        throw new EventStreamError(`event stream header "${name}" has unknown type ${type}`);
    }
  }
  return out;
}
