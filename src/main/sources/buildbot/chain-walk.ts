import { SourceError } from '../source';
import type { BuildbotClient } from './buildbot-client';
import type { BuildbotPipelineOptions } from './buildbot-options';
import type { GateDecisionRecord } from './buildbot-state';
import type { BuildbotBuild, BuildbotBuildRequest, BuildbotBuildset } from './buildbot-wire';
import type { CheckInMaterial, WalkedRequest } from './chain-graph';
import { parseGateMarker } from './map-gate';

/** A check-in to walk: one build request of a pipeline's root builder. */
export interface WalkRoot {
  pipeline: BuildbotPipelineOptions;
  request: BuildbotBuildRequest;
}

/** A gate builder whose recent forces are matched to check-ins. */
export interface WalkGate {
  pipeline: string;
  builder: string;
  builderId: number;
}

/** Chains longer than this are cut (a Trigger loop would otherwise never end). */
const MAX_DEPTH = 25;

function checkInKey(pipeline: string, checkIn: number): string {
  return `${pipeline}\u0000${checkIn}`;
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
}

/**
 * Finds the gate builders' recent requests that were forced for one of the check-ins: by the
 * marker in the buildset's reason, or by a buildset Pipewatch remembers forcing.
 */
async function linkGateRequests(
  client: BuildbotClient,
  roots: readonly WalkRoot[],
  gates: readonly WalkGate[],
  decisions: readonly GateDecisionRecord[],
  recent: number,
  signal: AbortSignal | undefined,
): Promise<Map<string, Map<string, WalkedRequest[]>>> {
  const wanted = new Set(
    roots.map((root) => checkInKey(root.pipeline.name, root.request.buildrequestid)),
  );
  const links = new Map<string, Map<string, WalkedRequest[]>>();
  const builderIds = [...new Set(gates.map((gate) => gate.builderId))];
  for (const builderId of builderIds) {
    cancelled(signal);
    const requests = await client.recentRequests(builderId, recent, signal);
    if (requests.length === 0) continue;
    const buildsets = new Map(
      (
        await client.buildsets(
          requests.map((request) => request.buildsetid),
          signal,
        )
      ).map((buildset) => [buildset.bsid, buildset]),
    );
    for (const request of requests) {
      const buildset = buildsets.get(request.buildsetid) ?? null;
      const marker = parseGateMarker(buildset?.reason);
      const remembered = decisions.find((record) => record.buildsetId === request.buildsetid);
      const target =
        marker ??
        (remembered ? { pipeline: remembered.pipeline, checkIn: remembered.checkIn } : null);
      const gate = gates.find(
        (candidate) => candidate.builderId === builderId && candidate.pipeline === target?.pipeline,
      );
      if (!target || !gate) continue;
      const key = checkInKey(target.pipeline, target.checkIn);
      if (!wanted.has(key)) continue;
      const perGate = links.get(key) ?? new Map<string, WalkedRequest[]>();
      perGate.set(gate.builder, [
        ...(perGate.get(gate.builder) ?? []),
        { request, buildset, builds: [] },
      ]);
      links.set(key, perGate);
    }
  }
  return links;
}

function attachBuilds(requests: ReadonlyMap<number, WalkedRequest>, builds: BuildbotBuild[]): void {
  for (const build of [...builds].sort((left, right) => left.buildid - right.buildid)) {
    requests.get(build.buildrequestid)?.builds.push(build);
  }
}

/**
 * Walks the chains of these check-ins level by level: the builds of every request of a level,
 * then the buildsets those builds triggered (`parent_buildid`), their requests and builds. Every
 * level costs three requests however many check-ins it covers, so a poll costs about three per
 * stage of the longest chain.
 */
export async function walkChains(
  client: BuildbotClient,
  input: {
    roots: readonly WalkRoot[];
    gates: readonly WalkGate[];
    decisions: readonly GateDecisionRecord[];
    recentGateRequests: number;
    signal?: AbortSignal;
  },
): Promise<CheckInMaterial[]> {
  const { roots, signal } = input;
  if (roots.length === 0) return [];
  const gateLinks = await linkGateRequests(
    client,
    roots,
    input.gates,
    input.decisions,
    input.recentGateRequests,
    signal,
  );
  const requests = new Map<number, WalkedRequest>();
  for (const root of roots) {
    requests.set(root.request.buildrequestid, {
      request: root.request,
      buildset: null,
      builds: [],
    });
  }
  for (const perGate of gateLinks.values()) {
    for (const linked of perGate.values()) {
      for (const walked of linked) requests.set(walked.request.buildrequestid, walked);
    }
  }
  cancelled(signal);
  const firstBuilds = await client.buildsOf([...requests.keys()], signal);
  attachBuilds(requests, firstBuilds);

  const triggered = new Map<number, WalkedRequest[]>();
  const seenBuilds = new Set(firstBuilds.map((build) => build.buildid));
  let frontier = [...seenBuilds];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth += 1) {
    cancelled(signal);
    const buildsets = await client.triggeredBuildsets(frontier, signal);
    if (buildsets.length === 0) break;
    const byId = new Map<number, BuildbotBuildset>(buildsets.map((set) => [set.bsid, set]));
    cancelled(signal);
    const found = (await client.requestsOf([...byId.keys()], signal)).filter(
      (request) => !requests.has(request.buildrequestid),
    );
    const level = new Map<number, WalkedRequest>();
    for (const request of found) {
      const walked = { request, buildset: byId.get(request.buildsetid) ?? null, builds: [] };
      level.set(request.buildrequestid, walked);
      requests.set(request.buildrequestid, walked);
      const parent = walked.buildset?.parent_buildid;
      if (parent !== null && parent !== undefined) {
        triggered.set(parent, [...(triggered.get(parent) ?? []), walked]);
      }
    }
    if (level.size === 0) break;
    cancelled(signal);
    const builds = await client.buildsOf([...level.keys()], signal);
    attachBuilds(level, builds);
    frontier = builds.map((build) => build.buildid).filter((id) => !seenBuilds.has(id));
    frontier.forEach((id) => seenBuilds.add(id));
  }

  return roots.map((root): CheckInMaterial => {
    const links = gateLinks.get(checkInKey(root.pipeline.name, root.request.buildrequestid));
    return {
      pipeline: root.pipeline,
      root: requests.get(root.request.buildrequestid) as WalkedRequest,
      triggered,
      gateRequests: links ?? new Map(),
    };
  });
}

/** Every request under a check-in, as a short string that changes when anything in it changes. */
export function materialFingerprint(
  material: CheckInMaterial,
  decisions: readonly GateDecisionRecord[],
): string {
  const parts: string[] = [];
  const visit = (walked: WalkedRequest): void => {
    const builds = walked.builds.map(
      (build) => `${build.buildid}/${build.complete ? 1 : 0}/${build.results ?? ''}`,
    );
    parts.push(
      `${walked.request.buildrequestid}:${walked.request.complete ? 1 : 0}:${builds.join(',')}`,
    );
    for (const build of walked.builds) {
      for (const child of material.triggered.get(build.buildid) ?? []) visit(child);
    }
  };
  visit(material.root);
  for (const linked of material.gateRequests.values()) linked.forEach(visit);
  const checkIn = material.root.request.buildrequestid;
  for (const record of decisions) {
    if (record.pipeline === material.pipeline.name && record.checkIn === checkIn) {
      parts.push(`${record.gate}:${record.decision}:${record.at}`);
    }
  }
  return parts.join(' ');
}
