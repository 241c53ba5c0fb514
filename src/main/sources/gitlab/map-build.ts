import type { Status } from '../../../shared/status';
import type { BuildSnapshot, GateSnapshot, PipelineSnapshot, StageSnapshot } from '../source';
import type { GitlabJob, GitlabPipeline, GitlabProject } from './gitlab-wire';
import { isGateJob, mapGate, type DeploymentState } from './map-gates';
import { linkJobs, refineBlocked, type LinkedJob, type PipelineGraph } from './map-graph';
import { mapJobStatus, mapPipelineStatus } from './map-status';

/** One project (or project and ref) watched as one Pipewatch pipeline. */
export interface WatchedPipeline {
  externalId: string;
  project: GitlabProject;
  ref: string | null;
}

/** Everything one build is mapped from. */
export interface PipelineData {
  watched: WatchedPipeline;
  pipeline: GitlabPipeline;
  jobs: GitlabJob[];
  bridges: GitlabJob[];
  /** From GraphQL; null when it could not be read (stage order is used then). */
  graph: PipelineGraph | null;
}

/** What the poll knows about gates beyond one pipeline's payloads. */
export interface GateKnowledge {
  /** Deployments waiting for approval, by the id of the job that deploys. */
  deployments: ReadonlyMap<number, DeploymentState>;
  /** Jobs this session saw as `manual` (so a played one stays a decided gate). */
  manualJobIds: ReadonlySet<number>;
  /** Waiting manual jobs that a newer pipeline of the same ref repeats. */
  superseded: ReadonlyMap<number, { number: number; ref: string }>;
}

export const NO_GATE_KNOWLEDGE: GateKnowledge = {
  deployments: new Map(),
  manualJobIds: new Set(),
  superseded: new Map(),
};

/** The Pipewatch pipeline of a watched project: "Group / Catalog" or "Group / Catalog (main)". */
export function mapPipeline(watched: WatchedPipeline): PipelineSnapshot {
  const { project, ref } = watched;
  const name = project.name_with_namespace ?? project.path_with_namespace;
  const list = project.web_url ? `${project.web_url}/-/pipelines` : null;
  return {
    externalId: watched.externalId,
    name: ref ? `${name} (${ref})` : name,
    webUrl: list && ref ? `${list}?ref=${encodeURIComponent(ref)}` : list,
  };
}

/** The build number people see: the project-scoped iid (`#144`) where the server has one. */
export function buildNumber(pipeline: { id: number; iid?: number | null | undefined }): number {
  return pipeline.iid ?? pipeline.id;
}

/**
 * A GitLab pipeline as a Pipewatch build: jobs and bridges become stages in stage order, linked
 * by `needs`; manual jobs and deployments waiting for approval become gates.
 */
export function mapBuild(data: PipelineData, knowledge: GateKnowledge): BuildSnapshot {
  const { pipeline } = data;
  const jobs = [
    ...data.jobs.map((job) => ({ job, isBridge: false })),
    ...data.bridges.map((job) => ({ job, isBridge: true })),
  ];
  const linked = linkJobs(jobs, data.graph);
  const own = new Map(linked.map(({ job }) => [job.id, mapJobStatus(job.status)]));
  const statuses = refineBlocked(linked, own);
  const byId = new Map(linked.map((entry) => [entry.job.id, entry]));
  const stages: StageSnapshot[] = [];
  const gates: GateSnapshot[] = [];
  for (const entry of linked) {
    const { job } = entry;
    const gateInput = {
      job,
      knownManual:
        knowledge.manualJobIds.has(job.id) || data.graph?.jobs.get(job.name)?.manualJob === true,
      deployment: knowledge.deployments.get(job.id) ?? null,
      reachedAt: reachedAt(entry, byId),
      supersededBy: knowledge.superseded.get(job.id) ?? null,
    };
    const gate = mapGate(gateInput);
    if (gate) gates.push(gate);
    const status = statuses.get(job.id) ?? 'unknown';
    stages.push(
      toStage(
        entry,
        gate?.state === 'expired' && status === 'waiting' ? 'skipped' : status,
        isGateJob(gateInput),
      ),
    );
  }
  const commit = data.jobs.find((job) => job.commit)?.commit ?? null;
  return {
    pipelineExternalId: data.watched.externalId,
    externalId: String(pipeline.id),
    number: buildNumber(pipeline),
    attempt: 1,
    status: mapPipelineStatus(pipeline.status),
    branch: pipeline.ref ?? null,
    commitSha: pipeline.sha ?? null,
    commitMessage: firstLine(commit?.title) ?? firstLine(commit?.message),
    author: pipeline.user?.username ?? null,
    trigger: pipeline.source ?? null,
    createdAt: pipeline.created_at,
    startedAt: pipeline.started_at ?? null,
    finishedAt: pipeline.finished_at ?? null,
    webUrl: pipeline.web_url ?? null,
    stages,
    gates,
  };
}

function toStage(entry: LinkedJob, status: Status, isGate: boolean): StageSnapshot {
  const { job, isBridge } = entry;
  return {
    externalId: String(job.id),
    name: job.name,
    position: entry.position,
    status,
    startedAt: job.started_at ?? null,
    finishedAt: job.finished_at ?? null,
    // A trigger job's page is its downstream pipeline.
    webUrl: (isBridge ? job.downstream_pipeline?.web_url : null) ?? job.web_url ?? null,
    isGate,
    needs: entry.needs.map(String),
    // A job has a trace once a runner picked it up; a trigger job never has one.
    hasLog: !isBridge && Boolean(job.started_at),
    steps: [],
  };
}

/** When a job became actionable: the last of the jobs it waits for finished. */
function reachedAt(entry: LinkedJob, byId: ReadonlyMap<number, LinkedJob>): string | null {
  const times = entry.needs
    .map((id) => byId.get(id)?.job.finished_at)
    .filter((time): time is string => typeof time === 'string')
    .sort();
  return times[times.length - 1] ?? null;
}

function firstLine(message: string | null | undefined): string | null {
  const line = message?.split(/\r?\n/)[0]?.trim();
  return line ? line : null;
}
