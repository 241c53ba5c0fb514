import type { Status } from '../../../shared/status';
import type { CompletedRun, PipelineObservation, StageObservation } from './map-cctray';

/**
 * A cctray feed shows only the last build of each project. Pipewatch infers the history from
 * what changes between polls — a new label is a new build, `activity="Building"` is a run in
 * progress — and keeps what it inferred here, in memory and in the source's state folder, so
 * history accumulates and a restart does not invent builds. Everything in this file is pure.
 */

export interface StepRun {
  name: string;
  status: Status;
}

/** One stage's run within a build. */
export interface StageRun {
  stage: string;
  status: Status;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  webUrl: string | null;
  steps: StepRun[];
}

export interface HistoryBuild {
  externalId: string;
  /** The build's key in the feed (its label); null while the build runs and no label says which. */
  buildKey: string | null;
  number: number;
  createdAt: string;
  runs: StageRun[];
}

/** What the feed last showed for a stage, to see what changed (also across restarts). */
export interface SeenStage {
  stage: string;
  labelKey: string | null;
  status: Status;
}

export interface PipelineHistory {
  builds: HistoryBuild[];
  seen: SeenStage[];
}

export interface HistoryStep {
  history: PipelineHistory;
  /** External ids of the builds this poll added or changed. */
  touched: string[];
}

/** Builds remembered per pipeline; older ones stay in the store but are no longer re-derived. */
export const BUILDS_REMEMBERED = 30;

const LARGEST_NUMBER = 999_999_999;

/**
 * The build number a label carries: the whole label ("13") or a number after a separator at its
 * end ("build.45", "1.2.45"). Null when the label has none ("abc123f" is a commit, not a count).
 */
export function numberFromLabel(label: string | null): number | null {
  if (label === null) return null;
  const match = /(?:^|[^0-9A-Za-z])(\d{1,9})$/.exec(label.trim());
  return match?.[1] ? Number(match[1]) : null;
}

/** The label a running build will most likely get: the last one with its count plus one. */
export function nextLabel(label: string): string | null {
  const match = /^(.*?)(\d{1,9})$/.exec(label);
  if (!match || match[2] === undefined) return null;
  const next = String(Number(match[2]) + 1).padStart(match[2].length, '0');
  return `${match[1]}${next}`;
}

function runOf(build: HistoryBuild, stage: string): StageRun | undefined {
  return build.runs.find((run) => run.stage === stage);
}

function setRun(build: HistoryBuild, run: StageRun): void {
  const index = build.runs.findIndex((existing) => existing.stage === run.stage);
  if (index >= 0) build.runs[index] = run;
  else build.runs.push(run);
}

function newestFirst(history: PipelineHistory): HistoryBuild[] {
  return [...history.builds].sort((left, right) => right.number - left.number);
}

function nextNumber(history: PipelineHistory): number {
  const largest = Math.max(0, ...history.builds.map((build) => build.number));
  return Math.min(LARGEST_NUMBER, largest + 1);
}

function uniqueId(history: PipelineHistory, wanted: string): string {
  const taken = new Set(history.builds.map((build) => build.externalId));
  if (!taken.has(wanted)) return wanted;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${wanted}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function addBuild(
  history: PipelineHistory,
  externalId: string,
  buildKey: string | null,
  createdAt: string,
  labelNumber: number | null,
): HistoryBuild {
  const build: HistoryBuild = {
    externalId: uniqueId(history, externalId),
    buildKey,
    number: labelNumber ?? nextNumber(history),
    createdAt,
    runs: [],
  };
  history.builds.push(build);
  return build;
}

function completedSteps(stage: StageObservation, completed: CompletedRun): StepRun[] {
  return stage.jobs.map((job) => ({
    name: job.name,
    status: job.labelKey === completed.labelKey ? job.status : 'unknown',
  }));
}

function runningSteps(stage: StageObservation): StepRun[] {
  return stage.jobs.map((job) => {
    if (job.building === true) return { name: job.name, status: 'running' };
    // A job whose label moved past the stage's finished in the run that is going on now.
    const finishedNow = job.labelKey !== null && job.labelKey !== stage.completed?.labelKey;
    return { name: job.name, status: finishedNow ? job.status : 'queued' };
  });
}

/** A new last run in the feed: attach it to its build (or to the run we watched building). */
function recordCompletion(
  history: PipelineHistory,
  stage: StageObservation,
  now: string,
  touched: Set<string>,
): void {
  const seenIndex = history.seen.findIndex((seen) => seen.stage === stage.name);
  const seen = seenIndex >= 0 ? history.seen[seenIndex] : undefined;
  const completed = stage.completed;
  const current: SeenStage = {
    stage: stage.name,
    labelKey: completed?.labelKey ?? null,
    status: completed?.status ?? 'unknown',
  };
  if (seenIndex >= 0) history.seen[seenIndex] = current;
  else history.seen.push(current);
  if (!completed) return;
  if (seen && seen.labelKey === completed.labelKey && seen.status === completed.status) return;
  const isNewRun = seen?.labelKey !== completed.labelKey;

  const running = history.builds.find((build) => runOf(build, stage.name)?.status === 'running');
  let build = history.builds.find((candidate) => candidate.buildKey === completed.buildKey);
  const labelNumber = completed.labelled ? numberFromLabel(completed.buildKey) : null;
  if (!build && running && running.buildKey === null) {
    // The run we watched building has finished: now we know its label.
    running.buildKey = completed.buildKey;
    running.number = labelNumber ?? running.number;
    build = running;
  }
  build ??= addBuild(
    history,
    completed.buildKey,
    completed.buildKey,
    completed.finishedAt ?? now,
    labelNumber,
  );
  const previous = runOf(build, stage.name);
  const startedAt =
    previous?.status === 'running' || !isNewRun ? (previous?.startedAt ?? null) : null;
  setRun(build, {
    stage: stage.name,
    status: completed.status,
    attempt: completed.attempt,
    startedAt,
    // Without a time in the feed, the change we saw between two polls is the best estimate.
    finishedAt: completed.finishedAt ?? (seen && isNewRun ? now : (previous?.finishedAt ?? null)),
    webUrl: completed.webUrl ?? stage.webUrl,
    steps: completedSteps(stage, completed),
  });
  touched.add(build.externalId);
  if (running && running !== build) {
    forgetGuessedRun(running, stage.name, now);
    touched.add(running.externalId);
  }
}

/**
 * The stage we saw building turned out to belong to another build. In a build the feed named,
 * that run was our guess and goes; a build we predicted exists only because of it, so its run
 * ends as unknown rather than leave a build with nothing in it.
 */
function forgetGuessedRun(build: HistoryBuild, stage: string, now: string): void {
  const run = runOf(build, stage);
  if (!run) return;
  if (build.buildKey !== null) build.runs = build.runs.filter((other) => other !== run);
  else setRun(build, { ...run, status: 'unknown', finishedAt: now });
}

/** Which build a stage that starts building belongs to. */
function buildForNewRun(
  history: PipelineHistory,
  observation: PipelineObservation,
  position: number,
  now: string,
): HistoryBuild {
  const stage = observation.stages[position];
  const before = observation.stages[position - 1];
  if (stage && before) {
    // A later stage starts in the newest build whose previous stage passed and that has not run it.
    const waiting = newestFirst(history).find(
      (build) => !runOf(build, stage.name) && runOf(build, before.name)?.status === 'success',
    );
    if (waiting) return waiting;
    // Otherwise it is a re-run of the stage in the build it last ran in.
    const key = stage.completed?.buildKey;
    const last = key === undefined ? undefined : history.builds.find((b) => b.buildKey === key);
    if (last) return last;
  }
  // Most servers count labels up by one; a time standing in for a label predicts nothing.
  const completed = stage?.completed;
  const predicted = completed?.labelled ? nextLabel(completed.buildKey) : null;
  const id = predicted ?? `#${nextNumber(history)}`;
  return addBuild(history, id, null, now, predicted === null ? null : numberFromLabel(predicted));
}

function recordActivity(
  history: PipelineHistory,
  observation: PipelineObservation,
  position: number,
  now: string,
  touched: Set<string>,
): void {
  const stage = observation.stages[position];
  if (!stage || stage.building === null) return;
  const running = history.builds.filter((build) => runOf(build, stage.name)?.status === 'running');
  if (stage.building) {
    const current = running.at(-1);
    if (current) {
      const run = runOf(current, stage.name);
      const steps = runningSteps(stage);
      if (run && JSON.stringify(run.steps) !== JSON.stringify(steps)) {
        setRun(current, { ...run, steps });
        touched.add(current.externalId);
      }
      return;
    }
    const build = buildForNewRun(history, observation, position, now);
    const previous = runOf(build, stage.name);
    setRun(build, {
      stage: stage.name,
      status: 'running',
      attempt: previous ? previous.attempt + 1 : 1,
      startedAt: now,
      finishedAt: null,
      webUrl: stage.webUrl,
      steps: runningSteps(stage),
    });
    touched.add(build.externalId);
    return;
  }
  for (const build of running) {
    // It stopped building and no new label says how it ended: say so rather than guess.
    const run = runOf(build, stage.name);
    if (!run) continue;
    setRun(build, { ...run, status: 'unknown', finishedAt: now });
    touched.add(build.externalId);
  }
}

function trim(history: PipelineHistory, limit: number): void {
  const keep = new Set(
    newestFirst(history)
      .filter((build, index) => index < limit || build.runs.some((run) => run.status === 'running'))
      .map((build) => build.externalId),
  );
  history.builds = history.builds.filter((build) => keep.has(build.externalId));
}

/**
 * One poll's observation of a pipeline applied to its history: new labels become builds (or
 * finish the build we watched running), a stage that starts building becomes a running run.
 */
export function advanceHistory(
  previous: PipelineHistory | undefined,
  observation: PipelineObservation,
  now: string,
  limit = BUILDS_REMEMBERED,
): HistoryStep {
  const history: PipelineHistory = previous ? structuredClone(previous) : { builds: [], seen: [] };
  const touched = new Set<string>();
  observation.stages.forEach((stage, position) => {
    recordCompletion(history, stage, now, touched);
    recordActivity(history, observation, position, now, touched);
  });
  trim(history, limit);
  const kept = new Set(history.builds.map((build) => build.externalId));
  return { history, touched: [...touched].filter((id) => kept.has(id)) };
}
