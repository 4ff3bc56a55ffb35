import { crc32 } from 'node:zlib';

/**
 * An encoder for AWS event-stream frames, written from the framing spec (it
 * shares no code with the gateway's decoder, so each checks the other; the
 * official SDK decoding these frames checks both). Only string headers are
 * needed: that is all Bedrock sends.
 */
export function encodeMessage(headers: Record<string, string>, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const n = Buffer.from(name, 'utf8');
      const v = Buffer.from(value, 'utf8');
      const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
      h.writeUInt8(n.length, 0);
      n.copy(h, 1);
      h.writeUInt8(7, 1 + n.length); // 7 = string
      h.writeUInt16BE(v.length, 2 + n.length);
      v.copy(h, 4 + n.length);
      return h;
    }),
  );
  const total = 12 + headerBytes.length + body.length + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headerBytes.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  headerBytes.copy(frame, 12);
  body.copy(frame, 12 + headerBytes.length);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}

/** Bedrock pads every event with a `p` field of varying length so sizes do not leak content. */
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0';

export function eventFrame(eventType: string, body: Record<string, unknown>, seq = 0): Buffer {
  const payload = JSON.stringify({ ...body, p: PADDING.slice(0, 1 + (seq * 7) % PADDING.length) });
  return encodeMessage({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }, payload);
}

/** An exception inside the stream, e.g. `throttlingException`, as ConverseStream sends them. */
export function exceptionFrame(exceptionType: string, message: string): Buffer {
  return encodeMessage({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' }, JSON.stringify({ message }));
}
