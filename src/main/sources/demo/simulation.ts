import { isFinished } from '../../../shared/status';
import {
  buildCreatedAt,
  longestAutomatedRunMs,
  newestBuildNumber,
  planBuild,
  shortestAutomatedRunMs,
  type BuildPlan,
} from './build-plan';
import {
  resolveBuild,
  type GateContext,
  type GateDecisionRecord,
  type ResolvedBuild,
} from './build-state';
import { finishedBuildKey } from '../source';
import { CATALOG_PIPELINE, FIRST_BUILD_NUMBER } from './catalog-pipeline';
import type { DemoOptions } from './demo-options';

/**
 * The simulated CI server: the state of every build at any moment, as a pure function of the
 * epoch (when the demo first ran), the options and the recorded gate decisions. Nothing ticks;
 * asking about `now` is all it takes, so ten thousand check-ins cost no more than one.
 */

/** Builds a poll always reports (newest first), like the first page of a real CI server. */
export const RECENT_BUILDS_PER_POLL = 30;

/** Plans kept in memory; a poll touches far fewer, so older ones are simply planned again. */
const PLAN_CACHE_SIZE = 4096;

export type DecisionsByBuild = ReadonlyMap<number, GateDecisionRecord>;

export interface PollSelection {
  /** Builds this poll reports, newest first. */
  readonly builds: readonly ResolvedBuild[];
  /** Reported builds that are still unfinished: report them again until they finish. */
  readonly openBuilds: readonly number[];
}

export interface Simulation {
  readonly epoch: number;
  /** The build has been checked in by `now`. */
  exists(buildNumber: number, now: number): boolean;
  resolve(buildNumber: number, now: number, decisions: DecisionsByBuild): ResolvedBuild;
  /**
   * What one poll reports: the newest builds, every unfinished one, and the `openBuilds` an
   * earlier poll reported unfinished (so the store sees them finish even after they scroll away);
   * finished builds the store already holds are left out.
   */
  selectForPoll(
    now: number,
    decisions: DecisionsByBuild,
    openBuilds: Iterable<number>,
    knownFinishedBuilds: ReadonlySet<string>,
  ): PollSelection;
}

/** Starts the simulation of the Catalog pipeline from `epoch` (epoch milliseconds). */
export function createSimulation(epoch: number, options: DemoOptions): Simulation {
  const plans = new Map<number, BuildPlan>();
  const expiresAfterMs = options.gateExpiresAfterHours * 3_600_000;
  const longestRunMs = longestAutomatedRunMs(options);
  const shortestRunMs = shortestAutomatedRunMs(options);

  function planFor(buildNumber: number): BuildPlan {
    const cached = plans.get(buildNumber);
    if (cached) return cached;
    const plan = planBuild(buildNumber, epoch, options);
    plans.set(buildNumber, plan);
    if (plans.size > PLAN_CACHE_SIZE) {
      const oldest = plans.keys().next();
      if (!oldest.done) plans.delete(oldest.value);
    }
    return plan;
  }

  function exists(buildNumber: number, now: number): boolean {
    return (
      Number.isSafeInteger(buildNumber) &&
      buildNumber >= FIRST_BUILD_NUMBER &&
      buildCreatedAt(buildNumber, epoch, options) <= now
    );
  }

  /**
   * The first newer candidate to reach the gate supersedes this one. Only builds checked in
   * before the gate closes (or is decided, or `now`) can do that, which bounds the search.
   */
  function supersession(plan: BuildPlan, now: number, decision: GateDecisionRecord | null) {
    const none = { supersededAt: null, supersededBy: null };
    if (!options.supersedeWaitingGates || plan.gateReachedAt === null) return none;
    const bound = Math.min(now, plan.gateReachedAt + expiresAfterMs, decision?.at ?? Infinity);
    let supersededAt = Infinity;
    let supersededBy: number | null = null;
    for (let candidate = plan.number + 1; ; candidate += 1) {
      const createdAt = buildCreatedAt(candidate, epoch, options);
      if (createdAt > bound || createdAt + shortestRunMs >= supersededAt) break;
      const reachedAt = planFor(candidate).gateReachedAt;
      if (reachedAt !== null && reachedAt < supersededAt) {
        supersededAt = reachedAt;
        supersededBy = candidate;
      }
    }
    return supersededBy === null ? none : { supersededAt, supersededBy };
  }

  function resolve(buildNumber: number, now: number, decisions: DecisionsByBuild): ResolvedBuild {
    const plan = planFor(buildNumber);
    const decision = decisions.get(buildNumber) ?? null;
    const context: GateContext = { decision, ...supersession(plan, now, decision) };
    return resolveBuild(plan, context, expiresAfterMs, now);
  }

  /** Every unfinished build, found by walking back from the newest only as far as one can be. */
  function unfinishedBuilds(now: number, newest: number, decisions: DecisionsByBuild): number[] {
    const found: number[] = [];
    const oldestPossible = now - longestRunMs - expiresAfterMs;
    let candidateAtGate = false;
    for (let buildNumber = newest; buildNumber >= FIRST_BUILD_NUMBER; buildNumber -= 1) {
      const createdAt = buildCreatedAt(buildNumber, epoch, options);
      if (createdAt < oldestPossible) break;
      // Once a newer candidate has reached the gate, every older one at the gate is superseded;
      // only builds young enough to still be running can be unfinished.
      if (candidateAtGate && createdAt < now - longestRunMs) break;
      const reachedAt = planFor(buildNumber).gateReachedAt;
      if (options.supersedeWaitingGates && reachedAt !== null && reachedAt <= now) {
        candidateAtGate = true;
      }
      if (!isFinished(resolve(buildNumber, now, decisions).status)) found.push(buildNumber);
    }
    return found;
  }

  function selectForPoll(
    now: number,
    decisions: DecisionsByBuild,
    openBuilds: Iterable<number>,
    knownFinishedBuilds: ReadonlySet<string>,
  ): PollSelection {
    const newest = newestBuildNumber(now, epoch, options);
    if (newest === null) return { builds: [], openBuilds: [] };
    const resolved = new Map<number, ResolvedBuild>();
    const include = (buildNumber: number): void => {
      if (resolved.has(buildNumber) || !exists(buildNumber, now)) return;
      resolved.set(buildNumber, resolve(buildNumber, now, decisions));
    };
    const oldestRecent = Math.max(FIRST_BUILD_NUMBER, newest - RECENT_BUILDS_PER_POLL + 1);
    for (let buildNumber = newest; buildNumber >= oldestRecent; buildNumber -= 1) {
      include(buildNumber);
    }
    for (const buildNumber of unfinishedBuilds(now, newest, decisions)) include(buildNumber);
    for (const buildNumber of openBuilds) include(buildNumber);
    // An approved build deploys long after it was checked in; its decision finds it.
    for (const buildNumber of decisions.keys()) {
      if (!exists(buildNumber, now)) continue;
      const build = resolve(buildNumber, now, decisions);
      if (!isFinished(build.status)) resolved.set(buildNumber, build);
    }

    const builds = [...resolved.values()]
      .filter(
        (build) =>
          !isFinished(build.status) ||
          !knownFinishedBuilds.has(
            finishedBuildKey(CATALOG_PIPELINE.externalId, String(build.plan.number)),
          ),
      )
      .sort((left, right) => right.plan.number - left.plan.number);
    const open = builds
      .filter((build) => !isFinished(build.status))
      .map((build) => build.plan.number);
    return { builds, openBuilds: open };
  }

  return { epoch, exists, resolve, selectForPoll };
}
