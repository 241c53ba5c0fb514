import type { Decision, GateState } from '../../../shared/model';
import { isFinished, rollUpStatus, type Status } from '../../../shared/status';
import type { BuildSnapshot, GateSnapshot, StageSnapshot } from '../source';
import type { BuildPlan, StagePlan, StepPlan } from './build-plan';
import {
  CATALOG_PIPELINE,
  GATE_APPROVERS,
  GATE_ENVIRONMENT,
  GATE_STAGE_ID,
} from './catalog-pipeline';

/**
 * Where a planned build stands at a moment: its plan played forward to `now`, with the gate
 * decided as people (or the clock) decided it. Pure, so any moment can be asked about in any
 * order — which is what makes the demo testable with a fake clock.
 */

/** A person's decision on a build's production gate, as the demo server keeps it. */
export interface GateDecisionRecord {
  readonly build: number;
  readonly decision: Decision;
  readonly actor: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly comment: string;
}

/** What the rest of the world did to a build's gate: a decision, a newer candidate superseding it. */
export interface GateContext {
  readonly decision: GateDecisionRecord | null;
  /** When a newer candidate reached the gate (may lie after `now`); null when none has. */
  readonly supersededAt: number | null;
  readonly supersededBy: number | null;
}

export type GateOutcome = 'waiting' | 'approved' | 'rejected' | 'expired' | 'superseded';

export interface ResolvedGate {
  readonly outcome: GateOutcome;
  readonly state: GateState;
  readonly reachedAt: number;
  readonly expiresAt: number;
  /** When the gate stopped waiting; null while it waits. */
  readonly endedAt: number | null;
  readonly decision: GateDecisionRecord | null;
  readonly supersededBy: number | null;
}

export interface ResolvedStep {
  readonly plan: StepPlan;
  readonly status: Status;
  readonly startAt: number | null;
  readonly endAt: number | null;
}

export interface ResolvedStage {
  readonly plan: StagePlan;
  readonly status: Status;
  readonly startAt: number | null;
  readonly endAt: number | null;
  readonly steps: readonly ResolvedStep[];
}

export interface ResolvedBuild {
  readonly plan: BuildPlan;
  readonly status: Status;
  readonly finishedAt: number | null;
  readonly stages: readonly ResolvedStage[];
  /** Null until the build reaches the gate (and for builds that fail before it). */
  readonly gate: ResolvedGate | null;
}

function resolveGate(
  plan: BuildPlan,
  context: GateContext,
  expiresAfterMs: number,
  now: number,
): ResolvedGate | null {
  const reachedAt = plan.gateReachedAt;
  if (reachedAt === null || now < reachedAt) return null;
  const expiresAt = reachedAt + expiresAfterMs;
  const superseded = context.supersededAt !== null && context.supersededAt < expiresAt;
  const closesAt = superseded ? Math.max(reachedAt, context.supersededAt ?? 0) : expiresAt;
  // A decision outside the window (a hand-edited state file) is ignored, as a server would refuse it.
  const decision =
    context.decision && context.decision.at >= reachedAt && context.decision.at < closesAt
      ? context.decision
      : null;
  const endsAt = decision ? decision.at : closesAt;
  const base = { reachedAt, expiresAt, decision, supersededBy: null };
  if (now < endsAt) return { ...base, outcome: 'waiting', state: 'waiting', endedAt: null };
  if (decision) {
    const approved = decision.decision === 'approve';
    return {
      ...base,
      outcome: approved ? 'approved' : 'rejected',
      state: approved ? 'approved' : 'rejected',
      endedAt: endsAt,
    };
  }
  if (superseded) {
    return {
      ...base,
      outcome: 'superseded',
      state: 'expired',
      endedAt: endsAt,
      supersededBy: context.supersededBy,
    };
  }
  return { ...base, outcome: 'expired', state: 'expired', endedAt: endsAt };
}

function timedStatus(startAt: number, endAt: number, fails: boolean, now: number): Status {
  if (now < startAt) return 'queued';
  if (now < endAt) return 'running';
  return fails ? 'failed' : 'success';
}

function stepsWithStatus(stage: StagePlan, status: Status): ResolvedStep[] {
  return stage.steps.map((plan) => ({ plan, status, startAt: null, endAt: null }));
}

function resolveScheduledStage(
  stage: StagePlan,
  failedAt: number | null,
  now: number,
): ResolvedStage {
  const startAt = stage.startAt ?? 0;
  const endAt = stage.endAt ?? 0;
  const failureSeen = failedAt !== null && now >= failedAt;
  const steps = stage.steps.map((plan): ResolvedStep => {
    if (plan.startAt === null || plan.endAt === null) {
      return { plan, status: failureSeen ? 'skipped' : 'queued', startAt: null, endAt: null };
    }
    const status = timedStatus(plan.startAt, plan.endAt, plan.fails, now);
    return { plan, status, startAt: plan.startAt, endAt: plan.endAt };
  });
  const fails = stage.steps.some((step) => step.fails && step.startAt !== null);
  return { plan: stage, status: timedStatus(startAt, endAt, fails, now), startAt, endAt, steps };
}

function resolveGateStage(stage: StagePlan, gate: ResolvedGate | null, now: number): ResolvedStage {
  if (!gate)
    return {
      plan: stage,
      status: 'queued',
      startAt: null,
      endAt: null,
      steps: stepsWithStatus(stage, 'queued'),
    };
  if (gate.outcome === 'waiting') {
    return {
      plan: stage,
      status: 'waiting',
      startAt: null,
      endAt: null,
      steps: stepsWithStatus(stage, 'queued'),
    };
  }
  if (gate.outcome !== 'approved' || gate.endedAt === null) {
    return {
      plan: stage,
      status: 'cancelled',
      startAt: null,
      endAt: gate.endedAt,
      steps: stepsWithStatus(stage, 'skipped'),
    };
  }
  // Approval starts the deploy at the moment of the decision.
  let cursor = gate.endedAt;
  const steps = stage.steps.map((plan): ResolvedStep => {
    const startAt = cursor;
    cursor += plan.durationMs;
    return { plan, status: timedStatus(startAt, cursor, false, now), startAt, endAt: cursor };
  });
  return {
    plan: stage,
    status: timedStatus(gate.endedAt, cursor, false, now),
    startAt: gate.endedAt,
    endAt: cursor,
    steps,
  };
}

/** Plays a planned build forward to `now`. */
export function resolveBuild(
  plan: BuildPlan,
  context: GateContext,
  expiresAfterMs: number,
  now: number,
): ResolvedBuild {
  const gate = resolveGate(plan, context, expiresAfterMs, now);
  const failureSeen = plan.failedAt !== null && now >= plan.failedAt;
  const stages = plan.stages.map((stage): ResolvedStage => {
    if (stage.startAt !== null) return resolveScheduledStage(stage, plan.failedAt, now);
    if (plan.failedAt !== null) {
      const status = failureSeen ? 'blocked' : 'queued';
      return {
        plan: stage,
        status,
        startAt: null,
        endAt: null,
        steps: stepsWithStatus(stage, status),
      };
    }
    return resolveGateStage(stage, gate, now);
  });
  const status = rollUpStatus(stages.map((stage) => stage.status));
  const finishedAt = isFinished(status)
    ? Math.max(
        ...stages.map((stage) => (stage.endAt !== null && stage.endAt <= now ? stage.endAt : 0)),
      )
    : null;
  return { plan, status, finishedAt, stages, gate };
}

function isoTime(milliseconds: number | null): string | null {
  return milliseconds === null ? null : new Date(milliseconds).toISOString();
}

function shownTime(milliseconds: number | null, now: number): string | null {
  return milliseconds !== null && milliseconds <= now ? isoTime(milliseconds) : null;
}

function toGateSnapshot(gate: ResolvedGate): GateSnapshot {
  const decision = gate.decision && gate.outcome !== 'waiting' ? gate.decision : null;
  const comment =
    gate.outcome === 'superseded' && gate.supersededBy !== null
      ? `Superseded by build ${gate.supersededBy}`
      : decision?.comment || null;
  return {
    externalId: GATE_STAGE_ID,
    stageExternalId: GATE_STAGE_ID,
    name: GATE_STAGE_ID,
    environment: GATE_ENVIRONMENT,
    state: gate.state,
    // The demo's local user is always a release manager.
    canDecide: true,
    approvers: [...GATE_APPROVERS],
    waitingSince: isoTime(gate.reachedAt),
    expiresAt: isoTime(gate.expiresAt),
    decidedBy: decision?.actor ?? null,
    decidedAt: isoTime(decision?.at ?? null),
    comment,
    fields: [],
    detail: null,
  };
}

/** The build as the poller sees it: the provider-neutral snapshot of `source.ts`. */
export function toBuildSnapshot(build: ResolvedBuild, now: number): BuildSnapshot {
  const { plan } = build;
  const stages = build.stages.map((stage, position): StageSnapshot => {
    const previous = build.stages[position - 1];
    return {
      externalId: stage.plan.definition.externalId,
      name: stage.plan.definition.externalId,
      position,
      status: stage.status,
      startedAt: shownTime(stage.startAt, now),
      finishedAt: isFinished(stage.status) ? shownTime(stage.endAt, now) : null,
      webUrl: null,
      // The simulated server keeps logs per step only.
      hasLog: false,
      isGate: stage.plan.definition.isGate,
      needs: previous ? [previous.plan.definition.externalId] : [],
      steps: stage.steps.map((step, index) => ({
        externalId: step.plan.definition.externalId,
        number: index + 1,
        name: step.plan.definition.name,
        status: step.status,
        startedAt: shownTime(step.startAt, now),
        finishedAt: isFinished(step.status) ? shownTime(step.endAt, now) : null,
        hasLog: step.startAt !== null && step.startAt <= now,
      })),
    };
  });
  return {
    pipelineExternalId: CATALOG_PIPELINE.externalId,
    externalId: String(plan.number),
    number: plan.number,
    attempt: 1,
    status: build.status,
    branch: 'main',
    commitSha: plan.commitSha,
    commitMessage: plan.commitMessage,
    author: plan.author,
    trigger: 'push',
    createdAt: new Date(plan.createdAt).toISOString(),
    startedAt: shownTime(plan.startedAt, now),
    finishedAt: isoTime(build.finishedAt),
    webUrl: null,
    stages,
    gates: build.gate ? [toGateSnapshot(build.gate)] : [],
  };
}
