import { describe, expect, it } from 'vitest';
import { convertJsonSchema } from './convert-json-schema.js';

describe('convertJsonSchema', () => {
  it('keeps the OpenAPI subset and reports what it drops', () => {
    const { schema, dropped } = convertJsonSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        city: { type: 'string', description: 'City name', minLength: 1 },
        unit: { type: ['string', 'null'], enum: ['c', 'f'] },
        when: { type: 'string', format: 'date-time' },
        email: { type: 'string', format: 'email' },
        count: { type: 'integer', minimum: 0, exclusiveMaximum: 10 },
        tags: { type: 'array', items: { type: 'string' }, examples: [['a']] },
        mode: { const: 'fast' },
      },
      required: ['city', 'ghost'],
    });
    expect(schema).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name', minLength: 1 },
        unit: { type: 'string', nullable: true, enum: ['c', 'f'] },
        when: { type: 'string', format: 'date-time' },
        email: { type: 'string' },
        count: { type: 'integer', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' }, example: ['a'] },
        mode: { enum: ['fast'] },
      },
      required: ['city'],
    });
    expect(dropped.sort()).toEqual(['additionalProperties', 'exclusiveMaximum', 'format "email"']);
  });

  it('inlines local $refs, turns oneOf/nullable anyOf into Gemini form, and stops on recursion', () => {
    const { schema, dropped } = convertJsonSchema({
      type: 'object',
      $defs: {
        point: { type: 'object', properties: { x: { type: 'number' } } },
        node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } },
      },
      properties: {
        at: { $ref: '#/$defs/point', description: 'Where' },
        shape: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        list: { $ref: '#/$defs/node' },
      },
    });
    expect(schema?.['properties']).toMatchObject({
      at: { type: 'object', description: 'Where', properties: { x: { type: 'number' } } },
      shape: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      maybe: { type: 'string', nullable: true },
    });
    expect(dropped).toEqual(['$ref (recursive)']);
  });
});
