import { z } from 'zod';
import { formatIssuePath } from '../../../shared/config';
import { SourceError } from '../source';

/**
 * What CircleCI's API v2 sends (its OpenAPI document, see tests/fixtures/providers/circleci),
 * only the fields Pipewatch reads. Lenient: optional and nullable where servers leave things out,
 * statuses as plain strings so a new one maps to `unknown`, unknown fields ignored.
 */

const text = z.string().nullish();

export const circleciPipelineSchema = z.object({
  id: z.string().min(1),
  number: z.number().int(),
  project_slug: text,
  state: text,
  created_at: z.string(),
  updated_at: text,
  trigger: z
    .object({ type: text, received_at: text, actor: z.object({ login: text }).nullish() })
    .nullish(),
  vcs: z
    .object({
      branch: text,
      tag: text,
      revision: text,
      commit: z.object({ subject: text, body: text }).nullish(),
    })
    .nullish(),
});
export type CircleciPipeline = z.infer<typeof circleciPipelineSchema>;

export const circleciWorkflowSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: z.string(),
  created_at: z.string(),
  stopped_at: text,
  pipeline_id: text,
  pipeline_number: z.number().int().nullish(),
  project_slug: text,
  canceled_by: text,
  tag: text,
});
export type CircleciWorkflow = z.infer<typeof circleciWorkflowSchema>;

export const circleciJobSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.string(),
  status: z.string(),
  job_number: z.number().int().nullish(),
  started_at: text,
  stopped_at: text,
  dependencies: z.array(z.string()).nullish(),
  approval_request_id: text,
  approved_by: text,
  canceled_by: text,
});
export type CircleciJob = z.infer<typeof circleciJobSchema>;

/** A page of any list: `items` plus `next_page_token`, sent back as `page-token`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_page_token: z.string().nullish() });
}

export const messageSchema = z.object({ message: text });

export const rerunAnswerSchema = z.object({ workflow_id: text });

export const userSchema = z.object({ id: text, login: text, name: text });

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
    `CircleCI sent a payload Pipewatch cannot read for ${endpoint} (${where}${issue?.message ?? 'unexpected content'}).`,
  );
}
