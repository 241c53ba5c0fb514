import { isFinished } from '../../../shared/status';
import {
  SourceError,
  finishedBuildKey,
  type BuildSnapshot,
  type PipelineSnapshot,
  type PollContext,
  type PollSnapshot,
} from '../source';
import type { GithubClient } from './github-client';
import type { GithubOptions } from './github-options';
import {
  parseRepository,
  pipelineExternalId,
  repositoryName,
  workflowWebUrl,
  type Repository,
} from './github-refs';
import type { GithubWorkflow, GithubWorkflowRun } from './github-wire';
import { mapRun, mapRunStatus } from './map-run';
import { runVersion, type RunMemo } from './run-memo';
import type { WorkflowFileCache } from './workflow-file-cache';
import { isReadableWorkflowPath, workflowFilePath, type WorkflowFile } from './workflow-file';

/** What one poll of a GitHub source works with. */
export interface GithubPollDependencies {
  client: GithubClient;
  options: GithubOptions;
  baseUrl: string;
  memo: RunMemo;
  workflowFiles: WorkflowFileCache;
  now: () => number;
}

function stopIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
}

/** Refuses to spend requests GitHub has said it will refuse until the budget refills. */
function guardBudget(dependencies: GithubPollDependencies): void {
  const budget = dependencies.client.rateLimit();
  if (!budget || budget.remaining > 0) return;
  const resetAt = Date.parse(budget.resetAt);
  if (resetAt <= dependencies.now()) return;
  throw new SourceError(
    'rate-limited',
    `The token's GitHub budget of ${budget.limit} requests an hour is spent; it refills at ${budget.resetAt}.`,
    resetAt,
  );
}

function fileName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** The workflows to watch: those named in the options (each must exist), else every active one. */
export function chooseWorkflows(
  workflows: readonly GithubWorkflow[],
  names: readonly string[] | undefined,
  repository: string,
): GithubWorkflow[] {
  if (!names) return workflows.filter((workflow) => (workflow.state ?? 'active') === 'active');
  return names.map((name) => {
    const found = workflows.find((workflow) => fileName(workflow.path) === name);
    if (!found) {
      throw new SourceError(
        'not-found',
        `${repository} has no workflow file ${name} (options.workflows names it).`,
      );
    }
    return found;
  });
}

function pipelineOf(
  dependencies: GithubPollDependencies,
  repository: Repository,
  workflow: Pick<GithubWorkflow, 'id' | 'name' | 'path'>,
): PipelineSnapshot {
  return {
    externalId: pipelineExternalId(repository, workflow.id),
    name: `${repositoryName(repository)} · ${workflow.name}`,
    webUrl: workflowWebUrl(dependencies.baseUrl, repository, workflow.path),
  };
}

/** The workflow file a run ran, at its commit: from the disk cache, else once from GitHub. */
async function workflowFileOf(
  dependencies: GithubPollDependencies,
  repository: Repository,
  run: GithubWorkflowRun,
  signal: AbortSignal,
): Promise<WorkflowFile | null> {
  if (!run.path || !run.head_sha) return null;
  const path = workflowFilePath(run.path);
  if (!isReadableWorkflowPath(path)) return null;
  const cached = dependencies.workflowFiles.get(repository, path, run.head_sha);
  if (cached !== undefined) return cached;
  try {
    const text = await dependencies.client.readFileAt(repository, path, run.head_sha, signal);
    return dependencies.workflowFiles.put(repository, path, run.head_sha, text);
  } catch (error) {
    // Without the file the graph falls back to start times; only a failing GitHub fails the poll.
    if (
      error instanceof SourceError &&
      (error.kind === 'not-found' || error.kind === 'forbidden' || error.kind === 'bad-response')
    ) {
      dependencies.workflowFiles.markUnavailable(repository, path, run.head_sha);
      return null;
    }
    throw error;
  }
}

/**
 * One run as a build, or null when the store already holds it finished and GitHub shows the
 * same attempt and `updated_at` as last time (nothing to fetch, nothing to report).
 */
async function buildOfRun(
  dependencies: GithubPollDependencies,
  repository: Repository,
  pipelineId: string,
  run: GithubWorkflowRun,
  context: PollContext,
): Promise<BuildSnapshot | null> {
  const { client, memo } = dependencies;
  const runId = String(run.id);
  const version = runVersion(run.run_attempt, run.updated_at);
  const status = mapRunStatus(run);
  // A completed run changes only when someone re-runs it, which changes its version. (Even one
  // whose conclusion asks a person to allow it: `action_required` maps to waiting.)
  const settled = run.status === 'completed' || isFinished(status);
  const before = memo.get(runId);
  if (settled && before?.finished && before.version === version) {
    if (context.knownFinishedBuilds.has(finishedBuildKey(pipelineId, runId))) return null;
    if (before.snapshot) return before.snapshot;
  }
  stopIfAborted(context.signal);
  const jobs = await client.listJobs(repository, run.id, context.signal);
  const workflow = await workflowFileOf(dependencies, repository, run, context.signal);
  const waiting = status === 'waiting' || jobs.some((job) => job.status === 'waiting');
  stopIfAborted(context.signal);
  const pending = waiting
    ? await client.listPendingDeployments(repository, run.id, context.signal)
    : [];
  const hadGates = (before?.gates.length ?? 0) > 0;
  const approvals =
    waiting || hadGates ? await client.listApprovals(repository, run.id, context.signal) : [];
  const mapping = mapRun({
    pipelineExternalId: pipelineId,
    run,
    jobs,
    workflow,
    pending,
    approvals,
    rememberedGates: before?.gates ?? [],
  });
  memo.set(runId, {
    version,
    finished: settled,
    repository: repositoryName(repository),
    pipelineExternalId: pipelineId,
    gates: mapping.rememberedGates,
    snapshot: mapping.build,
  });
  return mapping.build;
}

async function newestRuns(
  dependencies: GithubPollDependencies,
  repository: Repository,
  chosen: readonly GithubWorkflow[],
  signal: AbortSignal,
): Promise<GithubWorkflowRun[]> {
  const { client, options } = dependencies;
  const query = {
    perPage: options.runsPerPoll,
    ...(options.branch ? { branch: options.branch } : {}),
  };
  // Without a workflow filter one list per repository is cheaper than one per workflow.
  if (!options.workflows) return client.listRuns(repository, query, signal);
  const runs: GithubWorkflowRun[] = [];
  for (const workflow of chosen) {
    stopIfAborted(signal);
    runs.push(
      ...(await client.listRuns(repository, { ...query, workflowId: workflow.id }, signal)),
    );
  }
  return runs;
}

/**
 * One poll: per repository the workflows (pipelines) and the newest runs, each as a build —
 * skipping finished runs that did not change — plus unfinished runs that left the newest page
 * (a gate waiting for days must not be forgotten). Requests go one after another.
 */
export async function pollGithub(
  dependencies: GithubPollDependencies,
  context: PollContext,
): Promise<PollSnapshot> {
  guardBudget(dependencies);
  const { client, memo, options } = dependencies;
  const pipelines = new Map<string, PipelineSnapshot>();
  const builds: BuildSnapshot[] = [];
  const seen = new Set<string>();
  for (const fullName of options.repositories) {
    const repository = parseRepository(fullName);
    stopIfAborted(context.signal);
    const workflows = await client.listWorkflows(repository, context.signal);
    const chosen = chooseWorkflows(workflows, options.workflows, fullName);
    for (const workflow of chosen) {
      const pipeline = pipelineOf(dependencies, repository, workflow);
      pipelines.set(pipeline.externalId, pipeline);
    }
    const byId = new Map(workflows.map((workflow) => [workflow.id, workflow]));
    const runs = await newestRuns(dependencies, repository, chosen, context.signal);
    for (const run of runs) {
      const pipelineId = pipelineExternalId(repository, run.workflow_id);
      if (!pipelines.has(pipelineId)) {
        const workflow = byId.get(run.workflow_id) ?? {
          id: run.workflow_id,
          name: run.name ?? `workflow ${run.workflow_id}`,
          path: workflowFilePath(run.path ?? ''),
        };
        pipelines.set(pipelineId, pipelineOf(dependencies, repository, workflow));
      }
      seen.add(String(run.id));
      const build = await buildOfRun(dependencies, repository, pipelineId, run, context);
      if (build) builds.push(build);
    }
    for (const runId of memo.unfinishedBeyond(fullName, seen)) {
      const entry = memo.get(runId);
      if (!entry) continue;
      stopIfAborted(context.signal);
      let run: GithubWorkflowRun;
      try {
        run = await client.getRun(repository, Number(runId), context.signal);
      } catch (error) {
        if (error instanceof SourceError && error.kind === 'not-found') {
          memo.forget(runId);
          continue;
        }
        throw error;
      }
      seen.add(runId);
      const build = await buildOfRun(
        dependencies,
        repository,
        entry.pipelineExternalId,
        run,
        context,
      );
      if (build) builds.push(build);
    }
  }
  memo.retain(seen);
  memo.save();
  return { pipelines: [...pipelines.values()], builds };
}
