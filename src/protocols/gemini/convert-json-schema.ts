/**
 * JSON Schema → the OpenAPI 3.0 subset Gemini accepts in
 * `functionDeclarations[].parameters` and `generationConfig.responseSchema`.
 *
 * Why convert instead of sending `parametersJsonSchema`/`responseJsonSchema`
 * (which take JSON Schema as is)? Those fields only exist for newer models
 * (2.5+); the OpenAPI subset works with every Gemini model a deployment may
 * name. Keywords the subset lacks are dropped and reported by name, so the
 * caller can warn; pure annotations (`$schema`, `$id`, `$comment`) carry no
 * constraint and are dropped quietly.
 */

type Json = Record<string, unknown>;

const PASS_THROUGH = new Set([
  'description', 'title', 'nullable', 'minItems', 'maxItems', 'minProperties', 'maxProperties',
  'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'default', 'example', 'propertyOrdering',
]);
const ANNOTATIONS = new Set(['$schema', '$id', '$comment']);
// Gemini rejects any other `format` value with a 400 ("only 'enum' and 'date-time' are supported").
const FORMATS: Record<string, string[]> = {
  string: ['enum', 'date-time'],
  integer: ['int32', 'int64'],
  number: ['float', 'double'],
};
const MAX_REF_DEPTH = 8;

export interface SchemaConversion {
  schema: Json | undefined;
  /** Keywords that could not be expressed, e.g. ["additionalProperties", "$ref (recursive)"]. */
  dropped: string[];
}

export function convertJsonSchema(input: Json): SchemaConversion {
  const dropped = new Set<string>();
  const defs = { ...asObject(input['$defs']), ...asObject(input['definitions']) };
  const schema = convert(input, defs, dropped, 0);
  return { schema, dropped: [...dropped] };
}

function convert(node: Json, defs: Json, dropped: Set<string>, refDepth: number): Json | undefined {
  if (typeof node['$ref'] === 'string') {
    const target = resolveRef(node['$ref'], defs);
    if (target === undefined || refDepth >= MAX_REF_DEPTH) {
      dropped.add(target === undefined ? `$ref ${node['$ref']}` : '$ref (recursive)');
      return node['description'] ? { description: node['description'] } : {};
    }
    const { $ref: _ref, ...rest } = node;
    return convert({ ...target, ...rest }, defs, dropped, refDepth + 1);
  }

  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'properties' || key === 'required' || key === 'items' || key === 'enum' || key === 'format') continue;
    if (key === '$defs' || key === 'definitions' || ANNOTATIONS.has(key)) continue;
    if (PASS_THROUGH.has(key)) out[key] = value;
    else if (key === 'examples' && Array.isArray(value) && value.length > 0) out['example'] = value[0];
    else if (key === 'const') {
      if (typeof value === 'string') out['enum'] = [value];
      else dropped.add('const (non-string)');
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      const variants = value.map((v) => convert(asObject(v), defs, dropped, refDepth)).filter((v): v is Json => v !== undefined);
      const nonNull = variants.filter((v) => v['type'] !== 'null');
      if (nonNull.length < variants.length) out['nullable'] = true;
      if (nonNull.length === 1) Object.assign(out, nonNull[0]);
      else if (nonNull.length > 1) out['anyOf'] = nonNull;
    } else if (key === 'allOf' && Array.isArray(value) && value.length === 1) {
      Object.assign(out, convert(asObject(value[0]), defs, dropped, refDepth));
    } else dropped.add(key);
  }

  const type = normaliseType(node['type'], out);
  if (type !== undefined) out['type'] = type;

  if (Array.isArray(node['enum'])) {
    if (node['enum'].every((v) => typeof v === 'string')) out['enum'] = node['enum'];
    else if (node['enum'].every((v) => typeof v === 'string' || v === null)) {
      out['enum'] = node['enum'].filter((v) => v !== null);
      out['nullable'] = true;
    } else dropped.add('enum (non-string values)');
  }
  if (typeof node['format'] === 'string') {
    if (type !== undefined && FORMATS[type]?.includes(node['format'])) out['format'] = node['format'];
    else dropped.add(`format "${node['format']}"`);
  }

  const props = asObject(node['properties']);
  const names = Object.keys(props);
  if (names.length > 0) {
    const converted: Json = {};
    for (const name of names) converted[name] = convert(asObject(props[name]), defs, dropped, refDepth) ?? {};
    out['properties'] = converted;
    if (Array.isArray(node['required'])) {
      // Gemini rejects required names that are not declared properties.
      const required = node['required'].filter((r): r is string => typeof r === 'string' && names.includes(r));
      if (required.length > 0) out['required'] = required;
    }
  }
  if (node['items'] !== undefined) {
    if (Array.isArray(node['items'])) dropped.add('items (tuple form)');
    else out['items'] = convert(asObject(node['items']), defs, dropped, refDepth) ?? {};
  }
  return out;
}

/** `["string","null"]` → "string" + nullable; several real types become `anyOf`. */
function normaliseType(type: unknown, out: Json): string | undefined {
  if (typeof type === 'string') return type;
  if (!Array.isArray(type)) return undefined;
  const real = type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (real.length < type.length) out['nullable'] = true;
  if (real.length === 1) return real[0];
  if (real.length > 1) out['anyOf'] = real.map((t) => ({ type: t }));
  return undefined;
}

function resolveRef(ref: string, defs: Json): Json | undefined {
  const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  if (m === null || m[1] === undefined) return undefined;
  const found = defs[decodeURIComponent(m[1])];
  return found !== null && typeof found === 'object' && !Array.isArray(found) ? (found as Json) : undefined;
}

function asObject(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
