import { describe, expect, it } from 'vitest';
import { hashSecret, hashSecretBytes, newOrderedId } from '../../src/store/ids.js';

describe('newOrderedId', () => {
  it('sorts in creation order, also for ids made in the same millisecond', () => {
    const ids = [...Array.from({ length: 50 }, () => newOrderedId('chk', 1_700_000_000_000)), newOrderedId('chk', 1_700_000_000_001)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('hashSecret / hashSecretBytes', () => {
  it('are the same SHA-256, as hex and as bytes', () => {
    // SHA-256("abc"), FIPS 180-2 appendix B.1
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(hashSecret('abc')).toBe(abc);
    expect(hashSecretBytes('abc').toString('hex')).toBe(abc);
    expect(hashSecretBytes('sk-sy-ünïcode').toString('hex')).toBe(hashSecret('sk-sy-ünïcode'));
  });
});
