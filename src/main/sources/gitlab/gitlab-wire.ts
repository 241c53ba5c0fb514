import { z } from 'zod';
import { formatIssuePath } from '../../../shared/config';
import { SourceError } from '../source';

/**
 * What GitLab sends (REST v4 and the one GraphQL query), as lenient zod schemas: unknown fields
 * are dropped, optional fields may be missing or null, statuses stay strings (a newer server may
 * add one; the mappers turn what they do not know into `unknown`).
 */

const id = z.number().int();
const text = z.string().nullish();

export const gitlabUserSchema = z.object({
  id: id.optional(),
  username: z.string(),
  name: text,
});
export type GitlabUser = z.infer<typeof gitlabUserSchema>;

export const gitlabProjectSchema = z.object({
  id,
  name: text,
  name_with_namespace: text,
  path_with_namespace: z.string(),
  web_url: text,
});
export type GitlabProject = z.infer<typeof gitlabProjectSchema>;

/** An item of `GET /projects/:id/pipelines`: slim, no times but created/updated. */
export const gitlabPipelineListItemSchema = z.object({
  id,
  iid: id.nullish(),
  status: z.string(),
  source: text,
  ref: text,
  sha: text,
  name: text,
  web_url: text,
  created_at: z.string(),
  updated_at: text,
});
export type GitlabPipelineListItem = z.infer<typeof gitlabPipelineListItemSchema>;
export const gitlabPipelineListSchema = z.array(gitlabPipelineListItemSchema);

/** `GET /projects/:id/pipelines/:pipeline_id` (and the retry/cancel answers). */
export const gitlabPipelineSchema = gitlabPipelineListItemSchema.extend({
  user: gitlabUserSchema.nullish(),
  started_at: text,
  finished_at: text,
});
export type GitlabPipeline = z.infer<typeof gitlabPipelineSchema>;

const commitSchema = z.object({
  id: text,
  title: text,
  message: text,
  author_name: text,
});

/** A job (`/jobs`) or a bridge (`/bridges`: a trigger job, with its downstream pipeline). */
export const gitlabJobSchema = z.object({
  id,
  name: z.string(),
  stage: z.string(),
  status: z.string(),
  allow_failure: z.boolean().nullish(),
  failure_reason: text,
  created_at: text,
  started_at: text,
  finished_at: text,
  web_url: text,
  user: gitlabUserSchema.nullish(),
  commit: commitSchema.nullish(),
  pipeline: z.object({ id }).nullish(),
  downstream_pipeline: z.object({ id: id.nullish(), status: text, web_url: text }).nullish(),
});
export type GitlabJob = z.infer<typeof gitlabJobSchema>;
export const gitlabJobListSchema = z.array(gitlabJobSchema);

/** One approval (or rejection) of a deployment. */
export const gitlabDeploymentApprovalSchema = z.object({
  user: gitlabUserSchema.nullish(),
  status: z.string(),
  created_at: text,
  comment: text,
});
export type GitlabDeploymentApproval = z.infer<typeof gitlabDeploymentApprovalSchema>;

const approvalRuleSchema = z.object({
  user_id: id.nullish(),
  group_id: id.nullish(),
  access_level: id.nullish(),
  access_level_description: text,
  required_approvals: z.number().int().nonnegative(),
  deployment_approvals: z.array(gitlabDeploymentApprovalSchema).nullish(),
});
export type GitlabApprovalRule = z.infer<typeof approvalRuleSchema>;

/** A deployment; Premium servers add the approval fields. */
export const gitlabDeploymentSchema = z.object({
  id,
  iid: id.nullish(),
  status: z.string(),
  created_at: text,
  updated_at: text,
  user: gitlabUserSchema.nullish(),
  environment: z.object({ id: id.nullish(), name: z.string() }).nullish(),
  deployable: z.object({ id, name: text, status: text }).nullish(),
  approvals: z.array(gitlabDeploymentApprovalSchema).nullish(),
  pending_approval_count: z.number().int().nonnegative().nullish(),
  approval_summary: z.object({ rules: z.array(approvalRuleSchema) }).nullish(),
});
export type GitlabDeployment = z.infer<typeof gitlabDeploymentSchema>;
export const gitlabDeploymentListSchema = z.array(gitlabDeploymentSchema);

const connection = <T extends z.ZodType>(node: T) =>
  z.object({ nodes: z.array(node.nullable()).nullish() }).nullish();

/** The answer to the graph query in `gitlab-graphql.ts`. */
export const gitlabGraphAnswerSchema = z.object({
  data: z
    .object({
      project: z
        .object({
          pipeline: z
            .object({
              stages: connection(z.object({ name: text })),
              jobs: connection(
                z.object({
                  name: text,
                  schedulingType: text,
                  manualJob: z.boolean().nullish(),
                  needs: connection(z.object({ name: text })),
                }),
              ),
            })
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
  errors: z.array(z.object({ message: z.string() })).nullish(),
});
export type GitlabGraphAnswer = z.infer<typeof gitlabGraphAnswerSchema>;

/**
 * Parses a payload or throws SourceError('bad-response') naming the endpoint and the field, so
 * a server that sends something else shows as this source's health, never as a crash.
 */
export function parseWire<T>(schema: z.ZodType<T>, value: unknown, endpoint: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? formatIssuePath(issue.path) : 'the body';
  throw new SourceError(
    'bad-response',
    `GitLab sent an answer Pipewatch cannot read for ${endpoint}: ${where}: ${issue?.message ?? 'invalid'}.`,
  );
}
