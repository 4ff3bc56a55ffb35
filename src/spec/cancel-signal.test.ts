import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cancellation } from './cancel-signal.js';

describe('Cancellation (the AbortSignal subset the gateway relies on)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('calls each listener once, with the reason set, and stays aborted', () => {
    const c = new Cancellation();
    const seen: unknown[] = [];
    c.addEventListener('abort', () => seen.push(c.reason), { once: true });
    c.addEventListener('abort', () => seen.push('second'));
    expect(c.aborted).toBe(false);
    const reason = new Error('gone');
    c.abort(reason);
    c.abort(new Error('again'));
    expect(c.aborted).toBe(true);
    expect(c.reason).toBe(reason);
    expect(seen).toEqual([reason, 'second']);
  });

  it('defaults the reason to an AbortError DOMException, as AbortController does', () => {
    const c = new Cancellation();
    c.abort();
    const native = new AbortController();
    native.abort();
    expect(c.reason).toBeInstanceOf(DOMException);
    expect((c.reason as DOMException).name).toBe((native.signal.reason as DOMException).name);
  });

  it('does not call a removed listener, nor one added after the abort', () => {
    const c = new Cancellation();
    const removed = vi.fn();
    const late = vi.fn();
    c.addEventListener('abort', removed);
    c.removeEventListener('abort', removed);
    c.removeEventListener('abort', () => {});
    c.abort();
    c.addEventListener('abort', late);
    expect(removed).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
  });

  it('runs the other listeners when one throws, and rethrows outside abort()', () => {
    const queued: (() => void)[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => void queued.push(fn));
    const c = new Cancellation();
    const after = vi.fn();
    c.addEventListener('abort', () => {
      throw new Error('listener bug');
    });
    c.addEventListener('abort', after);
    expect(() => c.abort()).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(queued).toHaveLength(1);
    expect(() => queued[0]!()).toThrow('listener bug');
  });

  it('hands itself out as .signal, as code written for AbortController expects', () => {
    const c = new Cancellation();
    expect(c.signal).toBe(c);
  });
});
