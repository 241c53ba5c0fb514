import { isFinished, rollUpStatus, type Status } from '../../../shared/status';
import type { BuildSnapshot, StageSnapshot } from '../source';
import type { HistoryBuild } from './build-history';
import type { PipelineObservation } from './map-cctray';

function stageOrder(observation: PipelineObservation, build: HistoryBuild): string[] {
  const names = observation.stages.map((stage) => stage.name);
  // A stage the feed no longer lists still ran in this build: show it after the others.
  for (const run of build.runs) if (!names.includes(run.stage)) names.push(run.stage);
  return names;
}

/** The status of a stage the build has no run of, or null when it did not run at all. */
function absentStatus(earlier: readonly StageSnapshot[]): Status | null {
  const statuses = earlier.map((stage) => stage.status);
  if (statuses.some((status) => status === 'failed' || status === 'cancelled')) return 'blocked';
  if (statuses.includes('blocked')) return 'blocked';
  if (statuses.some((status) => status === 'running' || status === 'queued')) return 'queued';
  // Finished earlier stages and no run of this one: it did not run in this build (a manual GoCD
  // stage nobody triggered), or the feed never showed it. Leave it out rather than guess.
  return null;
}

function latest(times: readonly (string | null)[]): string | null {
  return (
    times
      .filter((time): time is string => time !== null)
      .sort()
      .at(-1) ?? null
  );
}

function earliest(times: readonly (string | null)[]): string | null {
  return (
    times
      .filter((time): time is string => time !== null)
      .sort()
      .at(0) ?? null
  );
}

/**
 * A remembered build as Pipewatch's snapshot: stages in the feed's order, each needing the one
 * before (cctray knows no graph; GoCD runs stages in sequence), stages after a failure blocked.
 */
export function toBuildSnapshot(
  observation: PipelineObservation,
  build: HistoryBuild,
): BuildSnapshot {
  const stages: StageSnapshot[] = [];
  stageOrder(observation, build).forEach((name, position) => {
    const run = build.runs.find((candidate) => candidate.stage === name);
    const status = run?.status ?? absentStatus(stages);
    if (status === null) return;
    const before = stages.at(-1);
    stages.push({
      externalId: name,
      name,
      position,
      status,
      startedAt: run?.startedAt ?? null,
      finishedAt: run?.finishedAt ?? null,
      webUrl: run?.webUrl ?? null,
      isGate: false,
      needs: before ? [before.externalId] : [],
      // A feed carries no logs.
      hasLog: false,
      steps: (run?.steps ?? []).map((step, index) => ({
        externalId: step.name,
        number: index + 1,
        name: step.name,
        status: step.status,
        startedAt: null,
        finishedAt: null,
        hasLog: false,
      })),
    });
  });
  const status = rollUpStatus(stages.map((stage) => stage.status));
  const startedAt = earliest(build.runs.map((run) => run.startedAt));
  return {
    pipelineExternalId: observation.externalId,
    externalId: build.externalId,
    number: build.number,
    attempt: Math.max(1, ...build.runs.map((run) => run.attempt)),
    status,
    branch: null,
    commitSha: null,
    commitMessage: null,
    author: null,
    trigger: null,
    createdAt: earliest([build.createdAt, startedAt]) ?? build.createdAt,
    startedAt,
    finishedAt: isFinished(status) ? latest(build.runs.map((run) => run.finishedAt)) : null,
    webUrl: stages.find((stage) => stage.webUrl !== null)?.webUrl ?? observation.webUrl,
    stages,
    gates: [],
  };
}
