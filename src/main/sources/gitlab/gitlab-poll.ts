import { isFinished } from '../../../shared/status';
import {
  SourceError,
  finishedBuildKey,
  type BuildSnapshot,
  type PollContext,
  type PollSnapshot,
} from '../source';
import type { GitlabClient, ListAnswer } from './gitlab-client';
import { toPipelineGraph } from './gitlab-graphql';
import { remember, rememberIn, watchedExternalId, type GitlabMemory } from './gitlab-memory';
import type { GitlabOptions, WatchedProject } from './gitlab-options';
import type { GitlabDeployment, GitlabPipelineListItem } from './gitlab-wire';
import { mapBuild, mapPipeline, type PipelineData, type WatchedPipeline } from './map-build';
import type { PipelineGraph } from './map-graph';
import { mapPipelineStatus } from './map-status';
import { findSuperseded } from './superseded-gates';

/** GraphQL that failed is asked again after this long (a server upgrade, a new permission). */
const GRAPHQL_PAUSE_MS = 15 * 60_000;
const MEMORY_LIMIT = 2_000;
const HOLDER_LIMIT = 200;

export interface PollDependencies {
  client: GitlabClient;
  memory: GitlabMemory;
  options: GitlabOptions;
  watched: readonly WatchedProject[];
  now: () => number;
}

/**
 * One poll: per watched project, the pipelines changed since the last poll (`updated_after`),
 * plus those still running (a running pipeline's `updated_at` does not move while its jobs
 * progress), each read in full (pipeline, jobs, trigger jobs, graph once); then the deployments
 * waiting for approval when any build has a manual job. Requests go one after another.
 */
export async function pollGitlab(
  dependencies: PollDependencies,
  context: PollContext,
): Promise<PollSnapshot> {
  refuseWhileSpent(dependencies);
  const snapshot: PollSnapshot = { pipelines: [], builds: [] };
  for (const entry of dependencies.watched) {
    checkAborted(context);
    const watched = await resolveWatched(dependencies, entry, context.signal);
    snapshot.pipelines.push(mapPipeline(watched));
    snapshot.builds.push(...(await pollWatched(dependencies, watched, context)));
  }
  return snapshot;
}

/** Spends no request GitLab has said it will refuse until its throttle resets. */
function refuseWhileSpent({ client, now }: PollDependencies): void {
  const budget = client.rateLimit();
  if (!budget || budget.remaining > 0) return;
  const resetAt = Date.parse(budget.resetAt);
  if (Number.isNaN(resetAt) || resetAt <= now()) return;
  throw new SourceError(
    'rate-limited',
    `GitLab's budget of ${budget.limit} requests is spent; it refills at ${budget.resetAt}.`,
    resetAt,
  );
}

async function resolveWatched(
  { client, memory }: PollDependencies,
  entry: WatchedProject,
  signal: AbortSignal,
): Promise<WatchedPipeline> {
  let project = memory.projects.get(entry.project);
  if (!project) {
    try {
      project = await client.project(entry.project, signal);
    } catch (error) {
      if (error instanceof SourceError && error.kind === 'not-found') {
        throw new SourceError(
          'not-found',
          `GitLab has no project "${entry.project}", or the token cannot see it. Check options.projects.`,
        );
      }
      throw error;
    }
    memory.projects.set(entry.project, project);
  }
  return { externalId: watchedExternalId(project.id, entry.ref), project, ref: entry.ref };
}

async function pollWatched(
  dependencies: PollDependencies,
  watched: WatchedPipeline,
  context: PollContext,
): Promise<BuildSnapshot[]> {
  const { client, memory, options } = dependencies;
  const watermark = memory.watermarks.get(watched.externalId) ?? null;
  const listing = await client.pipelines(
    watched.project.id,
    { ref: watched.ref, updatedAfter: watermark, limit: options.pipelinesPerPoll },
    context.signal,
  );
  const toRead = new Set<number>();
  for (const item of listing.items) {
    if (isWorthReading(memory, watched, item, watermark === null, context)) toRead.add(item.id);
  }
  // Pipelines pending for days (no runner) stay "active": re-read the newest few only.
  const active = [...memory.active.values()]
    .filter((entry) => entry.watchedId === watched.externalId)
    .map((entry) => entry.pipelineId)
    .sort((left, right) => right - left)
    .slice(0, options.pipelinesPerPoll);
  for (const pipelineId of active) toRead.add(pipelineId);

  const fetched: PipelineData[] = [];
  for (const pipelineId of toRead) {
    checkAborted(context);
    fetched.push(await readPipeline(dependencies, watched, pipelineId, context.signal));
  }

  const fetchedKeys = new Set(fetched.map((data) => buildKey(data)));
  const holders = [...memory.holders.values()].filter(
    (data) => data.watched.externalId === watched.externalId && !fetchedKeys.has(buildKey(data)),
  );
  let approvalsChanged = false;
  if ([...fetched, ...holders].some(hasManualJob)) {
    checkAborted(context);
    const blocked = await blockedDeployments(client, watched.project.id, context.signal);
    // Compared by content: a server that sends no ETag must not make every poll look changed.
    const signature = JSON.stringify(blocked.items);
    approvalsChanged = memory.deploymentSignatures.get(watched.project.id) !== signature;
    remember(memory.deploymentSignatures, watched.project.id, signature, MEMORY_LIMIT);
    noteDeployments(memory, [...fetched, ...holders], blocked.items);
  }
  for (const data of fetched) {
    for (const job of [...data.jobs, ...data.bridges]) {
      if (job.status === 'manual') rememberIn(memory.manualJobIds, job.id, MEMORY_LIMIT);
    }
  }
  const newlySuperseded = noteSuperseded(memory, options, [...fetched, ...holders]);

  const reported = [
    ...fetched,
    ...holders.filter(
      (data) => approvalsChanged || allJobs(data).some((job) => newlySuperseded.has(job.id)),
    ),
  ];
  const knowledge = {
    deployments: memory.deployments,
    manualJobIds: memory.manualJobIds,
    superseded: memory.superseded,
  };
  const builds = reported.map((data) => mapBuild(data, knowledge));
  reported.forEach((data, index) => rememberBuild(memory, data, builds[index]));

  const newest = newestUpdate(listing.items.map((item) => item.updated_at));
  if (newest && (watermark === null || Date.parse(newest) > Date.parse(watermark))) {
    // Sent back exactly as GitLab wrote it.
    memory.watermarks.set(watched.externalId, newest);
  }
  return builds;
}

function newestUpdate(times: ReadonlyArray<string | null | undefined>): string | null {
  let newest: string | null = null;
  for (const time of times) {
    if (time && !Number.isNaN(Date.parse(time))) {
      if (newest === null || Date.parse(time) > Date.parse(newest)) newest = time;
    }
  }
  return newest;
}

/**
 * A listed pipeline is read unless this session already mapped it at this `updated_at`, or
 * (on the first listing after a start) the store holds it as finished and it still is.
 */
function isWorthReading(
  memory: GitlabMemory,
  watched: WatchedPipeline,
  item: GitlabPipelineListItem,
  firstListing: boolean,
  context: PollContext,
): boolean {
  const key = finishedBuildKey(watched.externalId, String(item.id));
  const seen = memory.seenUpdatedAt.get(key);
  if (seen !== undefined) return seen !== (item.updated_at ?? '');
  if (
    firstListing &&
    context.knownFinishedBuilds.has(key) &&
    isFinished(mapPipelineStatus(item.status))
  ) {
    remember(memory.seenUpdatedAt, key, item.updated_at ?? '', MEMORY_LIMIT);
    return false;
  }
  return true;
}

async function readPipeline(
  dependencies: PollDependencies,
  watched: WatchedPipeline,
  pipelineId: number,
  signal: AbortSignal,
): Promise<PipelineData> {
  const { client, memory } = dependencies;
  const projectId = watched.project.id;
  const pipeline = await client.pipeline(projectId, pipelineId, signal);
  const jobs = await client.pipelineJobs(projectId, pipelineId, signal);
  let bridges: ListAnswer<PipelineData['bridges'][number]> = { items: [], notModified: true };
  if (!memory.noBridges.has(pipelineId)) {
    bridges = await optional(client.pipelineBridges(projectId, pipelineId, signal), bridges);
    if (bridges.items.length === 0) rememberIn(memory.noBridges, pipelineId, MEMORY_LIMIT);
  }
  const graph = await readGraph(dependencies, watched, pipeline.id, pipeline.iid ?? null, signal);
  return { watched, pipeline, jobs: jobs.items, bridges: bridges.items, graph };
}

/** The pipeline's graph from GraphQL, once per pipeline; null (stage order) when it fails. */
async function readGraph(
  { client, memory, now }: PollDependencies,
  watched: WatchedPipeline,
  pipelineId: number,
  iid: number | null,
  signal: AbortSignal,
): Promise<PipelineGraph | null> {
  const known = memory.graphs.get(pipelineId);
  if (known) return known;
  if (iid === null || now() < memory.graphqlPausedUntil) return null;
  try {
    const answer = await client.pipelineGraph(watched.project.path_with_namespace, iid, signal);
    const result = toPipelineGraph(answer);
    if (result.graph) {
      remember(memory.graphs, pipelineId, result.graph, MEMORY_LIMIT);
      return result.graph;
    }
  } catch (error) {
    // Rate limits and outages are the whole source's problem; anything else only costs `needs`.
    if (!(error instanceof SourceError) || isSourceWide(error)) throw error;
  }
  memory.graphqlPausedUntil = now() + GRAPHQL_PAUSE_MS;
  return null;
}

async function blockedDeployments(
  client: GitlabClient,
  projectId: number,
  signal: AbortSignal,
): Promise<ListAnswer<GitlabDeployment>> {
  // Free servers, older servers (no `blocked` filter) and roles without deployment access
  // answer 4xx: no approvals to show then, the manual jobs are still gates.
  return optional(client.blockedDeployments(projectId, signal), { items: [], notModified: true });
}

/** Remembers each manual job's blocked deployment, and notes those that left the list. */
function noteDeployments(
  memory: GitlabMemory,
  pipelines: readonly PipelineData[],
  blocked: readonly GitlabDeployment[],
): void {
  const byJob = new Map<number, GitlabDeployment>();
  for (const deployment of blocked) {
    if (deployment.deployable) byJob.set(deployment.deployable.id, deployment);
  }
  for (const data of pipelines) {
    for (const job of allJobs(data)) {
      if (job.status !== 'manual') continue;
      const deployment = byJob.get(job.id);
      const known = memory.deployments.get(job.id);
      if (deployment) {
        remember(memory.deployments, job.id, { deployment, stillBlocked: true }, MEMORY_LIMIT);
      } else if (known) {
        // Older servers move an approved deployment from `blocked` to `created`.
        memory.deployments.set(job.id, { ...known, stillBlocked: false });
      }
    }
  }
}

/** Records newly superseded manual jobs and answers their ids. */
function noteSuperseded(
  memory: GitlabMemory,
  options: GitlabOptions,
  pipelines: readonly PipelineData[],
): Set<number> {
  const fresh = new Set<number>();
  if (!options.supersedeWaitingGates) return fresh;
  for (const [jobId, by] of findSuperseded(pipelines)) {
    if (!memory.superseded.has(jobId)) fresh.add(jobId);
    remember(memory.superseded, jobId, by, MEMORY_LIMIT);
  }
  return fresh;
}

/** Updates what the next poll needs to know about a build just mapped. */
function rememberBuild(
  memory: GitlabMemory,
  data: PipelineData,
  build: BuildSnapshot | undefined,
): void {
  if (!build) return;
  const key = buildKey(data);
  remember(memory.seenUpdatedAt, key, data.pipeline.updated_at ?? '', MEMORY_LIMIT);
  if (build.status === 'queued' || build.status === 'running') {
    remember(
      memory.active,
      key,
      { watchedId: data.watched.externalId, pipelineId: data.pipeline.id },
      MEMORY_LIMIT,
    );
  } else {
    memory.active.delete(key);
  }
  if (build.gates.some((gate) => gate.state === 'waiting')) {
    remember(memory.holders, key, data, HOLDER_LIMIT);
  } else {
    memory.holders.delete(key);
  }
}

function buildKey(data: PipelineData): string {
  return finishedBuildKey(data.watched.externalId, String(data.pipeline.id));
}

function allJobs(data: PipelineData) {
  return [...data.jobs, ...data.bridges];
}

function hasManualJob(data: PipelineData): boolean {
  return allJobs(data).some((job) => job.status === 'manual');
}

function isSourceWide(error: SourceError): boolean {
  return error.kind === 'rate-limited' || error.kind === 'unreachable' || error.kind === 'auth';
}

/** Optional data: a 4xx (or an unreadable answer) means "none", anything source-wide throws. */
async function optional<T>(request: Promise<T>, fallback: T): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (
      error instanceof SourceError &&
      (error.kind === 'not-found' || error.kind === 'forbidden' || error.kind === 'bad-response')
    ) {
      return fallback;
    }
    throw error;
  }
}

function checkAborted(context: PollContext): void {
  if (context.signal.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
}
