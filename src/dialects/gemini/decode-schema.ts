import type { Json } from './gemini-wire.js';

/**
 * Gemini's OpenAPI-3.0 Schema (`parameters`, `responseSchema`) → JSON
 * Schema, the unified tools' language: upper-case types become JSON
 * Schema's, `nullable` becomes a `"null"` type, `example` becomes
 * `examples`. `propertyOrdering` only orders Gemini's own output and has
 * no JSON Schema meaning; it is dropped.
 */
export function geminiSchemaToJsonSchema(node: unknown): Json {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return {};
  const src = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(src)) {
    switch (key) {
      case 'type':
      case 'nullable':
      case 'propertyOrdering':
        break;
      case 'properties':
        out['properties'] = Object.fromEntries(Object.entries(asObject(value)).map(([k, v]) => [k, geminiSchemaToJsonSchema(v)]));
        break;
      case 'items':
        out['items'] = geminiSchemaToJsonSchema(value);
        break;
      case 'anyOf':
        out['anyOf'] = Array.isArray(value) ? value.map(geminiSchemaToJsonSchema) : [];
        break;
      case 'example':
        out['examples'] = [value];
        break;
      default:
        out[key] = value;
    }
  }
  const type = typeof src['type'] === 'string' ? src['type'].toLowerCase() : undefined;
  if (type !== undefined && type !== 'type_unspecified') out['type'] = src['nullable'] === true ? [type, 'null'] : type;
  else if (src['nullable'] === true && out['anyOf'] !== undefined) (out['anyOf'] as Json[]).push({ type: 'null' });
  return out;
}

function asObject(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
