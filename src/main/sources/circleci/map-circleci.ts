import { isFinished, type Status } from '../../../shared/status';
import type { BuildSnapshot, GateSnapshot, StageSnapshot } from '../source';
import type { CircleciJob, CircleciPipeline, CircleciWorkflow } from './circleci-wire';
import {
  isSettledWorkflow,
  mapApprovalStatus,
  mapJobStatus,
  mapWorkflowStatus,
  readJobStatus,
  readWorkflowStatus,
} from './map-circleci-status';

/**
 * Pure mapping of CircleCI's pipelines → workflows → jobs to Pipewatch. A Pipewatch pipeline is
 * one workflow of one project ("gh/org/repo" + "build-and-test"); each run of that workflow is a
 * build numbered by its CircleCI pipeline number; jobs are stages with the graph CircleCI gives
 * in `dependencies[]`; approval jobs are gates.
 */

/** One workflow run with what Pipewatch needs around it. */
export interface WorkflowRun {
  projectSlug: string;
  pipeline: CircleciPipeline;
  workflow: CircleciWorkflow;
  jobs: CircleciJob[];
  /** 1 for the first run of this workflow in its pipeline, 2 for its first re-run, … */
  attempt: number;
}

/** The Pipewatch pipeline of a project's workflow. */
export function pipelineExternalId(projectSlug: string, workflowName: string): string {
  return `${projectSlug}/${workflowName}`;
}

/** "gh/org/repo" → "org/repo", for names people read. */
export function projectName(projectSlug: string): string {
  return projectSlug.split('/').slice(1).join('/');
}

const WEB_VCS: Readonly<Record<string, string>> = {
  gh: 'github',
  github: 'github',
  bb: 'bitbucket',
  bitbucket: 'bitbucket',
  circleci: 'circleci',
};

/** The project's page in CircleCI's web app, e.g. https://app.circleci.com/pipelines/github/org/repo. */
export function projectWebUrl(projectSlug: string): string | null {
  const [vcs, org, repo] = projectSlug.split('/');
  const segment = vcs ? WEB_VCS[vcs] : undefined;
  if (!segment || !org || !repo) return null;
  return `https://app.circleci.com/pipelines/${segment}/${org}/${repo}`;
}

/** Jobs in graph order: by depth (longest chain of requirements), then as CircleCI listed them. */
export function orderJobs(jobs: readonly CircleciJob[]): CircleciJob[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const depths = new Map<string, number>();
  const depthOf = (job: CircleciJob, visiting: Set<string>): number => {
    const known = depths.get(job.id);
    if (known !== undefined) return known;
    // A cycle cannot happen in CircleCI; if a payload had one, cut it rather than recurse forever.
    if (visiting.has(job.id)) return 0;
    visiting.add(job.id);
    let depth = 0;
    for (const id of job.dependencies ?? []) {
      const required = byId.get(id);
      if (required) depth = Math.max(depth, depthOf(required, visiting) + 1);
    }
    visiting.delete(job.id);
    depths.set(job.id, depth);
    return depth;
  };
  return jobs
    .map((job, index) => ({ job, index, depth: depthOf(job, new Set()) }))
    .sort((left, right) => left.depth - right.depth || left.index - right.index)
    .map((entry) => entry.job);
}

function approvalGate(
  job: CircleciJob,
  run: WorkflowRun,
  status: ReturnType<typeof readJobStatus>,
): GateSnapshot | null {
  const state = mapApprovalStatus(status);
  if (state === null) return null;
  const detail =
    state === 'waiting'
      ? 'Approve lets the workflow continue. CircleCI has no reject for approval jobs: reject cancels the workflow.'
      : state === 'approved'
        ? 'Approved.'
        : 'The workflow stopped before anyone approved this job.';
  return {
    externalId: job.approval_request_id ?? job.id,
    stageExternalId: job.id,
    name: job.name,
    environment: null,
    state,
    // API v2 does not say who may approve (project write access, restricted contexts).
    canDecide: null,
    approvers: [],
    waitingSince: job.started_at ?? (state === 'waiting' ? run.workflow.created_at : null),
    expiresAt: null,
    decidedBy:
      state === 'approved'
        ? (job.approved_by ?? null)
        : state === 'expired'
          ? (job.canceled_by ?? run.workflow.canceled_by ?? null)
          : null,
    decidedAt: state === 'approved' ? (job.stopped_at ?? null) : null,
    comment: null,
    fields: [],
    detail,
  };
}

/** The jobs of a workflow as stages (with `needs`) and its approval jobs as gates. */
export function mapJobs(
  run: WorkflowRun,
  workflowUrl: string | null,
): { stages: StageSnapshot[]; gates: GateSnapshot[] } {
  const ordered = orderJobs(run.jobs);
  const ids = new Set(ordered.map((job) => job.id));
  const statuses = new Map<string, Status>();
  const stages: StageSnapshot[] = [];
  const gates: GateSnapshot[] = [];
  for (const job of ordered) {
    const needs = (job.dependencies ?? []).filter((id) => ids.has(id));
    const requirementFailed = needs.some((id) => {
      const required = statuses.get(id);
      return required === 'failed' || required === 'cancelled' || required === 'blocked';
    });
    const raw = readJobStatus(job.status);
    const status = mapJobStatus(raw, requirementFailed);
    statuses.set(job.id, status);
    const isGate = job.type === 'approval';
    stages.push({
      externalId: job.id,
      name: job.name,
      position: stages.length,
      status,
      startedAt: job.started_at ?? null,
      finishedAt: job.stopped_at ?? null,
      webUrl:
        workflowUrl && job.job_number != null
          ? `${workflowUrl}/jobs/${job.job_number}`
          : workflowUrl,
      isGate,
      needs,
      // API v2 has no endpoint for a job's step output.
      hasLog: false,
      steps: [],
    });
    if (isGate) {
      const gate = approvalGate(job, run, raw);
      if (gate) gates.push(gate);
    }
  }
  return { stages, gates };
}

function earliest(times: readonly (string | null | undefined)[]): string | null {
  const known = times.filter((time): time is string => typeof time === 'string').sort();
  return known[0] ?? null;
}

/** One workflow run as a Pipewatch build. `webUrls` is false for a server other than circleci.com. */
export function toBuildSnapshot(run: WorkflowRun, webUrls: boolean): BuildSnapshot {
  const { pipeline, workflow } = run;
  const number = workflow.pipeline_number ?? pipeline.number;
  const project = webUrls ? projectWebUrl(run.projectSlug) : null;
  const workflowUrl = project ? `${project}/${number}/workflows/${workflow.id}` : null;
  const statusWord = readWorkflowStatus(workflow.status);
  const status = mapWorkflowStatus(statusWord);
  const { stages, gates } = mapJobs(run, workflowUrl);
  const vcs = pipeline.vcs;
  return {
    pipelineExternalId: pipelineExternalId(run.projectSlug, workflow.name),
    externalId: workflow.id,
    number,
    attempt: Math.max(1, run.attempt),
    status,
    branch: vcs?.branch ?? (vcs?.tag ? `tag ${vcs.tag}` : null),
    commitSha: vcs?.revision ?? null,
    commitMessage: vcs?.commit?.subject ?? null,
    author: pipeline.trigger?.actor?.login ?? null,
    trigger: pipeline.trigger?.type ?? null,
    createdAt: workflow.created_at,
    startedAt: earliest(run.jobs.map((job) => job.started_at)),
    finishedAt:
      isSettledWorkflow(statusWord) && isFinished(status) ? (workflow.stopped_at ?? null) : null,
    webUrl: workflowUrl,
    stages,
    gates,
  };
}
