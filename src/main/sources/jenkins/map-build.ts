import { isActive, isFinished, type Status } from '../../../shared/status';
import type { BuildSnapshot, GateSnapshot, StageSnapshot, StepSnapshot } from '../source';
import { buildPath, jobDisplayName, jobPath, webUrl } from './job-path';
import type {
  CoreBuild,
  PendingInput,
  WfapiNode,
  WfapiRun,
  WfapiStageDetail,
} from './jenkins-wire';
import { historyGates, mapPendingGate, settledState } from './map-gate';
import { mapNodeStatus, mapRunStatus, statusWord } from './map-status';

/** The stage a build without `stage` blocks gets, so its whole console still has a place. */
export const CONSOLE_STAGE_ID = 'console';

/** A decision Pipewatch made itself, remembered to say who decided a gate. */
export interface RememberedDecision {
  actor: string;
  at: string;
  decision: 'approve' | 'reject';
}

/** Everything known about one build, gathered by the source from several endpoints. */
export interface JenkinsBuildInput {
  baseUrl: string;
  job: string;
  number: number;
  run: WfapiRun;
  /** The core API's row of this build (commit, causes), when fetched. */
  core: CoreBuild | null;
  /** Stage details (steps) by stage node id; stages missing here are shown without steps. */
  stageDetails: ReadonlyMap<string, WfapiStageDetail>;
  pendingInputs: readonly PendingInput[];
  /** Gates this build showed waiting in earlier polls (by input id). */
  earlierGates: readonly GateSnapshot[];
  decisions: ReadonlyMap<string, RememberedDecision>;
  identity: string | null;
  now: number;
}

/** The last instant a `Date` can hold; a later time would throw in `toISOString`. */
const LAST_DATE_MS = 8.64e15;

function iso(millis: number | null | undefined): string | null {
  return typeof millis === 'number' && millis > 0 && millis <= LAST_DATE_MS
    ? new Date(millis).toISOString()
    : null;
}

/** Digits as a build number, or null beyond 2^53 (no build number Jenkins could mean). */
function buildNumberFrom(digits: string | undefined): number | null {
  if (digits === undefined) return null;
  const number = Number(digits);
  return Number.isSafeInteger(number) ? number : null;
}

function finishedAt(node: WfapiNode | WfapiRun, status: Status): string | null {
  if (!isFinished(status)) return null;
  const start = node.startTimeMillis ?? 0;
  const end = 'endTimeMillis' in node ? node.endTimeMillis : null;
  return iso(end ?? (start > 0 ? start + (node.durationMillis ?? 0) : null));
}

/**
 * The build number of a wfapi run. Newer Jenkins ids are the number; older ones are a timestamp,
 * so the `self` link (`.../16/wfapi/describe`) or the `#16` name tells it.
 */
export function runNumber(run: WfapiRun): number | null {
  if (run.id && /^\d+$/.test(run.id)) return buildNumberFrom(run.id);
  const fromLink = /\/(\d+)\/wfapi\/describe\/?$/.exec(run._links?.self?.href ?? '');
  if (fromLink?.[1]) return buildNumberFrom(fromLink[1]);
  const fromName = /^#(\d+)$/.exec(run.name ?? '');
  return buildNumberFrom(fromName?.[1]);
}

function stepName(node: WfapiNode): string {
  const name = node.name?.trim() || `Step ${node.id}`;
  const argument = node.parameterDescription?.replace(/\s+/g, ' ').trim();
  if (!argument) return name;
  return `${name} — ${argument.length > 80 ? `${argument.slice(0, 79)}…` : argument}`;
}

function mapSteps(detail: WfapiStageDetail | undefined, buildActive: boolean): StepSnapshot[] {
  return (detail?.stageFlowNodes ?? []).map((node, index) => {
    const status = mapNodeStatus(node.status, buildActive);
    return {
      externalId: node.id,
      number: index + 1,
      name: stepName(node),
      status,
      statusDetail: statusWord(node.status),
      startedAt: iso(node.startTimeMillis),
      finishedAt: finishedAt(node, status),
      hasLog: Boolean(node._links?.log),
    };
  });
}

function mapStages(
  input: JenkinsBuildInput,
  buildStatus: Status,
  buildUrl: string,
): StageSnapshot[] {
  const active = isActive(buildStatus);
  const stages = input.run.stages ?? [];
  if (stages.length === 0) {
    return [
      {
        externalId: CONSOLE_STAGE_ID,
        name: 'Console',
        position: 0,
        status: buildStatus,
        statusDetail: statusWord(input.run.status),
        startedAt: iso(input.run.startTimeMillis),
        finishedAt: finishedAt(input.run, buildStatus),
        webUrl: `${buildUrl}console`,
        isGate: false,
        needs: [],
        hasLog: true,
        steps: [],
      },
    ];
  }
  return stages.map((stage, index) => {
    const status = mapNodeStatus(stage.status, active);
    const previous = stages[index - 1];
    return {
      externalId: stage.id,
      name: stage.name?.trim() || `Stage ${stage.id}`,
      position: index,
      status,
      statusDetail: statusWord(stage.status),
      startedAt: iso(stage.startTimeMillis),
      finishedAt: finishedAt(stage, status),
      webUrl: `${buildUrl}execution/node/${encodeURIComponent(stage.id)}/`,
      isGate: stage.status === 'PAUSED_PENDING_INPUT',
      // wfapi lists stages in order and has no edges: the graph is the sequence.
      needs: previous ? [previous.id] : [],
      hasLog: true,
      steps: mapSteps(input.stageDetails.get(stage.id), active),
    };
  });
}

/** Stages where an input waits, in order, each with when its input step began waiting. */
function pausedPlaces(input: JenkinsBuildInput, stages: readonly StageSnapshot[]) {
  return stages
    .filter(
      (stage) =>
        stage.status === 'waiting' || stage.steps.some((step) => step.status === 'waiting'),
    )
    .map((stage) => {
      const step = stage.steps.find((candidate) => candidate.status === 'waiting');
      return {
        stageExternalId: stage.externalId,
        stageName: stage.name,
        waitingSince: step?.startedAt ?? stage.startedAt ?? iso(input.now),
      };
    });
}

function mapGates(
  input: JenkinsBuildInput,
  stages: StageSnapshot[],
  status: Status,
): GateSnapshot[] {
  const places = pausedPlaces(input, stages);
  const waiting = input.pendingInputs.map((pending, index) =>
    mapPendingGate(
      pending,
      places[Math.min(index, places.length - 1)] ?? {
        stageExternalId: null,
        stageName: null,
        waitingSince: iso(input.now),
      },
      input.number,
      input.identity,
    ),
  );
  const waitingIds = new Set(waiting.map((gate) => gate.externalId));
  const settled = input.earlierGates
    .filter((gate) => !waitingIds.has(gate.externalId))
    .map((gate): GateSnapshot => {
      const decision = input.decisions.get(gate.externalId);
      const stage = stages.find((candidate) => candidate.externalId === gate.stageExternalId);
      return {
        ...gate,
        state: decision
          ? decision.decision === 'approve'
            ? 'approved'
            : 'rejected'
          : settledState(stage, status),
        canDecide: false,
        decidedBy: decision?.actor ?? null,
        decidedAt: decision?.at ?? null,
      };
    });
  const known = [...waiting, ...settled];
  const covered = new Set(known.flatMap((gate) => gate.stageExternalId ?? []));
  return [...known, ...historyGates(stages, covered)];
}

function normalizeBranch(name: string): string {
  return name
    .replace(/^refs\/remotes\/[^/]+\//, '')
    .replace(/^refs\/heads\//, '')
    .replace(/^origin\//, '');
}

/** Commit, branch, author and trigger from the core API's row, where Jenkins recorded them. */
export function buildOrigin(
  core: CoreBuild | null,
): Pick<BuildSnapshot, 'branch' | 'commitSha' | 'commitMessage' | 'author' | 'trigger'> {
  const actions = (core?.actions ?? []).filter((action) => action !== null);
  const revision = actions.find((action) => action.lastBuiltRevision)?.lastBuiltRevision;
  const causes = actions.flatMap((action) => action.causes ?? []);
  const commits = (core?.changeSets ?? []).flatMap((set) => set.items ?? []);
  const lastCommit = commits[commits.length - 1];
  const branch = revision?.branch?.find((candidate) => candidate.name)?.name;
  return {
    branch: branch ? normalizeBranch(branch) : null,
    commitSha: revision?.SHA1 ?? lastCommit?.commitId ?? null,
    commitMessage: lastCommit?.msg?.trim() || null,
    author:
      lastCommit?.author?.fullName ?? causes.find((cause) => cause.userName)?.userName ?? null,
    trigger: causes.find((cause) => cause.shortDescription)?.shortDescription ?? null,
  };
}

/** One Jenkins build in domain terms: stages in sequence, inputs as gates, origin from core. */
export function mapBuild(input: JenkinsBuildInput): BuildSnapshot {
  const status = mapRunStatus(input.run.status);
  const buildUrl = webUrl(input.baseUrl, buildPath(input.job, input.number));
  const stages = mapStages(input, status, buildUrl);
  const gates = mapGates(input, stages, status);
  const gateStages = new Set(gates.flatMap((gate) => gate.stageExternalId ?? []));
  const startedAt = iso(input.run.startTimeMillis);
  return {
    pipelineExternalId: input.job,
    externalId: String(input.number),
    number: input.number,
    attempt: 1,
    status,
    statusDetail: statusWord(input.run.status),
    ...buildOrigin(input.core),
    createdAt: iso(input.core?.timestamp) ?? startedAt ?? new Date(input.now).toISOString(),
    startedAt,
    finishedAt: finishedAt(input.run, status),
    webUrl: buildUrl,
    stages: stages.map((stage) =>
      gateStages.has(stage.externalId) ? { ...stage, isGate: true } : stage,
    ),
    gates,
  };
}

/** A watched job as a pipeline. */
export function mapPipeline(baseUrl: string, job: string) {
  return { externalId: job, name: jobDisplayName(job), webUrl: webUrl(baseUrl, jobPath(job)) };
}
