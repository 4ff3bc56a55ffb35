import { describe, expect, it } from 'vitest';
import { newOrderedId } from '../../src/store/ids.js';

describe('newOrderedId', () => {
  it('sorts in creation order, also for ids made in the same millisecond', () => {
    const ids = [...Array.from({ length: 50 }, () => newOrderedId('chk', 1_700_000_000_000)), newOrderedId('chk', 1_700_000_000_001)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
