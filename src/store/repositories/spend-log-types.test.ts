import { describe, expect, it } from 'vitest';
import { utcDay } from './spend-log-types.js';

describe('utcDay', () => {
  it('names the UTC day at its first and last millisecond, across days, back and forth', () => {
    const start = Date.UTC(2026, 10, 24);
    const cases: [number, string][] = [
      [start, '2026-11-24'],
      [start + 86_399_999, '2026-11-24'],
      [start + 86_400_000, '2026-11-25'],
      [start - 1, '2026-11-23'],
      [start + 12 * 3_600_000, '2026-11-24'],
      [Date.UTC(1969, 11, 31, 23, 59), '1969-12-31'],
      [0, '1970-01-01'],
      [Date.UTC(2028, 1, 29, 5), '2028-02-29'],
    ];
    for (const [ms] of cases) expect(utcDay(ms), String(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
    for (const [ms, day] of cases) expect(utcDay(ms), String(ms)).toBe(day);
  });

  it('refuses a time Date cannot show, every time', () => {
    expect(() => utcDay(Number.NaN)).toThrow(RangeError);
    expect(() => utcDay(8.64e15 + 1)).toThrow(RangeError);
  });
});
