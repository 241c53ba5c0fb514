import type { BuildbotPipelineOptions } from './buildbot-options';
import type { BuildbotBuild, BuildbotBuildRequest, BuildbotBuildset } from './buildbot-wire';
import type { TriggerEdge } from './chain-template';

/** A build request found while walking a chain, with its builds (oldest first; more after RETRY). */
export interface WalkedRequest {
  request: BuildbotBuildRequest;
  /** Null for a root request, whose buildset Pipewatch does not need. */
  buildset: BuildbotBuildset | null;
  builds: BuildbotBuild[];
}

/** What the walk found for one check-in (one build request of the pipeline's root builder). */
export interface CheckInMaterial {
  pipeline: BuildbotPipelineOptions;
  root: WalkedRequest;
  /** Requests triggered by a build, by the triggering build's id (shared by all check-ins). */
  triggered: ReadonlyMap<number, readonly WalkedRequest[]>;
  /** Requests of each gate builder forced for this check-in, by gate builder name. */
  gateRequests: ReadonlyMap<string, readonly WalkedRequest[]>;
}

/** A stage that ran (or is queued) on Buildbot: the newest request of its builder in the chain. */
export interface ObservedStage {
  name: string;
  walked: WalkedRequest;
  /** The stage whose build triggered this one (for a gate: the stage it follows). */
  parent: string | null;
  /** Requests and builds of this builder in the chain: re-runs (rebuilds) and RETRYs add to it. */
  attempts: number;
}

/** A stage of the build's graph, observed or only expected from the learned triggers. */
export interface ChainStage {
  name: string;
  observed: ObservedStage | null;
  isGate: boolean;
  needs: string[];
}

export function builderNameOf(
  builderNames: ReadonlyMap<number, string>,
  request: BuildbotBuildRequest,
): string {
  return builderNames.get(request.builderid) ?? `builder-${request.builderid}`;
}

/**
 * The stages that Buildbot shows for a check-in, breadth first from the root: each build's
 * triggered requests, and a gate builder's forced requests after its `after` stage. When a builder
 * appears more than once under the chain (a rebuild of a failed stage), the newest request is the
 * stage and only its builds are followed, so a re-run replaces what it re-ran.
 */
export function observeStages(
  material: CheckInMaterial,
  builderNames: ReadonlyMap<number, string>,
): Map<string, ObservedStage> {
  const nameOf = (walked: WalkedRequest): string => builderNameOf(builderNames, walked.request);
  const tries = (walked: WalkedRequest): number => Math.max(1, walked.builds.length);
  const stages = new Map<string, ObservedStage>();
  const rootName = nameOf(material.root);
  stages.set(rootName, {
    name: rootName,
    walked: material.root,
    parent: null,
    attempts: tries(material.root),
  });
  let frontier = [rootName];
  while (frontier.length > 0) {
    const candidates: { walked: WalkedRequest; parent: string }[] = [];
    for (const name of frontier) {
      const stage = stages.get(name);
      if (!stage) continue;
      for (const build of stage.walked.builds) {
        for (const walked of material.triggered.get(build.buildid) ?? []) {
          candidates.push({ walked, parent: name });
        }
      }
      for (const gate of material.pipeline.gates) {
        if (gate.after !== name) continue;
        for (const walked of material.gateRequests.get(gate.builder) ?? []) {
          candidates.push({ walked, parent: name });
        }
      }
    }
    candidates.sort(
      (left, right) => left.walked.request.buildrequestid - right.walked.request.buildrequestid,
    );
    const groups = new Map<string, typeof candidates>();
    for (const candidate of candidates) {
      const name = nameOf(candidate.walked);
      groups.set(name, [...(groups.get(name) ?? []), candidate]);
    }
    const next: string[] = [];
    for (const [name, group] of groups) {
      // A builder already placed nearer the root (fan-in, or a loop of triggers) keeps that place.
      if (stages.has(name)) continue;
      const newest = group[group.length - 1];
      if (!newest) continue;
      const attempts = group.reduce((sum, candidate) => sum + tries(candidate.walked), 0);
      stages.set(name, { name, walked: newest.walked, parent: newest.parent, attempts });
      next.push(name);
    }
    frontier = next;
  }
  return stages;
}

/** The triggers a check-in shows (gates excluded: they are configured, not learned). */
export function observedEdges(
  stages: ReadonlyMap<string, ObservedStage>,
  pipeline: BuildbotPipelineOptions,
): TriggerEdge[] {
  const gates = new Set(pipeline.gates.map((gate) => gate.builder));
  return [...stages.values()].flatMap((stage) =>
    stage.parent && !gates.has(stage.name) ? [{ from: stage.parent, to: stage.name }] : [],
  );
}

/**
 * The build's graph in order: observed stages plus those the learned triggers and configured gates
 * expect, reachable from the root. Ordered parents first (observed ones by request id, expected
 * ones by name), so positions read left to right like the chain.
 */
export function chainStages(
  rootName: string,
  observed: ReadonlyMap<string, ObservedStage>,
  learned: readonly TriggerEdge[],
  pipeline: BuildbotPipelineOptions,
): ChainStage[] {
  const gateNames = new Set(pipeline.gates.map((gate) => gate.builder));
  const children = new Map<string, Set<string>>();
  const parents = new Map<string, Set<string>>();
  const link = (from: string, to: string): void => {
    // Nothing comes before the root: every check-in starts there.
    if (from === to || to === rootName) return;
    children.set(from, (children.get(from) ?? new Set()).add(to));
    parents.set(to, (parents.get(to) ?? new Set()).add(from));
  };
  for (const edge of learned) if (!gateNames.has(edge.to)) link(edge.from, edge.to);
  for (const stage of observed.values()) if (stage.parent) link(stage.parent, stage.name);
  for (const gate of pipeline.gates) link(gate.after, gate.builder);

  const reachable = new Set<string>([rootName, ...observed.keys()]);
  const pending = [...reachable];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    for (const child of children.get(name) ?? []) {
      if (!reachable.has(child)) {
        reachable.add(child);
        pending.push(child);
      }
    }
  }

  const rank = (name: string): [number, string] => [
    observed.get(name)?.walked.request.buildrequestid ?? Number.MAX_SAFE_INTEGER,
    name,
  ];
  const byRank = (left: string, right: string): number => {
    const [leftId, leftName] = rank(left);
    const [rightId, rightName] = rank(right);
    return leftId - rightId || leftName.localeCompare(rightName);
  };
  const inside = (names: Iterable<string>): string[] =>
    [...names].filter((name) => reachable.has(name));
  const waitingOn = new Map(
    [...reachable].map((name) => [name, inside(parents.get(name) ?? []).length]),
  );
  const order: string[] = [];
  const ready = [...reachable].filter((name) => waitingOn.get(name) === 0).sort(byRank);
  while (ready.length > 0) {
    const name = ready.shift() as string;
    order.push(name);
    for (const child of inside(children.get(name) ?? [])) {
      const left = (waitingOn.get(child) ?? 0) - 1;
      waitingOn.set(child, left);
      if (left === 0) {
        ready.push(child);
        ready.sort(byRank);
      }
    }
  }
  // A loop of triggers leaves stages nobody can come first in; show them after the rest.
  order.push(...[...reachable].filter((name) => !order.includes(name)).sort(byRank));

  return order.map((name) => {
    const stage = observed.get(name) ?? null;
    const needs = stage?.parent
      ? [stage.parent]
      : inside(parents.get(name) ?? []).sort(
          (left, right) => order.indexOf(left) - order.indexOf(right),
        );
    return { name, observed: stage, isGate: gateNames.has(name), needs };
  });
}
