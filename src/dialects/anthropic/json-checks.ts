/**
 * Hand-written checks for Messages API bodies. Messages and field paths
 * follow Anthropic's own style (`messages.1.content.0.type: Field required`)
 * so clients and their logs see what the real API would have said, and
 * `param` names the exact field. No schema library: this runs per request.
 */
import { GatewayError } from '../../spec/index.js';

export type Json = Record<string, unknown>;

export function invalid(param: string | null, message: string): GatewayError {
  return new GatewayError('invalid_request', { message: param === null ? message : `${param}: ${message}`, param });
}

export function missing(param: string): GatewayError {
  return invalid(param, 'Field required');
}

function noun(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

export function wrongType(param: string, expected: string, v: unknown): GatewayError {
  return invalid(param, `Input should be ${expected}, not ${noun(v)}`);
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Anthropic's SDKs never send explicit nulls, but proxies and hand-written clients do: null means unset. */
export function isAbsent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

export function asObject(v: unknown, param: string): Json {
  if (!isObject(v)) throw wrongType(param, 'a valid dictionary', v);
  return v;
}

export function asArray(v: unknown, param: string): unknown[] {
  if (!Array.isArray(v)) throw wrongType(param, 'a valid list', v);
  return v;
}

export function asString(v: unknown, param: string): string {
  if (typeof v !== 'string') throw wrongType(param, 'a valid string', v);
  return v;
}

export function requireString(obj: Json, key: string, param: string): string {
  const v = obj[key];
  if (isAbsent(v)) throw missing(param);
  return asString(v, param);
}

export function optString(v: unknown, param: string): string | undefined {
  return isAbsent(v) ? undefined : asString(v, param);
}

export function optBoolean(v: unknown, param: string): boolean | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== 'boolean') throw wrongType(param, 'a valid boolean', v);
  return v;
}

/** A finite number in [min, max]; never clamped (clamping hides client bugs). */
export function optNumber(v: unknown, param: string, min: number, max: number): number | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(param, 'a valid number', v);
  if (v < min) throw invalid(param, `Input should be greater than or equal to ${min}`);
  if (v > max) throw invalid(param, `Input should be less than or equal to ${max}`);
  return v;
}

export function optInteger(v: unknown, param: string, min: number): number | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(param, 'a valid integer', v);
  if (v < min) throw invalid(param, `Input should be greater than or equal to ${min}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, param: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    const list = allowed.map((a) => `'${a}'`);
    const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : (list[0] ?? '');
    throw invalid(param, `Input should be ${joined}`);
  }
  return v as T;
}

export function optStringArray(v: unknown, param: string): string[] | undefined {
  if (isAbsent(v)) return undefined;
  const arr = asArray(v, param);
  for (let i = 0; i < arr.length; i++) asString(arr[i], `${param}.${i}`);
  return arr as string[];
}
