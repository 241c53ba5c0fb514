import {
  SourceError,
  finishedBuildKey,
  type ActionAnswer,
  type BuildRef,
  type StageRef,
} from '../source';
import type { BuildbotDeps } from './buildbot-poll';
import { forceGate, resolveCheckIn, type ResolvedCheckIn } from './buildbot-gates';
import { observeStages, type ObservedStage } from './chain-graph';

/**
 * Re-runs and cancels through Buildbot's JSON-RPC: `rebuild` on a build (a new request with the
 * same source stamp and properties, under the same parent, so the chain continues from there),
 * `stop` on a running build, `cancel` on a request still in the queue.
 */

function latestBuildId(stage: ObservedStage): number | null {
  return stage.walked.builds[stage.walked.builds.length - 1]?.buildid ?? null;
}

async function rebuild(deps: BuildbotDeps, buildId: number): Promise<void> {
  await deps.client.control(`/builds/${buildId}`, 'rebuild', {});
}

function title(resolved: ResolvedCheckIn): string {
  return `${resolved.pipeline.name} #${resolved.mapped.build.number}`;
}

/** Rebuilds the whole check-in (a new build of the pipeline) or only its failed stages. */
export async function rerunBuildbotBuild(
  deps: BuildbotDeps,
  ref: BuildRef,
  scope: 'all' | 'failed',
): Promise<ActionAnswer> {
  const resolved = await resolveCheckIn(deps, ref);
  const stages = observeStages(resolved.material, deps.memory.builderNames);
  if (scope === 'all') {
    const root = stages.get(resolved.material.pipeline.rootBuilder) ?? [...stages.values()][0];
    const buildId = root ? latestBuildId(root) : null;
    if (buildId === null) {
      throw new SourceError(
        'not-found',
        `${title(resolved)} has not started yet; there is nothing to re-run.`,
      );
    }
    await rebuild(deps, buildId);
    return {
      message: `Buildbot rebuilds ${resolved.pipeline.rootBuilder} of ${title(resolved)}; it shows as a new build.`,
    };
  }
  const failed = resolved.mapped.build.stages.filter(
    (stage) => (stage.status === 'failed' || stage.status === 'cancelled') && !stage.isGate,
  );
  const rerun: string[] = [];
  for (const stage of failed) {
    const observed = stages.get(stage.externalId);
    const buildId = observed ? latestBuildId(observed) : null;
    if (buildId === null) continue;
    await rebuild(deps, buildId);
    rerun.push(stage.name);
  }
  if (rerun.length === 0)
    return { message: `Nothing failed in ${title(resolved)}; nothing was re-run.` };
  deps.memory.rewalk.add(finishedBuildKey(ref.pipelineExternalId, ref.buildExternalId));
  return { message: `Buildbot rebuilds ${rerun.join(', ')} of ${title(resolved)}.` };
}

/** Stops the running builds of a check-in and cancels its requests still in the queue. */
export async function cancelBuildbotBuild(
  deps: BuildbotDeps,
  ref: BuildRef,
): Promise<ActionAnswer> {
  const resolved = await resolveCheckIn(deps, ref);
  const reason = 'Cancelled in Pipewatch';
  let stopped = 0;
  let dropped = 0;
  for (const stage of observeStages(resolved.material, deps.memory.builderNames).values()) {
    const { request, builds } = stage.walked;
    const running = builds.find((build) => !build.complete);
    if (running) {
      await deps.client.control(`/builds/${running.buildid}`, 'stop', { reason });
      stopped += 1;
    } else if (!request.complete && builds.every((build) => build.complete)) {
      await deps.client.control(`/buildrequests/${request.buildrequestid}`, 'cancel', { reason });
      dropped += 1;
    }
  }
  if (stopped + dropped === 0) {
    return {
      message: `Nothing of ${title(resolved)} is running or queued; nothing was cancelled.`,
    };
  }
  return {
    message: `Buildbot stops ${stopped} running build${stopped === 1 ? '' : 's'} and cancels ${dropped} queued request${dropped === 1 ? '' : 's'} of ${title(resolved)}.`,
  };
}

/** Runs one stage again: a rebuild of its build, or for a gate builder a new force. */
export async function retryBuildbotStage(deps: BuildbotDeps, ref: StageRef): Promise<ActionAnswer> {
  const resolved = await resolveCheckIn(deps, ref);
  const stage = observeStages(resolved.material, deps.memory.builderNames).get(ref.stageExternalId);
  const buildId = stage ? latestBuildId(stage) : null;
  if (!stage || buildId === null) {
    throw new SourceError(
      'not-found',
      `${ref.stageExternalId} of ${title(resolved)} has no build to run again.`,
    );
  }
  const gate = resolved.pipeline.gates.find((item) => item.builder === ref.stageExternalId);
  // A rebuilt gate build would lose the reason that ties it to this check-in: force it instead.
  if (gate) await forceGate(deps, resolved, gate, {});
  else await rebuild(deps, buildId);
  deps.memory.rewalk.add(finishedBuildKey(ref.pipelineExternalId, ref.buildExternalId));
  return { message: `Buildbot runs ${ref.stageExternalId} of ${title(resolved)} again.` };
}
