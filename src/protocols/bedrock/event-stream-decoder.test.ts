import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EventStreamDecoder, EventStreamError, type EventStreamMessage } from './event-stream-decoder.js';

const recorded = Buffer.from(readFileSync(new URL('./__fixtures__/converse-stream-reasoning-tool.eventstream.b64', import.meta.url), 'utf8'), 'base64');

function decodeIn(chunks: Buffer[]): EventStreamMessage[] {
  const d = new EventStreamDecoder();
  const out = chunks.flatMap((c) => d.push(c));
  expect(d.pending).toBe(0);
  return out;
}

describe('EventStreamDecoder', () => {
  it('decodes a recorded ConverseStream into its 15 events', () => {
    const messages = decodeIn([recorded]);
    expect(messages.map((m) => m.headers[':event-type'])).toEqual([
      'messageStart',
      ...Array(3).fill('contentBlockDelta'),
      'contentBlockStop',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'contentBlockStart',
      ...Array(3).fill('contentBlockDelta'),
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(messages[0]!.headers).toEqual({ ':event-type': 'messageStart', ':content-type': 'application/json', ':message-type': 'event' });
    expect(JSON.parse(messages[6]!.payload.toString('utf8')).delta.text).toBe('São Paulo 🌦.');
  });

  it('gives the same messages however the bytes are split, down to one byte at a time', () => {
    const whole = decodeIn([recorded]).map((m) => m.payload.toString('hex'));
    for (const size of [1, 2, 3, 7, 11, 64, 500]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < recorded.length; i += size) chunks.push(recorded.subarray(i, i + size));
      expect(decodeIn(chunks).map((m) => m.payload.toString('hex'))).toEqual(whole);
    }
    // Every single cut point, including inside the prelude, headers, a UTF-8 character and the trailing CRC.
    for (let cut = 1; cut < recorded.length; cut += 13) expect(decodeIn([recorded.subarray(0, cut), recorded.subarray(cut)]).length).toBe(15);
  });

  it('rejects a corrupted payload by its message CRC and a corrupted length by its prelude CRC', () => {
    const payloadFlip = Buffer.from(recorded);
    payloadFlip[100] = payloadFlip[100]! ^ 0x01; // inside the first message's JSON payload
    expect(() => new EventStreamDecoder().push(payloadFlip)).toThrow(/message checksum/);
    const lengthFlip = Buffer.from(recorded);
    lengthFlip[3] = lengthFlip[3]! ^ 0x01;
    expect(() => new EventStreamDecoder().push(lengthFlip)).toThrow(EventStreamError);
    expect(() => new EventStreamDecoder().push(lengthFlip)).toThrow(/prelude checksum/);
  });

  it('keeps an unfinished message pending instead of guessing', () => {
    const d = new EventStreamDecoder();
    expect(d.push(recorded.subarray(0, 40))).toEqual([]);
    expect(d.pending).toBe(40);
  });

  it('reads every header value type of the specification', () => {
    const headers = Buffer.concat([
      header('t', 0),
      header('f', 1),
      header('b', 2, int(1, -5)),
      header('s', 3, int(2, -300)),
      header('i', 4, int(4, 70000)),
      header('l', 5, long(2n ** 40n)),
      header('y', 6, Buffer.concat([int(2, 3, false), Buffer.from([1, 2, 3])])),
      header('str', 7, Buffer.concat([int(2, 3, false), Buffer.from('hé')])),
      header('ts', 8, long(1_700_000_000_000n)),
      header('u', 9, Buffer.from('00112233445566778899aabbccddeeff', 'hex')),
    ]);
    const [m] = new EventStreamDecoder().push(frame(headers, Buffer.from('{}')));
    expect(m!.headers).toMatchObject({ t: true, f: false, b: -5, s: -300, i: 70000, l: 2n ** 40n, y: Buffer.from([1, 2, 3]), ts: new Date(1_700_000_000_000), u: '00112233445566778899aabbccddeeff' });
    expect(m!.headers.str).toBe('hé');
    expect(m!.payload.toString()).toBe('{}');
  });
});

function header(name: string, type: number, value: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from([type]), value]);
}

function int(bytes: 1 | 2 | 4, v: number, signed = true): Buffer {
  const b = Buffer.alloc(bytes);
  if (bytes === 1) b.writeInt8(v);
  else if (bytes === 2) (signed ? b.writeInt16BE(v) : b.writeUInt16BE(v));
  else b.writeInt32BE(v);
  return b;
}

function long(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
}

function frame(headers: Buffer, payload: Buffer): Buffer {
  const total = 12 + headers.length + payload.length + 4;
  const f = Buffer.alloc(total);
  f.writeUInt32BE(total, 0);
  f.writeUInt32BE(headers.length, 4);
  f.writeUInt32BE(crc32(f.subarray(0, 8)), 8);
  headers.copy(f, 12);
  payload.copy(f, 12 + headers.length);
  f.writeUInt32BE(crc32(f.subarray(0, total - 4)), total - 4);
  return f;
}
