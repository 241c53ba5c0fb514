import { assertNever, rollUpStatus, type Status } from '../../../shared/status';
import {
  readActivity,
  readBuildStatus,
  readDateTime,
  type CctrayActivity,
  type CctrayBuildStatus,
  type CctrayProject,
} from './cctray-wire';

/**
 * Pure mapping from feed projects to what Pipewatch observes in one poll: pipelines whose stages
 * each show their last completed run and whether they build now. A plain project is a pipeline
 * with one stage; GoCD's `pipeline :: stage` and `pipeline :: stage :: job` projects are grouped
 * into one pipeline per GoCD pipeline, with its stages in feed order and jobs as steps.
 */

/** The last run a feed entry reports as finished. */
export interface CompletedRun {
  /** What identifies this run in the feed: the label, else the build time as written. */
  labelKey: string;
  /** The build the run belongs to: the label (GoCD: the pipeline label before " :: "). */
  buildKey: string;
  /** The key is a label (not the build time standing in for a missing one). */
  labelled: boolean;
  /** GoCD's stage counter ("122 :: 2" is the second run of a stage of pipeline run 122). */
  attempt: number;
  status: Status;
  finishedAt: string | null;
  webUrl: string | null;
}

export interface JobObservation {
  name: string;
  labelKey: string | null;
  status: Status;
  /** True while building, false when idle, null when the feed says something else. */
  building: boolean | null;
}

export interface StageObservation {
  name: string;
  completed: CompletedRun | null;
  building: boolean | null;
  webUrl: string | null;
  jobs: JobObservation[];
}

export interface PipelineObservation {
  externalId: string;
  name: string;
  webUrl: string | null;
  stages: StageObservation[];
}

/** `lastBuildStatus` in the one status vocabulary. */
export function mapBuildStatus(status: CctrayBuildStatus): Status {
  switch (status) {
    case 'Success':
      return 'success';
    case 'Failure':
      return 'failed';
    // "Exception": the server could not run the build at all; for the person watching, red.
    case 'Exception':
      return 'failed';
    case 'Unknown':
    case 'other':
      return 'unknown';
    default:
      return assertNever(status);
  }
}

/** Whether an activity means a build is running now; null when a server invents a word. */
export function isBuilding(activity: CctrayActivity): boolean | null {
  switch (activity) {
    case 'Building':
      return true;
    case 'Sleeping':
    case 'CheckingModifications':
      return false;
    case 'other':
      return null;
    default:
      return assertNever(activity);
  }
}

/** Splits GoCD's label "122 :: 2" into the pipeline label and the stage counter. */
export function splitGoCdLabel(label: string): { buildKey: string; attempt: number } {
  const match = /^(.*\S)\s+::\s+(\d{1,6})$/.exec(label);
  if (!match?.[1] || !match[2]) return { buildKey: label, attempt: 1 };
  return { buildKey: match[1], attempt: Math.max(1, Number(match[2])) };
}

function completedRun(project: CctrayProject, goCd: boolean): CompletedRun | null {
  const labelKey = project.lastBuildLabel ?? project.lastBuildTime;
  if (labelKey === null) return null;
  const { buildKey, attempt } =
    goCd && project.lastBuildLabel ? splitGoCdLabel(labelKey) : { buildKey: labelKey, attempt: 1 };
  return {
    labelKey,
    buildKey,
    labelled: project.lastBuildLabel !== null,
    attempt,
    status: mapBuildStatus(readBuildStatus(project.lastBuildStatus)),
    finishedAt: readDateTime(project.lastBuildTime),
    webUrl: project.webUrl,
  };
}

/** GoCD names: "pipeline :: stage" or "pipeline :: stage :: job"; null for a plain name. */
export function splitGoCdName(
  name: string,
): { pipeline: string; stage: string; job: string | null } | null {
  const parts = name.split(/\s+::\s+/);
  const [pipeline, stage, ...job] = parts;
  if (!pipeline || !stage || parts.length < 2) return null;
  return { pipeline, stage, job: job.length > 0 ? job.join(' :: ') : null };
}

function plainPipeline(project: CctrayProject): PipelineObservation {
  return {
    externalId: project.name,
    name: project.name,
    webUrl: project.webUrl,
    stages: [
      {
        name: project.name,
        completed: completedRun(project, false),
        building: isBuilding(readActivity(project.activity)),
        webUrl: project.webUrl,
        jobs: [],
      },
    ],
  };
}

interface GoCdStageParts {
  entry: CctrayProject | null;
  jobs: CctrayProject[];
}

/** A stage the feed lists only through its jobs: its run is what its jobs agree on. */
function stageFromJobs(jobs: CctrayProject[]): {
  completed: CompletedRun | null;
  building: boolean | null;
} {
  const runs = jobs
    .map((job) => completedRun(job, true))
    .filter((run): run is CompletedRun => run !== null);
  const first = runs[0];
  const building = jobs.map((job) => isBuilding(readActivity(job.activity)));
  const anyBuilding = building.includes(true) ? true : building.includes(null) ? null : false;
  if (!first) return { completed: null, building: anyBuilding };
  const same = runs.filter((run) => run.labelKey === first.labelKey);
  return {
    completed: {
      ...first,
      status: rollUpStatus(same.map((run) => run.status)),
      finishedAt:
        same
          .map((run) => run.finishedAt)
          .filter((time): time is string => time !== null)
          .sort()
          .at(-1) ?? null,
    },
    building: anyBuilding,
  };
}

function goCdStage(name: string, parts: GoCdStageParts): StageObservation {
  const fromJobs = stageFromJobs(parts.jobs);
  const jobs = parts.jobs.map((job): JobObservation => {
    const run = completedRun(job, true);
    return {
      name: splitGoCdName(job.name)?.job ?? job.name,
      labelKey: run?.labelKey ?? null,
      status: run?.status ?? 'unknown',
      building: isBuilding(readActivity(job.activity)),
    };
  });
  if (!parts.entry) {
    return { name, ...fromJobs, webUrl: parts.jobs[0]?.webUrl ?? null, jobs };
  }
  return {
    name,
    completed: completedRun(parts.entry, true),
    building: isBuilding(readActivity(parts.entry.activity)),
    webUrl: parts.entry.webUrl,
    jobs,
  };
}

/**
 * Groups the feed's projects into pipelines, in feed order. With `groupGoCd` false every project
 * is a pipeline of its own, GoCD names included.
 */
export function observePipelines(
  projects: readonly CctrayProject[],
  groupGoCd: boolean,
): PipelineObservation[] {
  const order: Array<{ plain: CctrayProject } | { goCd: string }> = [];
  const goCd = new Map<string, Map<string, GoCdStageParts>>();
  for (const project of projects) {
    const parts = groupGoCd ? splitGoCdName(project.name) : null;
    if (!parts) {
      order.push({ plain: project });
      continue;
    }
    let stages = goCd.get(parts.pipeline);
    if (!stages) {
      stages = new Map();
      goCd.set(parts.pipeline, stages);
      order.push({ goCd: parts.pipeline });
    }
    let stage = stages.get(parts.stage);
    if (!stage) {
      stage = { entry: null, jobs: [] };
      stages.set(parts.stage, stage);
    }
    if (parts.job === null) stage.entry ??= project;
    else stage.jobs.push(project);
  }
  const seen = new Set<string>();
  const pipelines: PipelineObservation[] = [];
  for (const item of order) {
    const pipeline =
      'plain' in item
        ? plainPipeline(item.plain)
        : {
            externalId: item.goCd,
            name: item.goCd,
            webUrl: null,
            stages: [...(goCd.get(item.goCd) ?? new Map<string, GoCdStageParts>())].map(
              ([name, parts]) => goCdStage(name, parts),
            ),
          };
    // A plain project named like a GoCD pipeline would be the same pipeline twice: first wins.
    if (seen.has(pipeline.externalId)) continue;
    seen.add(pipeline.externalId);
    pipelines.push(pipeline);
  }
  return pipelines;
}
