import { describe, expect, it } from 'vitest';
import { addUsage } from './usage.js';

describe('addUsage', () => {
  it('sums counters and keeps optional ones absent when both are', () => {
    const sum = addUsage({ inputTokens: 3, outputTokens: 4, totalTokens: 7 }, { inputTokens: 1, outputTokens: 2, totalTokens: 3, cacheReadTokens: 5 });
    expect(sum).toEqual({ inputTokens: 4, outputTokens: 6, totalTokens: 10, cacheReadTokens: 5 });
    expect('reasoningTokens' in sum).toBe(false);
  });
});
