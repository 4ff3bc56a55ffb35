/**
 * Exact arithmetic for prices. Prices arrive as decimals (config text, the
 * genai-prices catalog, LiteLLM's USD-per-token floats); a float multiply
 * would drift, so every price becomes a BigInt fraction and a request's cost
 * is summed exactly and rounded once.
 */

/** A non-negative fraction num/den with den > 0. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

export const ZERO: Fraction = { num: 0n, den: 1n };

const DECIMAL_RE = /^\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses "2.5", "0.0000025", "2.5e-7" or a finite number into an exact
 * fraction. A number goes through its shortest round-trip text (String(n)),
 * which is the decimal the author wrote in YAML/JSON, not the binary value.
 */
export function parseDecimal(value: string | number, field = 'price'): Fraction {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${field} must be a finite non-negative number, got ${value}`);
    value = String(value);
  }
  const m = DECIMAL_RE.exec(value.trim());
  if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) {
    throw new RangeError(`${field} must be a non-negative decimal such as "2.50", got ${JSON.stringify(value)}`);
  }
  const intPart = m[1] ?? '';
  const fracPart = m[2] ?? '';
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) throw new RangeError(`${field} exponent out of range: ${value}`);
  const digits = BigInt((intPart + fracPart) || '0');
  const scale = fracPart.length - exp;
  return scale >= 0 ? reduce({ num: digits, den: 10n ** BigInt(scale) }) : { num: digits * 10n ** BigInt(-scale), den: 1n };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

export function reduce(f: Fraction): Fraction {
  if (f.num === 0n) return ZERO;
  const g = gcd(f.num, f.den);
  return g === 1n ? f : { num: f.num / g, den: f.den / g };
}

export function add(a: Fraction, b: Fraction): Fraction {
  if (a.num === 0n) return b;
  if (b.num === 0n) return a;
  if (a.den === b.den) return reduce({ num: a.num + b.num, den: a.den });
  return reduce({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return reduce({ num: a.num * b.num, den: a.den * b.den });
}

/** a × qty / per, for "price per `per` units" times a quantity. */
export function scale(price: Fraction, qty: number, per: number): Fraction {
  if (qty <= 0) return ZERO;
  // Quantities are token/unit counts; fractional units (audio seconds) are parsed exactly too.
  const q = Number.isInteger(qty) ? { num: BigInt(qty), den: 1n } : parseDecimal(qty, 'quantity');
  return reduce({ num: price.num * q.num, den: price.den * q.den * BigInt(per) });
}

/** Rounds half up to an integer (money is never negative here). */
export function roundHalfUp(f: Fraction): bigint {
  return (f.num * 2n + f.den) / (f.den * 2n);
}

export function compare(a: Fraction, b: Fraction): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function isZero(f: Fraction): boolean {
  return f.num === 0n;
}

/** Exact decimal text of an integer nano-USD amount in dollars: 123 → "0.000000123", trailing zeros trimmed. */
export function formatNanosAsUsd(nanos: number | bigint): string {
  const n = BigInt(nanos);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Converts a BigInt nano amount to a JS number, refusing values past 2^53 rather than losing cents. */
export function toSafeNanos(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount ${n} nano-USD exceeds the safe integer range`);
  return Number(n);
}
