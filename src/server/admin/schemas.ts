/** Small builders for the JSON schemas that document and validate admin routes. */
export type JsonSchema = Record<string, unknown>;

export const str = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
export const nullableStr = (description?: string): JsonSchema => ({ type: ['string', 'null'], ...(description ? { description } : {}) });
export const int = (description?: string): JsonSchema => ({ type: 'integer', ...(description ? { description } : {}) });
export const nullableInt = (description?: string): JsonSchema => ({ type: ['integer', 'null'], minimum: 0, ...(description ? { description } : {}) });
export const bool = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
/** USD amounts: numbers, or decimal strings for exactness. */
export const usdField = (description: string): JsonSchema => ({ type: ['number', 'string', 'null'], description: `${description} (USD)` });
export const strList = (description?: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, ...(description ? { description } : {}) });
export const freeObject = (description?: string): JsonSchema => ({ type: 'object', additionalProperties: true, ...(description ? { description } : {}) });
export const strMap = (description?: string): JsonSchema => ({ type: 'object', additionalProperties: { type: 'string' }, ...(description ? { description } : {}) });

/** A request body whose unknown fields are refused (see route-helper). */
export function body(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, additionalProperties: false, ...(required.length ? { required } : {}) };
}

export function query(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

export const idParams: JsonSchema = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };

export function obj(properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return { type: 'object', properties, additionalProperties: true, ...(description ? { description } : {}) };
}

export const listOf = (item: JsonSchema): JsonSchema => obj({ data: { type: 'array', items: item } });

export const pageQuery: Record<string, JsonSchema> = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Page size (default 100)' },
  offset: { type: 'integer', minimum: 0 },
};
