import type { GateField } from '../../../shared/model';
import { isFinished, rollUpStatus, type Status } from '../../../shared/status';
import type { BuildSnapshot, GateSnapshot, StageSnapshot, StepSnapshot } from '../source';
import { latestDecision, type GateDecisionRecord } from './buildbot-state';
import { stringProperty, type BuildbotBuild, type BuildbotStep } from './buildbot-wire';
import {
  chainStages,
  observeStages,
  type ChainStage,
  type CheckInMaterial,
  type ObservedStage,
} from './chain-graph';
import type { TriggerEdge } from './chain-template';
import { forcedBy, gateDetail, resolveGate } from './map-gate';
import { requestStatus, resultDetail, stepStatus } from './map-status';

/** The change behind a check-in (`/builds/{id}/changes`), when a change started it. */
export interface ChangeInfo {
  author: string | null;
  message: string | null;
}

/** How a gate builder is forced: its ForceScheduler and that scheduler's own parameters. */
export interface GateInfo {
  scheduler: string | null;
  fields: GateField[];
}

export interface CheckInContext {
  builderNames: ReadonlyMap<number, string>;
  /** The Buildbot web root, ending in "/": links go to its UI (`#/builders/2/builds/7`). */
  webRoot: string;
  learnedEdges: readonly TriggerEdge[];
  decisions: readonly GateDecisionRecord[];
  /** Steps of builds, by build id; a build missing here shows no steps. */
  steps: ReadonlyMap<number, readonly BuildbotStep[]>;
  change: ChangeInfo | null;
  /** The number to show while the root request has no build yet (Buildbot numbers at start). */
  predictedNumber: number;
  gates: ReadonlyMap<string, GateInfo>;
  now: number;
}

export interface MappedCheckIn {
  build: BuildSnapshot;
}

/** The last second a `Date` can hold; a later time would throw in `toISOString`. */
const LAST_DATE_SECOND = 8.64e12;

function iso(seconds: number | null | undefined): string | null {
  return seconds === null || seconds === undefined || Math.abs(seconds) > LAST_DATE_SECOND
    ? null
    : new Date(seconds * 1000).toISOString();
}

/** A build's page in Buildbot's web UI. */
export function buildWebUrl(webRoot: string, build: BuildbotBuild): string {
  return `${webRoot}#/builders/${build.builderid}/builds/${build.number}`;
}

/** A stage Buildbot has not started: what its parents say about whether it ever will. */
function expectedStatus(parents: readonly Status[]): Status {
  if (
    parents.some((status) => status === 'failed' || status === 'cancelled' || status === 'blocked')
  )
    return 'blocked';
  if (parents.length === 0 || parents.some((status) => !isFinished(status))) return 'queued';
  // Every parent finished well without triggering it (a conditional Trigger step).
  return 'skipped';
}

function toSteps(stage: ObservedStage, context: CheckInContext): StepSnapshot[] {
  const latest = stage.walked.builds[stage.walked.builds.length - 1];
  if (!latest) return [];
  const done = latest.complete === true;
  return (context.steps.get(latest.buildid) ?? [])
    .filter((step) => !step.hidden)
    .map((step) => {
      const status = stepStatus(step, done);
      return {
        externalId: String(step.stepid),
        number: step.number,
        name: step.name,
        status,
        statusDetail: step.complete ? resultDetail(step.results) : null,
        startedAt: iso(step.started_at),
        finishedAt: isFinished(status) ? iso(step.complete_at) : null,
        hasLog: step.started_at !== null && step.started_at !== undefined,
      };
    });
}

function observedSnapshot(
  stage: ChainStage & { observed: ObservedStage },
  status: Status,
  position: number,
  context: CheckInContext,
): StageSnapshot {
  const { walked } = stage.observed;
  const latest = walked.builds[walked.builds.length - 1];
  return {
    externalId: stage.name,
    name: stage.name,
    position,
    status,
    statusDetail: latest?.complete && status !== 'queued' ? resultDetail(latest.results) : null,
    startedAt: iso(latest?.started_at),
    finishedAt: isFinished(status) ? iso(latest?.complete_at ?? walked.request.complete_at) : null,
    webUrl: latest
      ? buildWebUrl(context.webRoot, latest)
      : `${context.webRoot}#/buildrequests/${walked.request.buildrequestid}`,
    isGate: stage.isGate,
    needs: stage.needs,
    hasLog: false,
    steps: toSteps(stage.observed, context),
  };
}

/**
 * One check-in as a Pipewatch build: its chain of builders as stages (with the learned ones not
 * triggered yet), its gates, and its attempts (re-runs and RETRYs).
 */
export function mapCheckIn(material: CheckInMaterial, context: CheckInContext): MappedCheckIn {
  const { pipeline, root } = material;
  const observed = observeStages(material, context.builderNames);
  const rootName = [...observed.keys()][0] ?? pipeline.rootBuilder;
  const stages = chainStages(rootName, observed, context.learnedEdges, pipeline);
  const rootBuild = root.builds[root.builds.length - 1] ?? null;
  const revision = rootBuild
    ? (stringProperty(rootBuild, 'got_revision') ?? stringProperty(rootBuild, 'revision'))
    : null;

  const statuses = new Map<string, Status>();
  const snapshots: StageSnapshot[] = [];
  const gates: GateSnapshot[] = [];
  stages.forEach((stage, position) => {
    const gate = stage.isGate ? pipeline.gates.find((item) => item.builder === stage.name) : null;
    let status: Status;
    if (gate) {
      const after = snapshots.find((snapshot) => snapshot.externalId === gate.after) ?? null;
      const walked = stage.observed?.walked ?? null;
      const latest = walked?.builds[walked.builds.length - 1] ?? null;
      const resolved = resolveGate({
        afterStatus: after?.status ?? null,
        linked: walked
          ? {
              status: requestStatus(walked.request, walked.builds),
              forcedBy:
                forcedBy(walked.buildset?.reason) ??
                (latest ? stringProperty(latest, 'owner') : null),
              submittedAt:
                (walked.buildset?.submitted_at ?? walked.request.submitted_at ?? 0) * 1000 || null,
            }
          : null,
        decision: latestDecision(
          context.decisions,
          pipeline.name,
          root.request.buildrequestid,
          gate.builder,
        ),
      });
      status = resolved.stageStatus;
      if (resolved.state) {
        const info = context.gates.get(gate.builder) ?? {
          scheduler: gate.scheduler ?? null,
          fields: [],
        };
        gates.push({
          externalId: gate.builder,
          stageExternalId: gate.builder,
          name: gate.builder,
          environment: gate.builder,
          state: resolved.state,
          canDecide: null,
          approvers: [],
          waitingSince: after?.finishedAt ?? null,
          expiresAt: null,
          decidedBy: resolved.decidedBy,
          decidedAt:
            resolved.decidedAt === null ? null : new Date(resolved.decidedAt).toISOString(),
          comment: resolved.comment,
          fields: resolved.state === 'waiting' ? info.fields : [],
          detail: gateDetail(gate, resolved.state, info.scheduler, revision),
        });
      }
    } else if (stage.observed) {
      status = requestStatus(stage.observed.walked.request, stage.observed.walked.builds);
    } else {
      status = expectedStatus(stage.needs.map((name) => statuses.get(name) ?? 'unknown'));
    }
    statuses.set(stage.name, status);
    snapshots.push(
      stage.observed
        ? observedSnapshot({ ...stage, observed: stage.observed }, status, position, context)
        : {
            externalId: stage.name,
            name: stage.name,
            position,
            status,
            startedAt: null,
            finishedAt: null,
            webUrl: null,
            isGate: stage.isGate,
            needs: stage.needs,
            hasLog: false,
            steps: [],
          },
    );
  });

  const status = rollUpStatus(snapshots.map((snapshot) => snapshot.status));
  const ends = [
    ...snapshots.map((snapshot) => snapshot.finishedAt),
    ...gates.map((gate) => gate.decidedAt),
  ].filter((value): value is string => value !== null);
  const attempt = 1 + [...observed.values()].reduce((sum, stage) => sum + (stage.attempts - 1), 0);
  const firstBuild = root.builds[0] ?? null;
  return {
    build: {
      pipelineExternalId: pipeline.name,
      externalId: String(root.request.buildrequestid),
      number: rootBuild?.number ?? context.predictedNumber,
      attempt,
      status,
      // A pipeline that passed with warnings somewhere says so, as Buildbot's orange does.
      statusDetail:
        status === 'success' && snapshots.some((snapshot) => snapshot.statusDetail === 'Warnings')
          ? 'Warnings'
          : null,
      branch: rootBuild ? stringProperty(rootBuild, 'branch') : null,
      commitSha: revision,
      commitMessage: context.change?.message ?? null,
      author: context.change?.author ?? (rootBuild ? stringProperty(rootBuild, 'owner') : null),
      trigger: rootBuild ? stringProperty(rootBuild, 'scheduler') : null,
      createdAt:
        iso(root.request.submitted_at) ??
        iso(firstBuild?.started_at) ??
        new Date(context.now).toISOString(),
      startedAt: iso(firstBuild?.started_at),
      finishedAt: isFinished(status) && ends.length > 0 ? (ends.sort().at(-1) ?? null) : null,
      webUrl: rootBuild
        ? buildWebUrl(context.webRoot, rootBuild)
        : `${context.webRoot}#/buildrequests/${root.request.buildrequestid}`,
      stages: snapshots,
      gates,
    },
  };
}
