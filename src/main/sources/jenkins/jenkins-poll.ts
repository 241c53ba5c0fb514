import { isActive, isFinished } from '../../../shared/status';
import {
  finishedBuildKey,
  SourceError,
  type BuildSnapshot,
  type GateSnapshot,
  type PollContext,
} from '../source';
import type { JenkinsClient } from './jenkins-client';
import {
  buildKey,
  gateKey,
  jobMemory,
  remember,
  type JenkinsMemory,
  type JobMemory,
} from './jenkins-memory';
import type { JenkinsOptions } from './jenkins-options';
import type { CoreBuild, WfapiRun, WfapiStageDetail } from './jenkins-wire';
import { mapBuild, runNumber, type RememberedDecision } from './map-build';
import { inputSubmitters } from './map-gate';
import { mapNodeStatus, mapRunStatus } from './map-status';

/** Builds per page of the core API's build list (`tree=builds[...]{M,N}`). */
export const HISTORY_PAGE_SIZE = 25;

export interface JobPollSettings {
  client: JenkinsClient;
  baseUrl: string;
  options: JenkinsOptions;
  memory: JenkinsMemory;
  now: () => number;
}

/** Stops between requests once the poller has given up on this poll. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
}

function isNotFound(error: unknown): boolean {
  return error instanceof SourceError && error.kind === 'not-found';
}

/** A build to report this poll, with what is already known of it. */
interface Target {
  number: number;
  run: WfapiRun | null;
  core: CoreBuild | null;
}

/**
 * One job's part of a poll. wfapi's run list (one request) shows the newest builds with their
 * stages; builds the store already holds as finished cost nothing more. New or running builds
 * get their origin from one core API page and their steps from each stage's node (finished
 * stages once). Older builds are listed once per start in pages of the core API and fetched a
 * few per poll until `historyBuilds` are stored.
 */
export async function pollJob(
  settings: JobPollSettings,
  job: string,
  context: PollContext,
): Promise<BuildSnapshot[]> {
  const { client, options, memory } = settings;
  const { signal } = context;
  const state = jobMemory(memory, job);
  const isKnown = (number: number) =>
    context.knownFinishedBuilds.has(finishedBuildKey(job, String(number)));

  const listed = new Map<number, WfapiRun>();
  for (const run of await client.runs(job, signal)) {
    const number = runNumber(run);
    if (number !== null) listed.set(number, run);
  }
  const fresh = [...listed.keys()].filter((number) => !isKnown(number));
  const previousNewest = state.newestListed;

  const core = new Map<number, CoreBuild>();
  const needsHistory = !state.historyScanned && options.historyBuilds > 0;
  if (fresh.length > 0 || state.open.size > 0 || needsHistory) {
    throwIfAborted(signal);
    const first = await client.buildsPage(job, 0, HISTORY_PAGE_SIZE, signal);
    for (const build of first) core.set(build.number, build);
    if (needsHistory) await scanHistory(settings, job, first, listed, isKnown, signal);
    if (previousNewest !== null) {
      queueMissedBuilds(
        state,
        first,
        previousNewest,
        (number) => listed.has(number) || isKnown(number) || state.open.has(number),
      );
    }
  }
  state.historyScanned = true;
  const newestNow = listed.size > 0 ? Math.max(...listed.keys()) : null;
  if (newestNow !== null) state.newestListed = Math.max(previousNewest ?? newestNow, newestNow);

  const targets: Target[] = fresh.map((number) => ({
    number,
    run: listed.get(number) ?? null,
    core: core.get(number) ?? null,
  }));
  for (const number of state.open) {
    if (listed.has(number)) state.open.delete(number);
    else targets.push({ number, run: null, core: core.get(number) ?? null });
  }
  for (const number of state.backlog.keys()) {
    if (listed.has(number) || isKnown(number)) state.backlog.delete(number);
  }
  const backlog = [...state.backlog];
  for (const [number, row] of backlog.slice(0, options.historyBuildsPerPoll)) {
    targets.push({ number, run: null, core: row });
  }

  const builds: BuildSnapshot[] = [];
  for (const target of targets) {
    throwIfAborted(signal);
    state.backlog.delete(target.number);
    const snapshot = await fetchBuild(settings, job, target, signal).catch((error: unknown) => {
      // A build deleted since it was listed is simply gone.
      if (isNotFound(error)) return null;
      throw error;
    });
    // A running build can leave wfapi's short list before it finishes (ten newer builds, or a
    // source that could not poll for a while): follow every unfinished one until it finishes.
    if (snapshot && !isFinished(snapshot.status)) state.open.add(target.number);
    else state.open.delete(target.number);
    if (snapshot) builds.push(snapshot);
  }
  return builds;
}

/** Pages the core API's build list back to `historyBuilds`, queueing builds the store lacks. */
async function scanHistory(
  settings: JobPollSettings,
  job: string,
  first: CoreBuild[],
  listed: ReadonlyMap<number, WfapiRun>,
  isKnown: (number: number) => boolean,
  signal: AbortSignal,
): Promise<void> {
  const limit = settings.options.historyBuilds;
  const state: JobMemory = jobMemory(settings.memory, job);
  let page = first;
  let offset = 0;
  for (;;) {
    page.slice(0, Math.max(0, limit - offset)).forEach((build) => {
      if (!listed.has(build.number) && !isKnown(build.number)) {
        state.backlog.set(build.number, build);
      }
    });
    offset += HISTORY_PAGE_SIZE;
    if (page.length < HISTORY_PAGE_SIZE || offset >= limit) return;
    throwIfAborted(signal);
    page = await settings.client.buildsPage(
      job,
      offset,
      Math.min(HISTORY_PAGE_SIZE, limit - offset),
      signal,
    );
  }
}

async function stageDetails(
  settings: JobPollSettings,
  job: string,
  number: number,
  run: WfapiRun,
  signal: AbortSignal,
): Promise<Map<string, WfapiStageDetail>> {
  const { client, memory } = settings;
  const active = isActive(mapRunStatus(run.status));
  const details = new Map<string, WfapiStageDetail>();
  for (const stage of run.stages ?? []) {
    // Stages that never ran have no steps to ask for.
    if (stage.status === 'NOT_EXECUTED' || stage.status === 'SKIPPED') continue;
    const key = `${job}/${number}/${stage.id}`;
    const cached = memory.stages.get(key);
    if (cached) {
      details.set(stage.id, cached);
      continue;
    }
    throwIfAborted(signal);
    const detail = await client.nodeDetail(job, number, stage.id, signal).catch((error) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    if (!detail) continue;
    details.set(stage.id, detail);
    if (isFinished(mapNodeStatus(stage.status, active))) remember(memory, 'stages', key, detail);
  }
  return details;
}

async function fetchBuild(
  settings: JobPollSettings,
  job: string,
  target: Target,
  signal: AbortSignal,
): Promise<BuildSnapshot> {
  const { client, memory } = settings;
  const { number } = target;
  const run = target.run ?? (await client.describeRun(job, number, signal));
  const details = await stageDetails(settings, job, number, run, signal);
  const waiting = run.status === 'PAUSED_PENDING_INPUT' || Boolean(run._links?.pendingInputActions);
  throwIfAborted(signal);
  const pendingInputs = waiting ? await client.pendingInputs(job, number, signal) : [];
  const key = buildKey(job, number);
  const earlierGates = memory.gates.get(key) ?? [];
  const decisions = new Map<string, RememberedDecision>();
  for (const gate of earlierGates) {
    const decision = memory.decisions.get(gateKey(job, number, gate.externalId));
    if (decision) decisions.set(gate.externalId, decision);
  }
  const restricted = pendingInputs.some((input) => inputSubmitters(input).length > 0);
  const snapshot = mapBuild({
    baseUrl: settings.baseUrl,
    job,
    number,
    run,
    core: target.core,
    stageDetails: details,
    pendingInputs,
    earlierGates,
    decisions,
    identity: restricted ? client.userId() : null,
    now: settings.now(),
  });
  rememberGates(settings.memory, job, number, earlierGates, snapshot);
  return snapshot;
}

/** Keeps the gates seen waiting until the build finishes, so their outcome can be reported. */
function rememberGates(
  memory: JenkinsMemory,
  job: string,
  number: number,
  earlier: readonly GateSnapshot[],
  snapshot: BuildSnapshot,
): void {
  const key = buildKey(job, number);
  if (isFinished(snapshot.status)) {
    memory.gates.delete(key);
    for (const gate of earlier) memory.decisions.delete(gateKey(job, number, gate.externalId));
    return;
  }
  const byId = new Map(earlier.map((gate) => [gate.externalId, gate]));
  for (const gate of snapshot.gates) {
    if (gate.state === 'waiting') byId.set(gate.externalId, gate);
  }
  if (byId.size > 0) remember(memory, 'gates', key, [...byId.values()]);
}

/**
 * Builds newer than the newest an earlier poll listed that this poll's list does not show: they
 * started and finished while Pipewatch could not look, longer than wfapi's ten newest reach. They
 * go to the front of the backlog (fetched a few per poll) so the history has no hole. Only the
 * core API's first page is read for them, so a gap of more than a page loses the oldest.
 */
function queueMissedBuilds(
  state: JobMemory,
  firstPage: readonly CoreBuild[],
  previousNewest: number,
  seen: (number: number) => boolean,
): void {
  const missed = firstPage.filter(
    (build) =>
      build.number > previousNewest && !seen(build.number) && !state.backlog.has(build.number),
  );
  if (missed.length === 0) return;
  state.backlog = new Map([
    ...missed.map((build): [number, CoreBuild] => [build.number, build]),
    ...state.backlog,
  ]);
}
