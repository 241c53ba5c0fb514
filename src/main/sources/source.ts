import type {
  Decision,
  GateField,
  GateState,
  RateLimitBudget,
  SourceCapability,
  SourceKind,
} from '../../shared/model';
import type { PipelineOffer } from '../../shared/config';
import type { Status } from '../../shared/status';

/**
 * What every CI adapter implements. An adapter is a thin HTTP layer plus pure mappers: `poll`
 * returns a snapshot of what the provider shows now, in domain terms keyed by the provider's own
 * ids; the sync layer diffs it against the store and writes the changes in one transaction.
 */
export interface CiSource {
  readonly kind: SourceKind;
  /** What the provider lets us do besides reading; each has its method below. */
  readonly capabilities: readonly SourceCapability[];
  /** One poll. Throws `SourceError` for anything the poller should report as health. */
  poll(context: PollContext): Promise<PollSnapshot>;
  /** Re-reads a gate on the server right before a decision (someone else may have decided). */
  readGate(gate: GateRef): Promise<GateReading>;
  /** Approves or rejects a gate on the server, with values for the gate's fields. */
  decideGate(
    gate: GateRef,
    decision: Decision,
    comment: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<GateDecisionAnswer>;
  /** Fetches one step's log, or the whole stage's when `stepExternalId` is null. */
  fetchLog(log: LogRef): Promise<FetchedLog>;
  /** With capability 'rerun-build' (scope 'all') or 'rerun-failed' (scope 'failed'). */
  rerunBuild?(build: BuildRef, scope: 'all' | 'failed'): Promise<ActionAnswer>;
  /** With capability 'cancel-build'. */
  cancelBuild?(build: BuildRef): Promise<ActionAnswer>;
  /** With capability 'retry-stage'. */
  retryStage?(stage: StageRef): Promise<ActionAnswer>;
  /**
   * The shortest interval this source may poll at, when a provider budget shared with other
   * people demands it (Buildkite's per-organization limit); the poller never goes faster.
   */
  minimumIntervalSeconds?(): number;
  /** The provider's request budget as last seen, for the UI (GitHub's hourly limit, say). */
  rateLimit?(): RateLimitBudget | null;
  /**
   * Settings' "Test connection": a real request or two that say who the token belongs to and how
   * many pipelines the source would watch. Without it, the core polls once and counts pipelines.
   */
  testConnection?(signal?: AbortSignal): Promise<ConnectionProbe>;
  /**
   * The pipelines the source could watch, for Settings' picker, and the option a pick fills.
   * Without it, the core polls once and lists what that poll saw.
   */
  offeredPipelines?(signal?: AbortSignal): Promise<PipelineOffer>;
  /** Releases timers or connections; called once when the core stops. */
  close?(): Promise<void> | void;
}

/** What "Test connection" found. */
export interface ConnectionProbe {
  /** The token's identity (a login), or null when the provider does not say or there is none. */
  identity: string | null;
  pipelines: number;
  rateLimit: RateLimitBudget | null;
}

export interface PollContext {
  /** Checked by adapters between requests; a stopped poller abandons its work. */
  readonly signal: AbortSignal;
  /**
   * Builds the store already holds as finished, keyed by `finishedBuildKey`: an adapter need not
   * fetch or report them again unless the provider says they changed (a re-run).
   */
  readonly knownFinishedBuilds: ReadonlySet<string>;
}

/** The key of a build in `PollContext.knownFinishedBuilds`. */
export function finishedBuildKey(pipelineExternalId: string, buildExternalId: string): string {
  return `${pipelineExternalId}/${buildExternalId}`;
}

export interface PollSnapshot {
  pipelines: PipelineSnapshot[];
  /**
   * Builds the provider reported in this poll. Builds not listed are left as stored (a poll
   * usually sees only the newest page).
   */
  builds: BuildSnapshot[];
}

export interface PipelineSnapshot {
  externalId: string;
  name: string;
  webUrl: string | null;
}

export interface BuildSnapshot {
  pipelineExternalId: string;
  externalId: string;
  number: number;
  attempt: number;
  status: Status;
  /** The provider's word where \`status\` loses something ("Unstable", "Warnings"); see the model. */
  statusDetail?: string | null;
  branch: string | null;
  commitSha: string | null;
  commitMessage: string | null;
  author: string | null;
  trigger: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  webUrl: string | null;
  stages: StageSnapshot[];
  gates: GateSnapshot[];
}

export interface StageSnapshot {
  externalId: string;
  name: string;
  position: number;
  status: Status;
  /** The provider's word where \`status\` loses something ("Unstable", "Warnings"); see the model. */
  statusDetail?: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  webUrl: string | null;
  isGate: boolean;
  /** External ids of stages of the same build that this one needs. */
  needs: string[];
  /** The whole stage has a log of its own (GitHub job log, GitLab trace). */
  hasLog: boolean;
  steps: StepSnapshot[];
}

export interface StepSnapshot {
  externalId: string;
  number: number;
  name: string;
  status: Status;
  /** The provider's word where \`status\` loses something ("Unstable", "Warnings"); see the model. */
  statusDetail?: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  hasLog: boolean;
}

export interface GateSnapshot {
  externalId: string;
  stageExternalId: string | null;
  name: string;
  environment: string | null;
  state: GateState;
  canDecide: boolean | null;
  approvers: string[];
  waitingSince: string | null;
  expiresAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  fields: GateField[];
  detail: string | null;
}

/** Enough to address a build on its server. */
export interface BuildRef {
  pipelineExternalId: string;
  buildExternalId: string;
}

/** Enough to address a stage on its server. */
export interface StageRef extends BuildRef {
  stageExternalId: string;
}

/** A step's log, or with `stepExternalId` null the whole stage's. */
export interface LogRef extends StageRef {
  stepExternalId: string | null;
}

/** The server's answer to an action (rerun, cancel, retry), in words. */
export interface ActionAnswer {
  message: string;
}

/** Enough to address a gate on its server. */
export interface GateRef {
  pipelineExternalId: string;
  buildExternalId: string;
  gateExternalId: string;
}

export interface GateReading {
  state: GateState;
  canDecide: boolean | null;
  decidedBy: string | null;
}

export interface GateDecisionAnswer {
  /** Who the server says decided (the token's identity). */
  actor: string;
  /** The server's answer in words. */
  message: string;
}

export interface FetchedLog {
  /** The whole text; for a log that came in `pieces`, joined on first read. */
  readonly text: string;
  /**
   * The text in the pieces it arrived in, when it came from the network as it is: the core
   * stores (and indexes) these as they are, so a big log is never joined into one string.
   */
  readonly pieces?: readonly string[];
  complete: boolean;
}

/** A log kept in the pieces it arrived in; `text` joins them only if someone reads it. */
export function logFromPieces(pieces: readonly string[], complete: boolean): FetchedLog {
  let joined: string | null = null;
  return {
    pieces,
    complete,
    get text() {
      joined ??= pieces.join('');
      return joined;
    },
  };
}

export const SOURCE_ERROR_KINDS = [
  'auth',
  'forbidden',
  'not-found',
  'unreachable',
  'rate-limited',
  'server',
  'bad-response',
] as const;
export type SourceErrorKind = (typeof SOURCE_ERROR_KINDS)[number];

/**
 * A failure talking to a CI server, as a value the poller and the UI understand. The message is
 * for people and must never contain a token.
 */
export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    /** When the server said to come back (Retry-After, rate-limit reset), as epoch ms. */
    readonly retryAt: number | null = null,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
