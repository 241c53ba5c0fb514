import { z } from 'zod';
import {
  auditEntrySchema,
  desktopNotificationSchema,
  notificationPreferencesSchema,
  buildDetailSchema,
  buildSummarySchema,
  decisionResultSchema,
  decisionSchema,
  inboxItemSchema,
  logTextSchema,
  pipelineSummarySchema,
  sourceSchema,
} from './model';
import {
  appPreferencesSchema,
  logStorageMegabytesSchema,
  connectionTestSchema,
  draftIssueSchema,
  pipelineOfferSchema,
  sourceDraftSchema,
  sourceKindInfoSchema,
  sourceSettingSchema,
} from './config';
import {
  logBlockSchema,
  logComparisonSchema,
  logHeadSchema,
  logSearchResultSchema,
} from './log/log-api';
import { statusSchema } from './status';

/**
 * The one API contract. Every operation is declared here once: its input and output schemas
 * and how it maps onto HTTP. The core implements it (`ApiHandlers`), the preload bridges it over
 * IPC, the serve-mode HTTP server serves it, and the renderer calls it through `ApiClient`
 * without knowing which transport carries it.
 *
 * HTTP mapping: path parameters (`:name`) and, for GET, query parameters form the input; for
 * POST the JSON body is merged with the path parameters. Inputs use `z.coerce` for numbers so
 * the same schema validates IPC arguments and URL strings.
 */

const entityId = z.coerce.number().int().positive();

/** The answer to a request that acts on the CI server, in words. */
const actionResultSchema = z.object({ message: z.string() });

function operation<I extends z.ZodType, O extends z.ZodType>(spec: {
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  input: I;
  output: O;
}) {
  return spec;
}

export const operations = {
  'sources/list': operation({
    method: 'GET',
    path: '/api/sources',
    summary: 'Every configured source with its health.',
    input: z.object({}),
    output: z.array(sourceSchema),
  }),
  'sources/refresh': operation({
    method: 'POST',
    path: '/api/sources/:sourceId/refresh',
    summary: 'Poll a source now instead of waiting for its next turn.',
    input: z.object({ sourceId: entityId }),
    output: z.object({ queued: z.boolean() }),
  }),
  'pipelines/list': operation({
    method: 'GET',
    path: '/api/pipelines',
    summary: 'Every pipeline with its most recent builds (newest first) and their stages.',
    input: z.object({ builds: z.coerce.number().int().min(1).max(50).default(5) }),
    output: z.array(pipelineSummarySchema),
  }),
  'builds/list': operation({
    method: 'GET',
    path: '/api/pipelines/:pipelineId/builds',
    summary: 'Builds of one pipeline, newest first, with their stages; page with `before`.',
    input: z.object({
      pipelineId: entityId,
      limit: z.coerce.number().int().min(1).max(500).default(50),
      /** Only builds with a number lower than this (for paging back through history). */
      before: z.coerce.number().int().optional(),
      branch: z.string().optional(),
      status: statusSchema.optional(),
    }),
    output: z.array(buildSummarySchema),
  }),
  'builds/get': operation({
    method: 'GET',
    path: '/api/builds/:buildId',
    summary: 'One build with its graph (stages with steps and needs), and its gates.',
    input: z.object({ buildId: entityId }),
    output: buildDetailSchema,
  }),
  'logs/get': operation({
    method: 'GET',
    path: '/api/steps/:stepId/log',
    summary: "A step's log text, fetched from the source on first request and then cached.",
    input: z.object({ stepId: entityId }),
    output: logTextSchema,
  }),
  'logs/stage': operation({
    method: 'GET',
    path: '/api/stages/:stageId/log',
    summary: "A whole stage's log (a GitHub job, a GitLab job trace), fetched once and cached.",
    input: z.object({ stageId: entityId }),
    output: logTextSchema,
  }),
  'logs/open': operation({
    method: 'GET',
    path: '/api/stages/:stageId/log/head',
    summary:
      "What a stage's (or step's) log is stored as, fetched from the source first when it is not stored or still growing: its size, completeness and the number of blocks to read with logs/block.",
    input: z.object({
      stageId: entityId,
      stepId: entityId.optional(),
      /**
       * Fetch from the source even when a complete copy is stored (that copy was found damaged);
       * the stored copy stays the answer if the source cannot give the log.
       */
      refresh: z.union([z.boolean(), z.stringbool()]).optional(),
    }),
    output: logHeadSchema,
  }),
  'logs/block': operation({
    method: 'GET',
    path: '/api/stages/:stageId/log/blocks/:block',
    summary:
      'One block of a stored log, of the copy fetched at `fetchedAt` (as logs/open answered); a conflict when the log was fetched again since, so that a reader never joins blocks of two copies.',
    input: z.object({
      stageId: entityId,
      stepId: entityId.optional(),
      block: z.coerce.number().int().nonnegative(),
      fetchedAt: z.string().min(1),
    }),
    output: logBlockSchema,
  }),
  'logs/search': operation({
    method: 'GET',
    path: '/api/pipelines/:pipelineId/logs/search',
    summary:
      'Stored logs of a pipeline containing all the words, one hit per log at its first matching line, by build (oldest first: "when did it first appear?"), with how many logs were searched and which were not.',
    input: z.object({
      pipelineId: entityId,
      query: z.string().trim().min(1).max(200),
      order: z.enum(['oldest', 'newest']).default('oldest'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    output: logSearchResultSchema,
  }),
  'logs/compare': operation({
    method: 'GET',
    path: '/api/stages/:stageId/log/compare',
    summary:
      "Lines of a stage's (or step's) log that the same stage's log in the last green build does not have.",
    input: z.object({ stageId: entityId, stepId: entityId.optional() }),
    output: logComparisonSchema,
  }),
  'builds/rerun': operation({
    method: 'POST',
    path: '/api/builds/:buildId/rerun',
    summary: 'Asks the CI server to run the build again: all of it, or only its failed stages.',
    input: z.object({ buildId: entityId, scope: z.enum(['all', 'failed']).default('failed') }),
    output: actionResultSchema,
  }),
  'builds/cancel': operation({
    method: 'POST',
    path: '/api/builds/:buildId/cancel',
    summary: 'Asks the CI server to cancel a running build.',
    input: z.object({ buildId: entityId }),
    output: actionResultSchema,
  }),
  'stages/retry': operation({
    method: 'POST',
    path: '/api/stages/:stageId/retry',
    summary: 'Asks the CI server to run one stage (job) again.',
    input: z.object({ stageId: entityId }),
    output: actionResultSchema,
  }),
  'gates/inbox': operation({
    method: 'GET',
    path: '/api/gates',
    summary: 'Every gate waiting for a decision, across sources, newest first.',
    input: z.object({}),
    output: z.array(inboxItemSchema),
  }),
  'gates/decide': operation({
    method: 'POST',
    path: '/api/gates/:gateId/decide',
    summary:
      'Approve or reject a gate on the CI server. Re-reads the gate first; idempotent per requestId.',
    input: z.object({
      gateId: entityId,
      decision: decisionSchema,
      comment: z.string().max(10_000).default(''),
      /** One per user action; repeating it never decides twice. */
      requestId: z.string().min(8).max(100),
      /** Values for the gate's `fields` (Jenkins input parameters, Buildkite block fields). */
      fields: z.record(z.string(), z.string()).default({}),
    }),
    output: decisionResultSchema,
  }),
  'notifications/settings': operation({
    method: 'GET',
    path: '/api/notifications/settings',
    summary: 'Muted pipelines and whose builds notify.',
    input: z.object({}),
    output: notificationPreferencesSchema,
  }),
  'notifications/mute': operation({
    method: 'POST',
    path: '/api/pipelines/:pipelineId/mute',
    summary: "Mutes or unmutes one pipeline's notifications.",
    input: z.object({ pipelineId: entityId, muted: z.boolean() }),
    output: notificationPreferencesSchema,
  }),
  'notifications/only-authors': operation({
    method: 'POST',
    path: '/api/notifications/only-authors',
    summary: '"Only my builds": notify only for these authors; empty for everyone.',
    input: z.object({ authors: z.array(z.string().max(200)).max(50) }),
    output: notificationPreferencesSchema,
  }),
  'audit/list': operation({
    method: 'GET',
    path: '/api/audit',
    summary: 'Every decision attempt, newest first.',
    input: z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(200) }),
    output: z.array(auditEntrySchema),
  }),
  'settings/source-kinds': operation({
    method: 'GET',
    path: '/api/settings/source-kinds',
    summary: 'The kinds of source Settings can add, each with its option fields.',
    input: z.object({}),
    output: z.array(sourceKindInfoSchema),
  }),
  'settings/sources': operation({
    method: 'GET',
    path: '/api/settings/sources',
    summary:
      'Every source with its settings and where they come from; how tokens are given, never tokens.',
    input: z.object({}),
    output: z.array(sourceSettingSchema),
  }),
  'settings/validate-source': operation({
    method: 'POST',
    path: '/api/settings/sources/validate',
    summary: 'Checks a source as typed in Settings; answers every problem, naming its field.',
    input: z.object({ draft: sourceDraftSchema, isNew: z.boolean().default(true) }),
    output: z.object({ issues: z.array(draftIssueSchema) }),
  }),
  'settings/test-source': operation({
    method: 'POST',
    path: '/api/settings/sources/test',
    summary:
      'Makes one real request through the adapter: identity, pipelines, rate limit, or the error.',
    input: z.object({ draft: sourceDraftSchema }),
    output: connectionTestSchema,
  }),
  'settings/offered-pipelines': operation({
    method: 'POST',
    path: '/api/settings/sources/pipelines',
    summary: 'The pipelines a source offers to watch (GitHub: the workflows of its repositories).',
    input: z.object({ draft: sourceDraftSchema }),
    output: pipelineOfferSchema,
  }),
  'settings/save-source': operation({
    method: 'POST',
    path: '/api/settings/sources/save',
    summary:
      'Adds (isNew) or changes a source managed in the app, storing a typed token as a secret.',
    input: z.object({ draft: sourceDraftSchema, isNew: z.boolean() }),
    output: sourceSettingSchema,
  }),
  'settings/enable-source': operation({
    method: 'POST',
    path: '/api/settings/sources/:key/enabled',
    summary: 'Starts or stops polling a source managed in the app, keeping its history.',
    input: z.object({ key: z.string().max(200), enabled: z.boolean() }),
    output: sourceSettingSchema,
  }),
  'settings/remove-source': operation({
    method: 'POST',
    path: '/api/settings/sources/:key/remove',
    summary: 'Removes a source managed in the app, with its stored token and its builds.',
    input: z.object({ key: z.string().max(200) }),
    output: z.object({ removed: z.boolean() }),
  }),
  'settings/app': operation({
    method: 'GET',
    path: '/api/settings/app',
    summary:
      'App preferences: start at login (null where this shell cannot offer it) and the disk budget for stored logs with what they take now.',
    input: z.object({}),
    output: appPreferencesSchema,
  }),
  'settings/app-update': operation({
    method: 'POST',
    path: '/api/settings/app',
    summary:
      'Changes app preferences: start at login (desktop app only), the disk budget for stored logs in MiB (applied at once: past it the logs fetched longest ago go).',
    input: z.object({
      startAtLogin: z.boolean().optional(),
      logStorageMegabytes: logStorageMegabytesSchema.optional(),
    }),
    output: appPreferencesSchema,
  }),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<K extends OperationName> = z.input<Operations[K]['input']>;
export type ParsedInput<K extends OperationName> = z.output<Operations[K]['input']>;
export type OperationOutput<K extends OperationName> = z.output<Operations[K]['output']>;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

/** Events pushed from the core to every client. The renderer never polls. */
export const events = {
  /** Builds were added or changed; the listed pipelines should be re-read. */
  'builds/changed': z.object({
    pipelineIds: z.array(z.number().int()),
    buildIds: z.array(z.number().int()),
  }),
  /** A source's health or poll times changed. */
  'sources/changed': z.object({ source: sourceSchema }),
  /** A gate appeared, was decided or expired. */
  'gates/changed': z.object({ gateIds: z.array(z.number().int()) }),
  /** A desktop notification: a gate started waiting, a pipeline turned red or recovered. */
  'notifications/show': desktopNotificationSchema,
  /** Sources were added, changed, enabled, disabled or removed in Settings: re-read the lists. */
  'sources/configured': z.object({ keys: z.array(z.string()) }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const EVENT_NAMES = Object.keys(events) as EventName[];

/** What the core implements: one async handler per operation, given validated input. */
export type ApiHandlers = {
  [K in OperationName]: (input: ParsedInput<K>) => Promise<OperationOutput<K>>;
};

export type Unsubscribe = () => void;
export type EventListener<K extends EventName> = (payload: EventPayload<K>) => void;

/**
 * What the renderer calls: the same operations, plus a subscription to pushed events.
 * Implemented by the IPC client (Electron) and the HTTP client (serve mode).
 */
export type ApiClient = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<OperationOutput<K>>;
} & {
  on<K extends EventName>(event: K, listener: EventListener<K>): Unsubscribe;
};

/** An error that crosses the contract: a code a program can test and a message a person reads. */
export const apiErrorSchema = z.object({
  code: z.enum([
    'bad-request',
    'not-found',
    'unauthorized',
    'conflict',
    'source-error',
    'internal',
  ]),
  message: z.string(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/**
 * What an operation answers across Electron's contextBridge, which would pass on only the message
 * of a thrown error: the error travels as data, and the renderer throws it again as an ApiError
 * with its code (a "conflict" must stay a conflict).
 */
export type BridgeResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

/** `window.pipewatch` in the desktop app: one function per operation and `on`. */
export type ApiBridge = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<BridgeResult>;
} & Pick<ApiClient, 'on'>;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validates an operation's input; throws ApiError('bad-request') naming the bad field. */
export function parseInput<K extends OperationName>(name: K, input: unknown): ParsedInput<K> {
  const result = operations[name].input.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
    throw new ApiError('bad-request', `${name}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data as ParsedInput<K>;
}
