import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { invalidRequest } from '../../spec/index.js';
import type { JsonSchema } from './schemas.js';

/**
 * A small validator for the JSON-schema subset the admin routes use (type,
 * enum, properties, required, additionalProperties, items, minimum,
 * maximum, exclusiveMinimum, anyOf). Written here because Fastify's Ajv
 * coerces bodies — `null` into 0 for a nullable number, which would turn
 * "no budget" into a zero budget. Bodies are never coerced; query strings
 * and path parameters (always text) are converted to the integers and
 * booleans their schema asks for. Errors name the field.
 */
export const adminValidatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const coerce = httpPart === 'querystring' || httpPart === 'params';
  return (data: unknown) => {
    const problem = check(schema as JsonSchema, data, '', coerce);
    return problem ? { error: invalidRequest(problem.message, problem.path || (httpPart ?? 'body')) } : { value: data };
  };
};

interface Problem {
  path: string;
  message: string;
}

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(t: string, v: unknown): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

function check(s: JsonSchema, v: unknown, path: string, coerce: boolean, parent?: Record<string, unknown>, key?: string): Problem | undefined {
  if (Array.isArray(s['anyOf'])) {
    const branches = s['anyOf'] as JsonSchema[];
    let first: Problem | undefined;
    for (const b of branches) {
      const p = check(b, v, path, coerce, parent, key);
      if (!p) return undefined;
      first ??= p;
    }
    return first;
  }
  const type = s['type'] as string | undefined;
  if (type !== undefined) {
    if (coerce && typeof v === 'string' && parent && key !== undefined) {
      if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(v)) parent[key] = v = Number(v);
      else if (type === 'boolean' && (v === 'true' || v === 'false')) parent[key] = v = v === 'true';
    }
    if (!matchesType(type, v)) return { path, message: `${path || 'The request body'} must be ${type === 'integer' ? 'an integer' : `of type ${type}`}.` };
  }
  if (Array.isArray(s['enum']) && !(s['enum'] as unknown[]).includes(v)) return { path, message: `${path} must be one of ${(s['enum'] as unknown[]).join(', ')}.` };
  if (typeof v === 'number') {
    if (typeof s['minimum'] === 'number' && v < s['minimum']) return { path, message: `${path} must be at least ${s['minimum']}.` };
    if (typeof s['maximum'] === 'number' && v > s['maximum']) return { path, message: `${path} must be at most ${s['maximum']}.` };
    if (typeof s['exclusiveMinimum'] === 'number' && v <= s['exclusiveMinimum']) return { path, message: `${path} must be greater than ${s['exclusiveMinimum']}.` };
  }
  if (Array.isArray(v) && s['items']) {
    for (let i = 0; i < v.length; i++) {
      const p = check(s['items'] as JsonSchema, v[i], join(path, i), false);
      if (p) return p;
    }
  }
  if (typeOf(v) === 'object') return checkObject(s, v as Record<string, unknown>, path, coerce);
  return undefined;
}

function checkObject(s: JsonSchema, o: Record<string, unknown>, path: string, coerce: boolean): Problem | undefined {
  const props = (s['properties'] as Record<string, JsonSchema> | undefined) ?? {};
  for (const r of (s['required'] as string[] | undefined) ?? []) {
    if (o[r] === undefined) return { path: join(path, r), message: `${join(path, r)} is required.` };
  }
  for (const [k, val] of Object.entries(o)) {
    const ps = props[k];
    if (ps) {
      const p = check(ps, val, join(path, k), coerce, o, k);
      if (p) return p;
    } else if (s['additionalProperties'] === false) {
      return { path: join(path, k), message: `Unknown field '${join(path, k)}'. Accepted: ${Object.keys(props).join(', ')}.` };
    } else if (typeof s['additionalProperties'] === 'object' && s['additionalProperties'] !== null) {
      const p = check(s['additionalProperties'] as JsonSchema, val, join(path, k), coerce, o, k);
      if (p) return p;
    }
  }
  return undefined;
}
