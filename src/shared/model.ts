import { z } from 'zod';
import { statusSchema } from './status';

/**
 * The domain model, normalized across providers. Wire types (what a provider sends) live in
 * each adapter; these are what the rest of the app means. Timestamps are ISO-8601 strings so
 * that every value survives JSON (IPC, HTTP, SQLite) unchanged.
 */

export const SOURCE_KINDS = [
  'demo',
  'github',
  'gitlab',
  'jenkins',
  'buildbot',
  'buildkite',
  'circleci',
  'cctray',
] as const;
export const sourceKindSchema = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof sourceKindSchema>;

const isoTime = z.string();
const id = z.number().int().positive();

/** How a source's last polls went, shown in the UI instead of being hidden. */
export const HEALTH_STATES = [
  'pending',
  'ok',
  'backing-off',
  'auth-failed',
  'unreachable',
  'bad-response',
] as const;
export const healthStateSchema = z.enum(HEALTH_STATES);
export type HealthState = z.infer<typeof healthStateSchema>;

export const sourceHealthSchema = z.object({
  state: healthStateSchema,
  /** A sentence for a person: what went wrong and what Pipewatch does about it. */
  message: z.string().nullable(),
  lastPollAt: isoTime.nullable(),
  lastSuccessAt: isoTime.nullable(),
  nextPollAt: isoTime.nullable(),
  /** Set while backing off after errors or a rate limit. */
  backoffUntil: isoTime.nullable(),
  consecutiveFailures: z.number().int().nonnegative(),
});
export type SourceHealth = z.infer<typeof sourceHealthSchema>;

/** What a source's provider lets Pipewatch do besides reading; the UI offers only these. */
export const SOURCE_CAPABILITIES = [
  'rerun-build',
  'rerun-failed',
  'cancel-build',
  'retry-stage',
] as const;
export const sourceCapabilitySchema = z.enum(SOURCE_CAPABILITIES);
export type SourceCapability = z.infer<typeof sourceCapabilitySchema>;

/** A provider's request budget as last seen (GitHub: 5,000 an hour per token). */
export const rateLimitBudgetSchema = z.object({
  remaining: z.number().int().nonnegative(),
  limit: z.number().int().nonnegative(),
  resetAt: isoTime,
});
export type RateLimitBudget = z.infer<typeof rateLimitBudgetSchema>;

export const sourceSchema = z.object({
  id,
  /** The id given in the config file; stable across restarts. */
  key: z.string(),
  kind: sourceKindSchema,
  name: z.string(),
  baseUrl: z.string().nullable(),
  isDemo: z.boolean(),
  enabled: z.boolean(),
  health: sourceHealthSchema,
  capabilities: z.array(sourceCapabilitySchema),
  rateLimit: rateLimitBudgetSchema.nullable(),
  /** Set when the provider's shared budget limits how often this source may poll. */
  minimumIntervalSeconds: z.number().nonnegative().nullable(),
});
export type Source = z.infer<typeof sourceSchema>;

export const pipelineSchema = z.object({
  id,
  sourceId: id,
  externalId: z.string(),
  name: z.string(),
  webUrl: z.string().nullable(),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

export const stepSchema = z.object({
  id,
  stageId: id,
  externalId: z.string(),
  number: z.number().int(),
  name: z.string(),
  status: statusSchema,
  /**
   * The provider's own word where \`status\` loses something: Jenkins "Unstable" (tests failed, the
   * build went on) is \`failed\` with detail "Unstable"; Buildbot "Warnings" is \`success\`. Null
   * when the status says it all.
   */
  statusDetail: z.string().nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  /** True when the source can fetch this step's log. */
  hasLog: z.boolean(),
});
export type Step = z.infer<typeof stepSchema>;

export const stageSchema = z.object({
  id,
  buildId: id,
  externalId: z.string(),
  name: z.string(),
  /** Order within the build as the provider gives it (stage order, start order). */
  position: z.number().int(),
  status: statusSchema,
  /**
   * The provider's own word where \`status\` loses something: Jenkins "Unstable" (tests failed, the
   * build went on) is \`failed\` with detail "Unstable"; Buildbot "Warnings" is \`success\`. Null
   * when the status says it all.
   */
  statusDetail: z.string().nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  webUrl: z.string().nullable(),
  /** This stage is a manual gate (its gate is in the build's `gates`). */
  isGate: z.boolean(),
  /** External ids of the stages this one needs (the graph's edges point from these to it). */
  needs: z.array(z.string()),
  /** True when the source can fetch the whole stage's log (GitHub job logs, GitLab traces). */
  hasLog: z.boolean(),
  steps: z.array(stepSchema),
});
export type Stage = z.infer<typeof stageSchema>;

export const buildSchema = z.object({
  id,
  pipelineId: id,
  externalId: z.string(),
  number: z.number().int(),
  attempt: z.number().int().positive(),
  status: statusSchema,
  /**
   * The provider's own word where \`status\` loses something: Jenkins "Unstable" (tests failed, the
   * build went on) is \`failed\` with detail "Unstable"; Buildbot "Warnings" is \`success\`. Null
   * when the status says it all.
   */
  statusDetail: z.string().nullable(),
  branch: z.string().nullable(),
  commitSha: z.string().nullable(),
  commitMessage: z.string().nullable(),
  author: z.string().nullable(),
  trigger: z.string().nullable(),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  webUrl: z.string().nullable(),
});
export type Build = z.infer<typeof buildSchema>;

export const GATE_STATES = ['waiting', 'approved', 'rejected', 'expired'] as const;
export const gateStateSchema = z.enum(GATE_STATES);
export type GateState = z.infer<typeof gateStateSchema>;

/**
 * An input a provider asks for when deciding a gate: Jenkins `input` parameters, Buildkite
 * block-step fields. Rendered as a form; values travel as strings.
 */
export const gateFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'multiline', 'select', 'boolean', 'password']),
  required: z.boolean(),
  options: z.array(z.string()),
  defaultValue: z.string().nullable(),
  hint: z.string().nullable(),
});
export type GateField = z.infer<typeof gateFieldSchema>;

export const gateSchema = z.object({
  id,
  buildId: id,
  /** The stage this gate guards, when the provider models it as one. */
  stageExternalId: z.string().nullable(),
  externalId: z.string(),
  name: z.string(),
  environment: z.string().nullable(),
  state: gateStateSchema,
  /** Whether the token's identity may decide: true/false where the provider says, null = unknown. */
  canDecide: z.boolean().nullable(),
  /** Who may decide, as the provider names them (users, teams). */
  approvers: z.array(z.string()),
  waitingSince: isoTime.nullable(),
  expiresAt: isoTime.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: isoTime.nullable(),
  comment: z.string().nullable(),
  /** Inputs the provider asks for with the decision. */
  fields: z.array(gateFieldSchema),
  /** Provider-specific progress in words, e.g. "1 of 2 approvals; then the job must be played". */
  detail: z.string().nullable(),
});
export type Gate = z.infer<typeof gateSchema>;

export const DECISIONS = ['approve', 'reject'] as const;
export const decisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof decisionSchema>;

export const AUDIT_OUTCOMES = ['done', 'already-decided', 'expired', 'forbidden', 'error'] as const;
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

export const auditEntrySchema = z.object({
  id,
  at: isoTime,
  /** The identity the source's token belongs to, or the local user for the demo. */
  actor: z.string(),
  gateId: id.nullable(),
  buildId: id.nullable(),
  pipelineName: z.string(),
  buildNumber: z.number().int(),
  gateName: z.string(),
  decision: decisionSchema,
  comment: z.string(),
  outcome: auditOutcomeSchema,
  /** What the CI server answered, in words. */
  serverAnswer: z.string(),
  /** The client's idempotency key: one per click, never reused. */
  requestId: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** A build with its stages (no steps needed) for rows of dots and the matrix. */
export const stageSummarySchema = stageSchema.pick({
  id: true,
  externalId: true,
  name: true,
  position: true,
  status: true,
  statusDetail: true,
  startedAt: true,
  finishedAt: true,
  isGate: true,
});
export type StageSummary = z.infer<typeof stageSummarySchema>;

export const buildSummarySchema = buildSchema.extend({
  stages: z.array(stageSummarySchema),
});
export type BuildSummary = z.infer<typeof buildSummarySchema>;

export const pipelineSummarySchema = pipelineSchema.extend({
  sourceName: z.string(),
  sourceKind: sourceKindSchema,
  isDemo: z.boolean(),
  /** Newest first. */
  recentBuilds: z.array(buildSummarySchema),
  waitingGates: z.number().int().nonnegative(),
});
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;

export const buildDetailSchema = z.object({
  build: buildSchema,
  pipeline: pipelineSchema,
  stages: z.array(stageSchema),
  gates: z.array(gateSchema),
});
export type BuildDetail = z.infer<typeof buildDetailSchema>;

/** A gate in the approvals inbox, with the evidence a person needs to decide. */
export const inboxItemSchema = z.object({
  gate: gateSchema,
  pipeline: pipelineSchema,
  sourceName: z.string(),
  isDemo: z.boolean(),
  build: buildSchema,
  passedStages: z.array(stageSummarySchema),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

export const logTextSchema = z.object({
  stageId: id,
  /** Null for a whole stage's log. */
  stepId: id.nullable(),
  text: z.string(),
  /** The log is complete (the step finished); false while it is still growing. */
  complete: z.boolean(),
  fetchedAt: isoTime,
});
export type LogText = z.infer<typeof logTextSchema>;

export const decisionResultSchema = z.object({
  outcome: auditOutcomeSchema,
  message: z.string(),
  gate: gateSchema.nullable(),
});
export type DecisionResult = z.infer<typeof decisionResultSchema>;

export const NOTIFICATION_KINDS = [
  'gate-waiting',
  'pipeline-failed',
  'pipeline-recovered',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * A desktop notification the core pushes to the shells (the `notifications/show` event): only on
 * state changes — a gate starts waiting, a pipeline turns red or recovers.
 */
export const desktopNotificationSchema = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  body: z.string(),
  pipelineId: z.number().int(),
  buildId: z.number().int(),
  /** The gate that started waiting (kind `gate-waiting`), else null. */
  gateId: z.number().int().nullable(),
  /** A notification with the same tag replaces the previous one instead of stacking up. */
  tag: z.string(),
});
export type DesktopNotification = z.infer<typeof desktopNotificationSchema>;

/** Which notifications a person wants: muted pipelines, and "only my builds". */
export const notificationPreferencesSchema = z.object({
  mutedPipelineIds: z.array(z.number().int()),
  /** Notify only for builds by these authors (case-insensitive); empty means everyone's. */
  onlyAuthors: z.array(z.string()),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;
