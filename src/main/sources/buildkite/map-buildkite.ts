import type { GateField } from '../../../shared/model';
import type { BuildSnapshot, GateSnapshot, StageSnapshot, StepSnapshot } from '../source';
import {
  readBlockFields,
  readJobs,
  type BuildkiteBlockField,
  type BuildkiteBuild,
  type BuildkiteJob,
} from './buildkite-wire';
import {
  mapBlockState,
  mapBuildState,
  mapJobState,
  readBuildState,
  readJobState,
} from './map-buildkite-status';

/**
 * Pure mapping of a Buildkite build to Pipewatch's snapshot. Jobs come in pipeline order; the
 * REST API exposes no `depends_on`, so the graph is Buildkite's own default: `wait` steps are
 * barriers (a job after one needs every job of the group before it), and a block step sits
 * between a barrier before and after it, as Buildkite runs it.
 */

function stageName(job: BuildkiteJob): string {
  const base =
    job.type === 'manual'
      ? (job.label ?? job.name ?? 'Block')
      : (job.name ?? job.label ?? job.step_key ?? job.type);
  const total = job.parallel_group_total ?? 0;
  const index = job.parallel_group_index;
  return total > 1 && index !== null && index !== undefined
    ? `${base} (${index + 1}/${total})`
    : base;
}

/** "deploy-pipeline" from a triggered build's API or web URL. */
function triggeredPipeline(job: BuildkiteJob): string | null {
  const url = job.triggered_build?.web_url ?? job.triggered_build?.url ?? '';
  return /\/([^/]+)\/builds\/\d+\/?$/.exec(url)?.[1] ?? null;
}

function triggerSteps(job: BuildkiteJob, status: StageSnapshot['status']): StepSnapshot[] {
  const triggered = job.triggered_build;
  if (!triggered) return [];
  const pipeline = triggeredPipeline(job) ?? 'another pipeline';
  const number = triggered.number ?? null;
  return [
    {
      externalId: triggered.id ?? 'triggered-build',
      number: 1,
      name: `Triggered ${pipeline}${number === null ? '' : ` #${number}`}`,
      status,
      startedAt: job.started_at ?? null,
      finishedAt: job.finished_at ?? null,
      hasLog: false,
    },
  ];
}

/** A block step's field as a form input; Buildkite fields are required unless they say not. */
export function toGateField(field: BuildkiteBlockField): GateField {
  const isSelect = field.select !== null && field.select !== undefined;
  const defaults = field.default;
  return {
    name: field.key,
    label: (isSelect ? field.select : field.text) ?? field.key,
    kind: isSelect ? 'select' : 'text',
    required: field.required ?? true,
    options: (field.options ?? []).map((option) => option.value),
    defaultValue: Array.isArray(defaults) ? defaults.join(',') : (defaults ?? null),
    hint: field.hint ?? null,
  };
}

function blockGate(job: BuildkiteJob, build: BuildkiteBuild, name: string): GateSnapshot | null {
  const state = mapBlockState(readJobState(job.state));
  if (state === null) return null;
  const fields = readBlockFields(job).map(toGateField);
  let detail: string;
  if (state === 'waiting') {
    detail =
      job.unblockable === false
        ? 'Buildkite says this step cannot be unblocked yet (steps before it are still running).'
        : `Approve unblocks "${name}"${fields.length > 0 ? ' with the values below' : ''}. ` +
          `Buildkite has no reject for block steps: reject cancels build #${build.number}.`;
  } else if (state === 'approved') {
    detail = `Unblocked${job.unblocked_by?.name ? ` by ${job.unblocked_by.name}` : ''}.`;
  } else {
    detail = `The build stopped before anyone unblocked "${name}".`;
  }
  return {
    externalId: job.id,
    stageExternalId: job.id,
    name,
    environment: null,
    state,
    // `unblockable: false` while blocked means "not yet", not "not you": unknown rather than no.
    canDecide: state === 'waiting' ? (job.unblockable === true ? true : null) : null,
    approvers: [],
    waitingSince: job.runnable_at ?? job.scheduled_at ?? job.created_at ?? null,
    expiresAt: null,
    decidedBy: job.unblocked_by?.name ?? job.unblocked_by?.email ?? null,
    decidedAt: job.unblocked_at ?? null,
    comment: null,
    fields,
    detail,
  };
}

/** The build's stages (graph) and gates. */
export function mapStages(build: BuildkiteBuild): {
  stages: StageSnapshot[];
  gates: GateSnapshot[];
} {
  const stages: StageSnapshot[] = [];
  const gates: GateSnapshot[] = [];
  let previousGroup: string[] = [];
  let currentGroup: string[] = [];
  let failedSoFar = false;
  const closeGroup = (): void => {
    if (currentGroup.length > 0) previousGroup = currentGroup;
    currentGroup = [];
  };
  // A retried job is replaced by its retry, which comes later in the list with a new id.
  for (const job of readJobs(build).filter((candidate) => candidate.retried !== true)) {
    if (job.type === 'waiter') {
      closeGroup();
      continue;
    }
    const status = mapJobState(readJobState(job.state), failedSoFar);
    // A soft failure does not stop the build, so it blocks nothing after it.
    if ((status === 'failed' || status === 'cancelled') && job.soft_failed !== true) {
      failedSoFar = true;
    }
    const name = stageName(job);
    const isBlock = job.type === 'manual';
    if (isBlock) closeGroup();
    const stage: StageSnapshot = {
      externalId: job.id,
      name,
      position: stages.length,
      status,
      startedAt: job.started_at ?? null,
      finishedAt: job.finished_at ?? null,
      webUrl: job.triggered_build?.web_url ?? job.web_url ?? null,
      isGate: isBlock,
      needs: [...previousGroup],
      hasLog: job.type === 'script' && Boolean(job.started_at),
      steps: job.type === 'trigger' ? triggerSteps(job, status) : [],
    };
    stages.push(stage);
    if (isBlock) {
      previousGroup = [job.id];
      const gate = blockGate(job, build, name);
      if (gate) gates.push(gate);
    } else {
      currentGroup.push(job.id);
    }
  }
  return { stages, gates };
}

/** A Buildkite build as a Pipewatch build of the pipeline with this slug. */
export function toBuildSnapshot(pipelineSlug: string, build: BuildkiteBuild): BuildSnapshot {
  const blocked = build.blocked === true;
  const { stages, gates } = mapStages(build);
  return {
    pipelineExternalId: pipelineSlug,
    externalId: String(build.number),
    number: build.number,
    // A Buildkite rebuild is a new build with its own number; jobs are retried one by one.
    attempt: 1,
    status: mapBuildState(readBuildState(build.state), blocked),
    branch: build.branch ?? null,
    commitSha: build.commit ?? null,
    commitMessage: build.message ?? null,
    author: build.author?.name ?? build.creator?.name ?? null,
    trigger: build.source ?? null,
    createdAt: build.created_at,
    startedAt: build.started_at ?? null,
    // Buildkite may stamp a blocked build as finished; it is not over until someone decides.
    finishedAt: blocked ? null : (build.finished_at ?? null),
    webUrl: build.web_url ?? null,
    stages,
    gates,
  };
}
