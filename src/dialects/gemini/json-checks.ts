/**
 * Checks for GenerateContentRequest bodies, worded like Google's own 400s
 * (`* GenerateContentRequest.contents: contents is not specified`), with
 * `param` naming the exact field.
 */
import { GatewayError } from '../../spec/index.js';
import type { Json } from './gemini-wire.js';

export function invalid(param: string | null, message: string): GatewayError {
  return new GatewayError('invalid_request', { message, param });
}

export function fieldError(param: string, problem: string): GatewayError {
  return invalid(param, `* GenerateContentRequest.${param}: ${problem}`);
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObject(v: unknown, param: string): Json {
  if (!isObject(v)) throw fieldError(param, 'must be an object');
  return v;
}

export function asArray(v: unknown, param: string): unknown[] {
  if (!Array.isArray(v)) throw fieldError(param, 'must be a list');
  return v;
}

export function optNumber(v: unknown, param: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw fieldError(param, `Invalid value (expected a number, got ${JSON.stringify(v)})`);
  return v;
}

export function optInteger(v: unknown, param: string, min: number): number | undefined {
  const n = optNumber(v, param);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min) throw fieldError(param, `must be an integer of at least ${min}`);
  return n;
}

export function optString(v: unknown, param: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw fieldError(param, `Invalid value (expected a string, got ${JSON.stringify(v)})`);
  return v;
}
