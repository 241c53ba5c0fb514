import { createHash } from 'node:crypto';
import { fixtureJson } from '../support/provider-fixtures';

/**
 * CircleCI publishes no full example payloads for API v2, only JSON Schemas of its responses
 * (tests/fixtures/providers/circleci/*.schema.json). These helpers build SYNTHETIC payloads from
 * those schemas: every property the schema names, valued from its `example` when it has one,
 * otherwise from its type, then overridden per test. `schemaProblems` checks a payload against
 * the schema, so a test cannot drift from what CircleCI documents.
 */

export type Json = Record<string, unknown>;

interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  'x-nullable'?: boolean;
}

function itemSchema(file: string): JsonSchema {
  const list = fixtureJson<JsonSchema>('circleci', file);
  const item = list.properties?.items?.items;
  if (!item) throw new Error(`${file} has no items schema`);
  return item;
}

export const PIPELINE_SCHEMA = itemSchema('project-pipelines.schema.json');
export const WORKFLOW_SCHEMA = itemSchema('pipeline-workflows.schema.json');
export const JOB_SCHEMA = itemSchema('workflow-jobs.schema.json');

let counter = 0;

/** A value for a schema: its example, its first enum value, or something of its type. */
function valueFor(name: string, schema: JsonSchema): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return schema.properties ? fromSchema(schema) : {};
    case 'array':
      return [];
    case 'integer':
      return 1;
    case 'boolean':
      return false;
    default:
      if (schema.format === 'uuid') {
        counter += 1;
        return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
      }
      if (schema.format === 'date-time') return '2026-01-01T10:00:00Z';
      return name;
  }
}

/** Every property of an object schema with a value, then the overrides. */
export function fromSchema(schema: JsonSchema, overrides: Json = {}): Json {
  const result: Json = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    result[name] = valueFor(name, property);
  }
  return { ...result, ...overrides };
}

/** Where a payload breaks its schema: missing required fields, wrong types, unknown enum values. */
export function schemaProblems(schema: JsonSchema, value: unknown, path = '$'): string[] {
  if (value === null) return schema['x-nullable'] ? [] : [`${path} is null`];
  if (schema.enum && !schema.enum.includes(value)) return [`${path} is not one of the enum`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path} is not an object`];
      const record = value as Json;
      const missing = (schema.required ?? [])
        .filter((name) => !(name in record))
        .map((name) => `${path}.${name} is missing`);
      const nested = Object.entries(schema.properties ?? {}).flatMap(([name, property]) =>
        name in record ? schemaProblems(property, record[name], `${path}.${name}`) : [],
      );
      return [...missing, ...nested];
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) =>
            schema.items ? schemaProblems(schema.items, item, `${path}[${index}]`) : [],
          )
        : [`${path} is not an array`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path} is not an integer`];
    case 'string':
      return typeof value === 'string' ? [] : [`${path} is not a string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path} is not a boolean`];
    default:
      return [];
  }
}

export const pipelineItem = (overrides: Json = {}): Json => fromSchema(PIPELINE_SCHEMA, overrides);
export const workflowItem = (overrides: Json = {}): Json => fromSchema(WORKFLOW_SCHEMA, overrides);
export const jobItem = (overrides: Json = {}): Json =>
  fromSchema(JOB_SCHEMA, { requires: {}, ...overrides });

/** A list answer: `items` and `next_page_token`. */
export const page = (items: Json[], next: string | null = null): Json => ({
  items,
  next_page_token: next,
});

/** Stable UUIDs for readable tests: uuid('build') is the same every time. */
export function uuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex').slice(0, 12);
  return `00000000-0000-4000-8000-${hex}`;
}
