import { isFinished, type Status } from '../../../shared/status';
import type { BuildSnapshot, StageSnapshot, StepSnapshot } from '../source';
import type {
  GithubEnvironmentApproval,
  GithubJob,
  GithubJobStep,
  GithubPendingDeployment,
  GithubWorkflowRun,
} from './github-wire';
import { deriveJobGraph, type JobGraph } from './job-graph';
import { mapGates, type RememberedGate } from './map-gates';
import { mapGithubStatus } from './map-status';
import { epoch, instant } from './timestamps';
import type { WorkflowFile } from './workflow-file';

export interface RunMappingInput {
  pipelineExternalId: string;
  run: GithubWorkflowRun;
  /** The jobs of the run's latest attempt. */
  jobs: readonly GithubJob[];
  /** The workflow file at the run's commit; null when it could not be read. */
  workflow: WorkflowFile | null;
  pending: readonly GithubPendingDeployment[];
  approvals: readonly GithubEnvironmentApproval[];
  rememberedGates: readonly RememberedGate[];
}

export interface RunMapping {
  build: BuildSnapshot;
  /** The gates to remember for the next poll of this run. */
  rememberedGates: RememberedGate[];
  graphBasis: JobGraph['basis'];
}

/** A run's own status (GitHub's run status and conclusion). */
export function mapRunStatus(run: Pick<GithubWorkflowRun, 'status' | 'conclusion'>): Status {
  return mapGithubStatus(run.status, run.conclusion);
}

/** Before a job starts GitHub may already fill `started_at`; it means nothing until it runs. */
function hasStarted(status: Status): boolean {
  return status !== 'queued' && status !== 'waiting' && status !== 'blocked';
}

function mapStep(step: GithubJobStep): StepSnapshot {
  const status = mapGithubStatus(step.status, step.conclusion);
  return {
    externalId: String(step.number),
    number: step.number,
    name: step.name,
    status,
    startedAt: hasStarted(status) ? instant(step.started_at) : null,
    finishedAt: isFinished(status) ? instant(step.completed_at) : null,
    // GitHub keeps one log per job; steps are sections of it (the stage log).
    hasLog: false,
  };
}

function environmentOf(workflow: WorkflowFile | null, workflowJobId: string | null): string | null {
  if (!workflow || workflowJobId === null) return null;
  const environment = workflow.jobs.find((job) => job.id === workflowJobId)?.environment ?? null;
  return environment !== null && !environment.includes('${{') ? environment : null;
}

function latest(values: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  for (const value of values) if (value !== null && (best === null || value > best)) best = value;
  return best;
}

function earliest(values: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  for (const value of values) if (value !== null && (best === null || value < best)) best = value;
  return best;
}

/**
 * One workflow run with its jobs as a build: jobs become stages (steps inside), the workflow
 * file's `needs:` (or start times) draw the edges, and environments waiting for review become
 * gates on the jobs that wait for them.
 */
export function mapRun(input: RunMappingInput): RunMapping {
  const { run } = input;
  const jobStatuses = input.jobs.map((job) => mapGithubStatus(job.status, job.conclusion));
  const graph = deriveJobGraph(
    input.jobs.map((job, index) => ({
      externalId: String(job.id),
      name: job.name,
      status: jobStatuses[index] ?? 'unknown',
      startedAt: hasStarted(jobStatuses[index] ?? 'unknown') ? epoch(job.started_at) : null,
      finishedAt: epoch(job.completed_at),
    })),
    input.workflow,
  );
  const status = mapRunStatus(run);
  const gateOutput = mapGates({
    runCreatedAt: run.created_at,
    runFinished: isFinished(status),
    pending: input.pending,
    approvals: input.approvals,
    remembered: input.rememberedGates,
    jobs: input.jobs.map((job, index) => ({
      externalId: String(job.id),
      isWaiting: jobStatuses[index] === 'waiting',
      environment: environmentOf(
        input.workflow,
        graph.placements.get(String(job.id))?.workflowJobId ?? null,
      ),
    })),
  });
  const gateStages = new Set(gateOutput.gates.map((gate) => gate.stageExternalId));

  const stages: StageSnapshot[] = input.jobs.map((job, index) => {
    const externalId = String(job.id);
    const placement = graph.placements.get(externalId);
    const stageStatus = placement?.status ?? jobStatuses[index] ?? 'unknown';
    const startedAt = hasStarted(stageStatus) ? instant(job.started_at) : null;
    return {
      externalId,
      name: job.name,
      position: placement?.position ?? index,
      status: stageStatus,
      startedAt,
      finishedAt: isFinished(stageStatus) ? instant(job.completed_at) : null,
      webUrl: job.html_url ?? null,
      isGate: gateStages.has(externalId),
      needs: placement?.needs ?? [],
      hasLog: startedAt !== null && stageStatus !== 'skipped',
      steps: (job.steps ?? []).map(mapStep),
    };
  });
  stages.sort((left, right) => left.position - right.position);

  const actor = run.triggering_actor?.login ?? run.actor?.login ?? null;
  const build: BuildSnapshot = {
    pipelineExternalId: input.pipelineExternalId,
    externalId: String(run.id),
    number: run.run_number,
    attempt: Math.max(1, run.run_attempt ?? 1),
    status,
    branch: run.head_branch ?? null,
    commitSha: run.head_sha ?? null,
    commitMessage: run.head_commit?.message ?? run.display_title ?? null,
    author: run.head_commit?.author?.name ?? run.actor?.login ?? null,
    trigger: run.event ? (actor ? `${run.event} by ${actor}` : run.event) : null,
    createdAt: instant(run.created_at) ?? run.created_at,
    startedAt:
      status === 'queued'
        ? null
        : (instant(run.run_started_at) ?? earliest(stages.map((stage) => stage.startedAt))),
    // Runs have no completed_at: the last job's end, else the last update.
    finishedAt: isFinished(status)
      ? (latest(stages.map((stage) => stage.finishedAt)) ?? instant(run.updated_at))
      : null,
    webUrl: run.html_url ?? null,
    stages,
    gates: gateOutput.gates,
  };
  return { build, rememberedGates: gateOutput.remember, graphBasis: graph.basis };
}
