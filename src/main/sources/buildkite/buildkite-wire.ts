import { z } from 'zod';
import { formatIssuePath } from '../../../shared/config';
import { SourceError } from '../source';

/**
 * What Buildkite's REST API v2 sends (buildkite/docs `pages/apis/rest_api/builds.md`, `jobs.md`),
 * only the fields Pipewatch reads. Lenient: nearly everything is optional or nullable, unknown
 * fields are ignored, and states are plain strings so a new one maps to `unknown` instead of
 * failing the poll.
 */

const text = z.string().nullish();
const person = z.object({ name: text, email: text }).nullish();

/** A block step's input field as written in pipeline.yml, when a payload carries it. */
const blockFieldSchema = z.object({
  text: text,
  select: text,
  key: z.string(),
  hint: text,
  required: z.boolean().nullish(),
  default: z.union([z.string(), z.array(z.string())]).nullish(),
  multiple: z.boolean().nullish(),
  options: z.array(z.object({ label: text, value: z.string() })).nullish(),
});
export type BuildkiteBlockField = z.infer<typeof blockFieldSchema>;

export const buildkiteJobSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  name: text,
  label: text,
  step_key: text,
  state: text,
  web_url: text,
  created_at: text,
  scheduled_at: text,
  runnable_at: text,
  started_at: text,
  finished_at: text,
  soft_failed: z.boolean().nullish(),
  retried: z.boolean().nullish(),
  retried_in_job_id: text,
  parallel_group_index: z.number().int().nullish(),
  parallel_group_total: z.number().int().nullish(),
  unblockable: z.boolean().nullish(),
  unblocked_by: person,
  unblocked_at: text,
  triggered_build: z
    .object({ id: text, number: z.number().int().nullish(), url: text, web_url: text })

    .nullish(),
  fields: z.array(z.unknown()).nullish(),
});
export type BuildkiteJob = z.infer<typeof buildkiteJobSchema>;

export const buildkiteBuildSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  state: z.string(),
  blocked: z.boolean().nullish(),
  message: text,
  commit: text,
  branch: text,
  source: text,
  web_url: text,
  creator: person,
  author: person,
  created_at: z.string(),
  started_at: text,
  finished_at: text,
  // Jobs are read one by one (below) so that one odd job cannot hide a whole build.
  jobs: z.array(z.unknown()).nullish(),
  pipeline: z.object({ slug: text, name: text }).nullish(),
});
export type BuildkiteBuild = z.infer<typeof buildkiteBuildSchema>;

export const buildkiteBuildListSchema = z.array(buildkiteBuildSchema);

export const buildkiteLogSchema = z.object({
  content: z.string().nullish(),
  size: z.number().nullish(),
  url: text,
});

export const buildkiteUserSchema = z.object({ name: text, email: text });

/** Parses a payload or fails with a message naming the endpoint and the field. */
export function parseWire<T extends z.ZodType>(
  schema: T,
  body: unknown,
  endpoint: string,
): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
  throw new SourceError(
    'bad-response',
    `Buildkite sent a payload Pipewatch cannot read for ${endpoint} (${where}${issue?.message ?? 'unexpected content'}).`,
  );
}

/** The build's jobs that can be read; a job without an id or type is skipped. */
export function readJobs(build: BuildkiteBuild): BuildkiteJob[] {
  return (build.jobs ?? []).flatMap((job) => {
    const parsed = buildkiteJobSchema.safeParse(job);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Block-step fields a job carries, if any (the documented job payload has none). */
export function readBlockFields(job: BuildkiteJob): BuildkiteBlockField[] {
  return (job.fields ?? []).flatMap((field) => {
    const parsed = blockFieldSchema.safeParse(field);
    return parsed.success ? [parsed.data] : [];
  });
}
