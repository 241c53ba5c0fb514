import { z } from 'zod';
import { SourceError } from '../source';

/**
 * What Buildbot 3.x sends on `/api/v2`. Every GET answers a collection envelope
 * `{ "<plural>": [...], "meta": { "total": N } }`, a list even for one resource. Times are Unix
 * epoch seconds. Lenient on purpose: fields are optional or nullable and unknown ones are ignored,
 * because the shapes differ a little between 3.x releases.
 */

const epochSeconds = z.number().nullish();
const id = z.number().int();

export const builderSchema = z.object({ builderid: id, name: z.string() });
export type BuildbotBuilder = z.infer<typeof builderSchema>;

/**
 * A build. `properties` is filled only when asked for with `?property=name`: each value is a
 * `[value, source]` pair.
 */
export const buildSchema = z.object({
  buildid: id,
  number: id,
  builderid: id,
  buildrequestid: id,
  started_at: epochSeconds,
  complete: z.boolean().nullish(),
  complete_at: epochSeconds,
  results: z.number().int().nullish(),
  state_string: z.string().nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});
export type BuildbotBuild = z.infer<typeof buildSchema>;

export const sourceStampSchema = z.object({
  revision: z.string().nullish(),
  branch: z.string().nullish(),
  repository: z.string().nullish(),
  project: z.string().nullish(),
  codebase: z.string().nullish(),
});

/** A buildset: what a scheduler submitted. `parent_buildid` names the build that triggered it. */
export const buildsetSchema = z.object({
  bsid: id,
  parent_buildid: id.nullish(),
  reason: z.string().nullish(),
  submitted_at: epochSeconds,
  complete: z.boolean().nullish(),
  complete_at: epochSeconds,
  results: z.number().int().nullish(),
  sourcestamps: z.array(sourceStampSchema).nullish(),
});
export type BuildbotBuildset = z.infer<typeof buildsetSchema>;

/** One builder's share of a buildset; its builds (more than one after a RETRY) point back to it. */
export const buildRequestSchema = z.object({
  buildrequestid: id,
  buildsetid: id,
  builderid: id,
  claimed: z.boolean().nullish(),
  complete: z.boolean().nullish(),
  results: z.number().int().nullish(),
  submitted_at: epochSeconds,
  complete_at: epochSeconds,
});
export type BuildbotBuildRequest = z.infer<typeof buildRequestSchema>;

export const stepSchema = z.object({
  stepid: id,
  number: id,
  name: z.string(),
  started_at: epochSeconds,
  complete: z.boolean().nullish(),
  complete_at: epochSeconds,
  results: z.number().int().nullish(),
  state_string: z.string().nullish(),
  hidden: z.boolean().nullish(),
});
export type BuildbotStep = z.infer<typeof stepSchema>;

/** A step's log: `type` is `s` (stdio, stream-prefixed lines), `t` (text) or `h` (HTML). */
export const logSchema = z.object({
  logid: id,
  name: z.string().nullish(),
  slug: z.string().nullish(),
  type: z.string().nullish(),
  num_lines: z.number().int().nullish(),
  complete: z.boolean().nullish(),
});
export type BuildbotLog = z.infer<typeof logSchema>;

export const logChunkSchema = z.object({
  firstline: z.number().int().nullish(),
  content: z.string().nullish(),
});

export const changeSchema = z.object({
  author: z.string().nullish(),
  comments: z.string().nullish(),
  revision: z.string().nullish(),
});
export type BuildbotChange = z.infer<typeof changeSchema>;

/** A ForceScheduler parameter (`getSpec()`): nested groups hold `fields`. */
export interface ForceField {
  name: string;
  fullName?: string | null | undefined;
  type: string;
  label?: string | null | undefined;
  default?: unknown;
  required?: boolean | null | undefined;
  choices?: unknown[] | null | undefined;
  multiple?: boolean | null | undefined;
  fields?: ForceField[] | null | undefined;
}
export const forceFieldSchema: z.ZodType<ForceField> = z.lazy(() =>
  z.object({
    name: z.string(),
    fullName: z.string().nullish(),
    type: z.string(),
    label: z.string().nullish(),
    default: z.unknown().optional(),
    required: z.boolean().nullish(),
    choices: z.array(z.unknown()).nullish(),
    multiple: z.boolean().nullish(),
    fields: z.array(forceFieldSchema).nullish(),
  }),
);

export const forceSchedulerSchema = z.object({
  name: z.string(),
  builder_names: z.array(z.string()).nullish(),
  enabled: z.boolean().nullish(),
  all_fields: z.array(forceFieldSchema).nullish(),
});
export type BuildbotForceScheduler = z.infer<typeof forceSchedulerSchema>;

/** A JSON-RPC answer: `result` on success (force: `[bsid, {builderid: brid}]`), else `error`. */
export const jsonRpcAnswerSchema = z.object({
  result: z.unknown().optional(),
  error: z.object({ code: z.number().nullish(), message: z.unknown() }).nullish(),
});

/** Parses one collection envelope; anything else is a bad response naming endpoint and field. */
export function parseCollection<T>(
  endpoint: string,
  plural: string,
  schema: z.ZodType<T>,
  body: unknown,
): T[] {
  const items =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[plural] : null;
  if (!Array.isArray(items)) {
    throw new SourceError(
      'bad-response',
      `Buildbot's ${endpoint} answered without a "${plural}" list; is the base URL the Buildbot web root?`,
    );
  }
  return items.map((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = [plural, index, ...(issue?.path ?? [])].map(String).join('.');
    throw new SourceError(
      'bad-response',
      `Buildbot's ${endpoint} sent an unexpected ${field}: ${issue?.message ?? 'invalid'}.`,
    );
  });
}

/** The value of a build property as Buildbot sends it (`[value, source]`), or undefined. */
export function propertyValue(build: BuildbotBuild, name: string): unknown {
  const entry = build.properties?.[name];
  return Array.isArray(entry) ? entry[0] : undefined;
}

/** A property that holds a non-empty string (`got_revision` may be a per-codebase object). */
export function stringProperty(build: BuildbotBuild, name: string): string | null {
  const value = propertyValue(build, name);
  if (typeof value === 'string') return value === '' ? null : value;
  if (value !== null && typeof value === 'object') {
    const first = Object.values(value as Record<string, unknown>).find(
      (candidate) => typeof candidate === 'string' && candidate !== '',
    );
    return typeof first === 'string' ? first : null;
  }
  return null;
}
