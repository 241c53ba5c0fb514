import {
  SourceError,
  finishedBuildKey,
  type BuildSnapshot,
  type PipelineSnapshot,
  type PollContext,
  type PollSnapshot,
} from '../source';
import type { BuildbotClient } from './buildbot-client';
import { BuildbotMemory } from './buildbot-memory';
import type { BuildbotOptions } from './buildbot-options';
import type { BuildbotBuild } from './buildbot-wire';
import {
  observeStages,
  observedEdges,
  type CheckInMaterial,
  type WalkedRequest,
} from './chain-graph';
import { mergeLearnedEdges, type TriggerEdge } from './chain-template';
import { materialFingerprint, walkChains, type WalkGate, type WalkRoot } from './chain-walk';
import { mapCheckIn, type GateInfo, type MappedCheckIn } from './map-check-in';

/** What the Buildbot adapter's parts share. */
export interface BuildbotDeps {
  client: BuildbotClient;
  memory: BuildbotMemory;
  options: BuildbotOptions;
  now: () => number;
}

/**
 * The newest check-ins are walked even when stored as finished: a rebuild of a failed stage in
 * Buildbot's UI hangs under the old chain, and this is how Pipewatch notices it.
 */
const RECHECK_NEWEST = 3;

/** The gate builders of these pipelines, with their ids. */
function walkGates(deps: BuildbotDeps, roots: readonly WalkRoot[]): WalkGate[] {
  const pipelines = new Map(roots.map((root) => [root.pipeline.name, root.pipeline]));
  return [...pipelines.values()].flatMap((pipeline) =>
    pipeline.gates.map((gate) => ({
      pipeline: pipeline.name,
      builder: gate.builder,
      builderId: deps.memory.builderId(gate.builder, pipeline, 'gates.builder'),
    })),
  );
}

/** Walks the chains of these check-ins (their triggered builds and forced gates). */
export async function walkCheckIns(
  deps: BuildbotDeps,
  roots: readonly WalkRoot[],
  signal: AbortSignal | undefined,
): Promise<CheckInMaterial[]> {
  await deps.memory.builderIdsFor(deps.client, BuildbotMemory.builderNamesOf(deps.options), signal);
  return walkChains(deps.client, {
    roots,
    gates: walkGates(deps, roots),
    decisions: deps.memory.loadState().decisions,
    recentGateRequests: deps.options.checkInsPerPoll,
    ...(signal ? { signal } : {}),
  });
}

/** Every request under a check-in: its chain and the gate builds forced for it. */
function walkedRequests(material: CheckInMaterial): WalkedRequest[] {
  const found: WalkedRequest[] = [];
  const visit = (walked: WalkedRequest): void => {
    found.push(walked);
    for (const build of walked.builds) {
      for (const child of material.triggered.get(build.buildid) ?? []) visit(child);
    }
  };
  visit(material.root);
  for (const linked of material.gateRequests.values()) linked.forEach(visit);
  return found;
}

/** The newest build of every request under a check-in: the ones whose steps are shown. */
function latestBuilds(material: CheckInMaterial): BuildbotBuild[] {
  return walkedRequests(material).flatMap((walked) => walked.builds.slice(-1));
}

/**
 * Maps one walked check-in. With `details`, the steps of its builds and the change behind it are
 * fetched (from memory when already seen); gates and actions do without them.
 */
export async function mapMaterial(
  deps: BuildbotDeps,
  material: CheckInMaterial,
  settings: { details: boolean; predictedNumber: number; signal: AbortSignal | undefined },
): Promise<MappedCheckIn> {
  const { client, memory } = deps;
  const { signal } = settings;
  const gates = new Map<string, GateInfo>();
  for (const gate of material.pipeline.gates) {
    gates.set(gate.builder, await memory.gateInfoOf(client, gate.builder, gate.scheduler, signal));
  }
  const rootBuild = material.root.builds[material.root.builds.length - 1];
  const state = memory.loadState();
  return mapCheckIn(material, {
    builderNames: memory.builderNames,
    webRoot: client.webRoot,
    learnedEdges: state.edges[material.pipeline.name] ?? [],
    decisions: state.decisions,
    steps: settings.details
      ? await memory.stepsOf(client, latestBuilds(material), signal)
      : new Map(),
    change: settings.details && rootBuild ? await memory.changeOf(client, rootBuild, signal) : null,
    predictedNumber: settings.predictedNumber,
    gates,
    now: deps.now(),
  });
}

/**
 * Buildbot numbers a build when it starts; a check-in still queued shows the number it will most
 * likely get: after the newest started one, in request order.
 */
function predictedNumbers(materials: readonly CheckInMaterial[]): Map<CheckInMaterial, number> {
  const result = new Map<CheckInMaterial, number>();
  const byPipeline = new Map<string, CheckInMaterial[]>();
  for (const material of materials) {
    byPipeline.set(material.pipeline.name, [
      ...(byPipeline.get(material.pipeline.name) ?? []),
      material,
    ]);
  }
  for (const group of byPipeline.values()) {
    let next =
      Math.max(
        0,
        ...group.flatMap((material) => material.root.builds.map((build) => build.number)),
      ) + 1;
    const waiting = group
      .filter((material) => material.root.builds.length === 0)
      .sort((left, right) => left.root.request.buildrequestid - right.root.request.buildrequestid);
    for (const material of waiting) result.set(material, next++);
  }
  return result;
}

/** Check-ins whose last report is remembered; older ones are long out of the polled window. */
const MAX_REPORTED = 5000;

function rememberReported(reported: Map<string, string>, key: string, fingerprint: string): void {
  reported.delete(key);
  reported.set(key, fingerprint);
  for (const oldest of reported.keys()) {
    if (reported.size <= MAX_REPORTED) break;
    reported.delete(oldest);
  }
}

/** Remembers the triggers seen, so later check-ins show stages before they are triggered. */
function learn(
  deps: BuildbotDeps,
  observed: Map<string, (TriggerEdge & { seenAt: number })[]>,
): void {
  const state = deps.memory.loadState();
  let edges = state.edges;
  for (const pipeline of deps.options.pipelines) {
    const merged = mergeLearnedEdges(
      edges[pipeline.name] ?? [],
      observed.get(pipeline.name) ?? [],
      deps.now(),
    );
    if (merged) edges = { ...edges, [pipeline.name]: merged };
  }
  if (edges !== state.edges) deps.memory.saveState({ ...state, edges });
}

/**
 * One poll: each pipeline's newest check-ins (root builder requests), their chains walked
 * together, and every check-in reported that is not stored as finished or has changed since.
 */
export async function pollBuildbot(
  deps: BuildbotDeps,
  context: PollContext,
): Promise<PollSnapshot> {
  const { client, memory, options } = deps;
  const { signal } = context;
  await memory.builderIdsFor(client, BuildbotMemory.builderNamesOf(options), signal);
  const pipelines: PipelineSnapshot[] = [];
  const roots: WalkRoot[] = [];
  for (const pipeline of options.pipelines) {
    const rootId = memory.builderId(pipeline.rootBuilder, pipeline, 'rootBuilder');
    pipeline.gates.forEach((gate, index) => {
      memory.builderId(gate.builder, pipeline, `gates[${index}].builder`);
      memory.builderId(gate.after, pipeline, `gates[${index}].after`);
    });
    pipelines.push({
      externalId: pipeline.name,
      name: pipeline.name,
      webUrl: `${client.webRoot}#/builders/${rootId}`,
    });
    if (signal.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
    const requests = await client.recentRequests(rootId, options.checkInsPerPoll, signal);
    requests.forEach((request, index) => {
      const key = finishedBuildKey(pipeline.name, String(request.buildrequestid));
      if (
        !context.knownFinishedBuilds.has(key) ||
        index < RECHECK_NEWEST ||
        memory.rewalk.has(key)
      ) {
        roots.push({ pipeline, request });
      }
    });
  }

  const materials = await walkCheckIns(deps, roots, signal);
  // A builder added to the chain since the builder list was read: read it again to name it.
  const unnamed = materials.some((material) =>
    walkedRequests(material).some((walked) => !memory.builderNames.has(walked.request.builderid)),
  );
  if (unnamed) await memory.builderIdsFor(client, [], signal, true);
  // Learn from every chain walked before mapping any, so a check-in that failed early already
  // shows the stages its newer (or older) siblings triggered as blocked.
  const observed = new Map<string, (TriggerEdge & { seenAt: number })[]>();
  for (const material of materials) {
    const seenAt = (material.root.request.submitted_at ?? deps.now() / 1000) * 1000;
    const edges = observedEdges(observeStages(material, memory.builderNames), material.pipeline);
    observed.set(material.pipeline.name, [
      ...(observed.get(material.pipeline.name) ?? []),
      ...edges.map((edge) => ({ ...edge, seenAt })),
    ]);
  }
  learn(deps, observed);

  const numbers = predictedNumbers(materials);
  const decisions = memory.loadState().decisions;
  const builds: BuildSnapshot[] = [];
  for (const material of materials) {
    const key = finishedBuildKey(
      material.pipeline.name,
      String(material.root.request.buildrequestid),
    );
    const fingerprint = materialFingerprint(material, decisions);
    const unchanged = memory.reported.get(key) === fingerprint;
    if (context.knownFinishedBuilds.has(key) && unchanged && !memory.rewalk.has(key)) continue;
    const mapped = await mapMaterial(deps, material, {
      details: true,
      predictedNumber: numbers.get(material) ?? 0,
      signal,
    });
    builds.push(mapped.build);
    rememberReported(memory.reported, key, fingerprint);
    memory.rewalk.delete(key);
  }
  return { pipelines, builds };
}
