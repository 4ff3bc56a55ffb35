/**
 * Budget periods in LiteLLM's `budget_duration` syntax: "30s", "30m", "1h",
 * "1d", "7d", "2w", "1mo" (calendar months, UTC). A period's spend resets at
 * `resetAt`, then the next reset is one duration later.
 */

export interface Duration {
  amount: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo';
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Parses "30d" etc.; throws a RangeError naming the bad text. */
export function parseDuration(text: string): Duration {
  const m = /^\s*(\d+)\s*(mo|s|m|h|d|w)\s*$/.exec(text);
  const amount = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(amount) || amount < 1) {
    throw new RangeError(`budget_duration must look like "30s", "30m", "1h", "1d", "7d", "2w" or "1mo"; got ${JSON.stringify(text)}`);
  }
  return { amount, unit: m[2] as Duration['unit'] };
}

export function addDuration(fromMs: number, d: Duration): number {
  if (d.unit === 'mo') {
    const t = new Date(fromMs);
    const targetMonth = t.getUTCMonth() + d.amount;
    const day = t.getUTCDate();
    // Clamp Jan 31 + 1mo to Feb 28/29 instead of spilling into March.
    const lastDay = new Date(Date.UTC(t.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
    return Date.UTC(t.getUTCFullYear(), targetMonth, Math.min(day, lastDay), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds());
  }
  return fromMs + d.amount * UNIT_MS[d.unit];
}

/** The first reset strictly after `nowMs`, stepping from `resetAt` whole periods at a time. */
export function nextResetAfter(resetAt: number, d: Duration, nowMs: number): number {
  if (d.unit !== 'mo') {
    const step = d.amount * UNIT_MS[d.unit];
    if (resetAt > nowMs) return resetAt;
    return resetAt + (Math.floor((nowMs - resetAt) / step) + 1) * step;
  }
  let next = resetAt;
  while (next <= nowMs) next = addDuration(next, d);
  return next;
}
