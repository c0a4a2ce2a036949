// A JSON Schema per documented object, derived from Dribbble's documented examples: the shape a
// request's test checks and the OpenAPI document's component schemas. A field the docs show as
// null may hold anything (an object or a string once set), so it is neither typed nor required.
import { DOCUMENTED_EXAMPLES, DOCUMENTED_ERRORS, type Shape } from '../dribbble/api-v2.js';

export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  description?: string;
}

// Objects whose keys are each present only when set (a user's links: web, twitter, ...).
const OPEN_OBJECTS = new Set(['links']);

export function schemaOf(value: unknown, key = ''): JsonSchema {
  if (value === null || value === undefined) return {};
  if (Array.isArray(value)) return { type: 'array', items: value.length ? schemaOf(value[0]) : {} };
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return {
      type: 'object',
      properties: Object.fromEntries(entries.map(([name, field]) => [name, schemaOf(field, name)])),
      required: OPEN_OBJECTS.has(key) ? [] : entries.filter(([, field]) => field !== null).map(([name]) => name),
    };
  }
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  return { type: typeof value as 'string' | 'boolean' };
}

export const SHAPE_SCHEMAS: Record<Shape, JsonSchema> = {
  user: schemaOf(DOCUMENTED_EXAMPLES.user),
  shot: schemaOf(DOCUMENTED_EXAMPLES.shot),
  attachment: schemaOf(DOCUMENTED_EXAMPLES.attachment),
  project: schemaOf(DOCUMENTED_EXAMPLES.project),
};

/** Every error body carries a message; a 422 also lists what was wrong. */
export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { message: { type: 'string' }, errors: schemaOf(DOCUMENTED_ERRORS[422].errors) },
  required: ['message'],
};

export function answerSchema(shape: Shape, list = false): JsonSchema {
  return list ? { type: 'array', items: SHAPE_SCHEMAS[shape] } : SHAPE_SCHEMAS[shape];
}
