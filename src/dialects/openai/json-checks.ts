/**
 * Hand-written checks for request bodies, with OpenAI's own error wording so
 * clients (and their retry/validation logic) see familiar messages and the
 * exact field path in `param`. No schema library: this runs on every request.
 */
import { GatewayError } from '../../spec/index.js';

export type Json = Record<string, unknown>;

/** "a string", "an array", "null"…: the noun OpenAI uses in type errors. */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return Number.isInteger(v) ? 'an integer' : 'a decimal number';
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

export function invalid(message: string, param: string | null): GatewayError {
  return new GatewayError('invalid_request', { message, param });
}

export function missing(param: string): GatewayError {
  return invalid(`Missing required parameter: '${param}'.`, param);
}

export function wrongType(param: string, expected: string, v: unknown): GatewayError {
  return invalid(`Invalid type for '${param}': expected ${expected}, but got ${describeType(v)} instead.`, param);
}

export function badValue(param: string, v: unknown, allowed: readonly string[]): GatewayError {
  const list = allowed.map((a) => `'${a}'`);
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')}, and ${list[list.length - 1]}` : (list[0] ?? '');
  return invalid(`Invalid value for '${param}': '${String(v)}'. Supported values are: ${joined}.`, param);
}

export function unsupported(param: string, message: string): GatewayError {
  return new GatewayError('unsupported_parameter', { message, param });
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Optional fields: clients (LangChain, LiteLLM) often send explicit nulls for "unset". */
export function isAbsent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

export function asObject(v: unknown, param: string): Json {
  if (!isObject(v)) throw wrongType(param, 'an object', v);
  return v;
}

export function asArray(v: unknown, param: string): unknown[] {
  if (!Array.isArray(v)) throw wrongType(param, 'an array', v);
  return v;
}

export function asString(v: unknown, param: string): string {
  if (typeof v !== 'string') throw wrongType(param, 'a string', v);
  return v;
}

export function asBoolean(v: unknown, param: string): boolean {
  if (typeof v !== 'boolean') throw wrongType(param, 'a boolean', v);
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
  return isAbsent(v) ? undefined : asBoolean(v, param);
}

/** A finite number within [min, max]; never clamped (clamping hides client bugs). */
export function optNumber(v: unknown, param: string, min?: number, max?: number): number | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(param, 'a number', v);
  checkRange(v, param, 'decimal', min, max);
  return v;
}

export function optInteger(v: unknown, param: string, min?: number, max?: number): number | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(param, 'an integer', v);
  checkRange(v, param, 'integer', min, max);
  return v;
}

function checkRange(v: number, param: string, noun: string, min?: number, max?: number): void {
  if (min !== undefined && v < min) {
    throw invalid(`Invalid '${param}': ${noun} below minimum value. Expected a value >= ${min}, but got ${v} instead.`, param);
  }
  if (max !== undefined && v > max) {
    throw invalid(`Invalid '${param}': ${noun} above maximum value. Expected a value <= ${max}, but got ${v} instead.`, param);
  }
}

export function optEnum<T extends string>(v: unknown, param: string, allowed: readonly T[]): T | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v !== 'string') throw wrongType(param, 'a string', v);
  if (!(allowed as readonly string[]).includes(v)) throw badValue(param, v, allowed);
  return v as T;
}

/** A string → string map (OpenAI `metadata`). */
export function optStringMap(v: unknown, param: string): Record<string, string> | undefined {
  if (isAbsent(v)) return undefined;
  const obj = asObject(v, param);
  for (const k in obj) asString(obj[k], `${param}.${k}`);
  return obj as Record<string, string>;
}

export function optStringArray(v: unknown, param: string): string[] | undefined {
  if (isAbsent(v)) return undefined;
  const arr = asArray(v, param);
  for (let i = 0; i < arr.length; i++) asString(arr[i], `${param}[${i}]`);
  return arr as string[];
}
