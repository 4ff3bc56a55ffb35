/** Small conversions between repository values and the portable column types (see schema.ts). */

export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function toBool(flag: boolean | undefined): 0 | 1 {
  return flag ? 1 : 0;
}

export function fromBool(value: unknown): boolean {
  return value === 1 || value === true || value === '1';
}

/**
 * Every driver is configured to return BIGINT as a number; this is the last
 * line of defence (e.g. aggregates a driver still hands back as text).
 */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') {
    const n = Number(value);
    if (!Number.isSafeInteger(n) && Number.isInteger(n)) throw new RangeError(`Integer ${value} is outside the safe range`);
    return n;
  }
  if (value === null || value === undefined) return 0;
  throw new TypeError(`Expected a number from the database, got ${typeof value}`);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** Money and counters must be whole, non-negative-or-signed safe integers before they reach SQL. */
export function assertNanos(value: number, field: string, opts: { positive?: boolean } = {}): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${field} must be a safe integer (nano-USD), got ${value}`);
  if (opts.positive && value <= 0) throw new RangeError(`${field} must be positive, got ${value}`);
}

/** Drops undefined entries so a partial update only touches the fields given. */
export function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
