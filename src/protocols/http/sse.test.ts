import { Readable } from 'node:stream';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sseEvents } from './sse.js';

const frames = (n: number) => Array.from({ length: n }, (_, i) => `data: {"i":${i}}\n\n`).join('');

describe('sseEvents', () => {
  it('decodes events split across chunks, and a final event without its blank line', async () => {
    const body = Readable.from([Buffer.from('data: {"a"'), Buffer.from(':1}\n\nevent: x\ndata: 2\n\ndata: 3')]);
    const got = [];
    for await (const e of sseEvents(body)) got.push([e.event, e.data]);
    expect(got).toEqual([[undefined, '{"a":1}'], ['x', '2'], [undefined, '3']]);
  });

  it('a reader that stops at its terminal event lets a fully received body end (no destroy, connection reusable)', async () => {
    const body = new Readable({ read() {} });
    body.push(frames(3));
    body.push('data: [DONE]\n\n'); // a tail the reader never asks for…
    body.push(null); // …and the upstream finished: everything is already here
    for await (const e of sseEvents(body)) if (e.data === '{"i":0}') break;
    expect(body.destroyed).toBe(false);
    await once(body, 'end');
    expect(body.errored).toBeNull();
  });

  it('a reader that stops while the upstream is still sending destroys the body, so the upstream stops', async () => {
    const body = new Readable({ read() {} });
    body.push(frames(3)); // no end: the upstream is still generating
    for await (const e of sseEvents(body)) if (e.data === '{"i":0}') break;
    expect(body.destroyed).toBe(true);
    expect(body.readableEnded).toBe(false);
  });
});
