import { z } from 'zod';
import { formatIssuePath } from '../../../shared/config';
import { SourceError } from '../source';

/**
 * What GitHub's REST API sends, as far as Pipewatch reads it (GH-SPEC `components/schemas`).
 * Lenient on purpose: fields GitHub may leave out or null are optional, unknown fields are
 * dropped, and statuses stay plain strings so that a new GitHub state maps to `unknown`
 * instead of failing the whole poll.
 */

const text = z.string();
const optionalText = z.string().nullish();
const userSchema = z.object({ login: z.string() });
/**
 * Numbers the domain model keeps as whole numbers (build number, attempt, step number): a
 * fraction or a value beyond 2^53 is an answer Pipewatch cannot understand, not a build #1e308.
 */
const wholeNumber = z.number().int();

export const workflowSchema = z.object({
  id: z.number(),
  name: text,
  path: text,
  state: optionalText,
  html_url: optionalText,
});
export type GithubWorkflow = z.infer<typeof workflowSchema>;

export const workflowsListSchema = z.object({
  total_count: z.number().nullish(),
  workflows: z.array(workflowSchema),
});

export const workflowRunSchema = z.object({
  id: z.number(),
  name: optionalText,
  display_title: optionalText,
  run_number: wholeNumber,
  run_attempt: wholeNumber.nullish(),
  status: optionalText,
  conclusion: optionalText,
  head_branch: optionalText,
  head_sha: optionalText,
  event: optionalText,
  path: optionalText,
  workflow_id: z.number(),
  created_at: text,
  updated_at: optionalText,
  run_started_at: optionalText,
  html_url: optionalText,
  actor: userSchema.nullish(),
  triggering_actor: userSchema.nullish(),
  head_commit: z
    .object({
      message: optionalText,
      author: z.object({ name: optionalText, email: optionalText }).nullish(),
    })
    .nullish(),
});
export type GithubWorkflowRun = z.infer<typeof workflowRunSchema>;

export const workflowRunsListSchema = z.object({
  total_count: z.number().nullish(),
  workflow_runs: z.array(workflowRunSchema),
});

export const jobStepSchema = z.object({
  name: text,
  status: optionalText,
  conclusion: optionalText,
  number: wholeNumber,
  started_at: optionalText,
  completed_at: optionalText,
});
export type GithubJobStep = z.infer<typeof jobStepSchema>;

export const jobSchema = z.object({
  id: z.number(),
  run_id: z.number().nullish(),
  run_attempt: z.number().nullish(),
  name: text,
  status: optionalText,
  conclusion: optionalText,
  created_at: optionalText,
  started_at: optionalText,
  completed_at: optionalText,
  html_url: optionalText,
  steps: z.array(jobStepSchema).nullish(),
});
export type GithubJob = z.infer<typeof jobSchema>;

export const jobsListSchema = z.object({
  total_count: z.number().nullish(),
  jobs: z.array(jobSchema),
});

const reviewerSchema = z.object({
  type: optionalText,
  reviewer: z.object({ login: optionalText, name: optionalText, slug: optionalText }).nullish(),
});

export const pendingDeploymentSchema = z.object({
  environment: z.object({ id: z.number(), name: text, html_url: optionalText }),
  wait_timer: z.number().nullish(),
  wait_timer_started_at: optionalText,
  current_user_can_approve: z.boolean().nullish(),
  reviewers: z.array(reviewerSchema).nullish(),
});
export type GithubPendingDeployment = z.infer<typeof pendingDeploymentSchema>;
export const pendingDeploymentsSchema = z.array(pendingDeploymentSchema);

export const environmentApprovalSchema = z.object({
  state: text,
  comment: optionalText,
  environments: z.array(z.object({ id: z.number().nullish(), name: optionalText })),
  user: userSchema.nullish(),
});
export type GithubEnvironmentApproval = z.infer<typeof environmentApprovalSchema>;
export const environmentApprovalsSchema = z.array(environmentApprovalSchema);

/** `GET /repos/{o}/{r}/contents/{path}`: a file comes base64-encoded in `content`. */
export const contentFileSchema = z.object({
  type: optionalText,
  encoding: optionalText,
  content: optionalText,
});

export const authenticatedUserSchema = userSchema;

/** The answer of `POST .../pending_deployments`: the deployments it created. */
export const deploymentsSchema = z.array(z.object({ id: z.number().nullish() }));

/**
 * Validates a payload, turning a mismatch into a `bad-response` SourceError that names the
 * endpoint and the field, so a strange answer becomes a health message instead of a crash.
 */
export function parseWire<T>(schema: z.ZodType<T>, body: unknown, endpoint: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? formatIssuePath(issue.path) : 'the answer';
  throw new SourceError(
    'bad-response',
    `GitHub sent an answer Pipewatch does not understand for ${endpoint}: ${field} ${issue?.message ?? 'is invalid'}.`,
  );
}
