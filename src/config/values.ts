import { z } from 'zod';

/**
 * Field schemas shared by the native and LiteLLM loaders. Numbers also accept
 * numeric strings because values substituted from the environment are strings.
 */
function numeric<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v), schema);
}

export const positiveInt = numeric(z.number().int().positive());
export const nonNegativeInt = numeric(z.number().int().min(0));
export const positiveNumber = numeric(z.number().positive());
export const nonNegativeNumber = numeric(z.number().min(0));
/** Seconds as LiteLLM writes them (may be fractional). */
export const seconds = numeric(z.number().positive());
export const booleanish = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

export const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

export const stringList = z.array(z.string().min(1));
export const headerMap = z.record(z.string(), z.string());

export function secondsToMs(s: number | undefined): number | undefined {
  return s === undefined ? undefined : Math.round(s * 1000);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** "10mb", "512KiB", "1048576" or a number → bytes (binary units: 1 MB = 1 MiB); undefined if unreadable. */
export function parseByteSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = SIZE.exec(v.trim());
  if (!m?.[1]) return undefined;
  const bytes = Math.round(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1));
  return bytes > 0 ? bytes : undefined;
}

export const byteSize = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = parseByteSize(v);
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a size in bytes or like "10mb"' });
    return z.NEVER;
  }
  return n;
});
