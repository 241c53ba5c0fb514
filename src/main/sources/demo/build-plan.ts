import {
  CATALOG_STAGES,
  COMMIT_MESSAGES,
  AUTHORS,
  HISTORIC_BUILDS,
  LAST_HISTORIC_BUILD_NUMBER,
  LONG_LOAD_TEST_CHANCE,
  LONG_LOAD_TEST_SECONDS,
  type FailurePoint,
  type HistoricBuild,
  type StageDefinition,
  type StepDefinition,
} from './catalog-pipeline';
import type { DemoOptions } from './demo-options';
import { between, commitShaFor, pick, randomFor } from './seeded-random';

/**
 * A build's plan: everything about it that does not depend on what people decide — when it was
 * checked in, how long each step takes, where (if anywhere) it fails. A pure function of the
 * build number, the epoch and the options, so the same build always plays out the same way.
 */
export interface BuildPlan {
  readonly number: number;
  readonly createdAt: number;
  readonly startedAt: number;
  readonly commitSha: string;
  readonly commitMessage: string;
  readonly author: string;
  readonly stages: readonly StagePlan[];
  readonly failure: FailurePoint | null;
  /** When the failing step ends; null when every automated stage passes. */
  readonly failedAt: number | null;
  /** When the build reaches the production gate; null when it fails before. */
  readonly gateReachedAt: number | null;
}

export interface StagePlan {
  readonly definition: StageDefinition;
  readonly steps: readonly StepPlan[];
  /** Scheduled run of an automated stage; null for the gate stage and stages after a failure. */
  readonly startAt: number | null;
  readonly endAt: number | null;
}

export interface StepPlan {
  readonly definition: StepDefinition;
  /** Duration in the simulated world; it drives how long the log is. */
  readonly simulatedSeconds: number;
  /** Real duration at the configured speed. */
  readonly durationMs: number;
  readonly startAt: number | null;
  readonly endAt: number | null;
  readonly fails: boolean;
}

const historicByNumber = new Map<number, HistoricBuild>(
  HISTORIC_BUILDS.map((build) => [build.number, build]),
);

const QUEUE_SECONDS = { minimum: 2, maximum: 8 } as const;
const JITTER = { minimum: 0.8, maximum: 1.2 } as const;

function realMilliseconds(simulatedSeconds: number, options: DemoOptions): number {
  return Math.round((simulatedSeconds * 1000) / options.speed);
}

function checkInMilliseconds(options: DemoOptions): number {
  return Math.round(options.checkInEverySeconds * 1000);
}

/** When a build was checked in: the book's builds in the hour before the epoch, then one per interval. */
export function buildCreatedAt(number: number, epoch: number, options: DemoOptions): number {
  const historic = historicByNumber.get(number);
  if (historic) return epoch - historic.minutesBeforeEpoch * 60_000;
  return epoch + (number - LAST_HISTORIC_BUILD_NUMBER) * checkInMilliseconds(options);
}

/** The newest build checked in by `now`, or null before the first one. */
export function newestBuildNumber(now: number, epoch: number, options: DemoOptions): number | null {
  const interval = checkInMilliseconds(options);
  if (now >= epoch + interval) {
    return LAST_HISTORIC_BUILD_NUMBER + Math.floor((now - epoch) / interval);
  }
  const historic = [...HISTORIC_BUILDS]
    .reverse()
    .find((build) => buildCreatedAt(build.number, epoch, options) <= now);
  return historic ? historic.number : null;
}

function drawFailure(number: number, failureRate: number): FailurePoint | null {
  if (randomFor(number, 'outcome')() >= failureRate) return null;
  const candidates = CATALOG_STAGES.flatMap((stage, stageIndex) =>
    stage.steps.map((definition, stepIndex) => ({ stageIndex, stepIndex, definition })),
  ).filter((candidate) => candidate.definition.failureWeight > 0);
  const random = randomFor(number, 'failure');
  const totalWeight = candidates.reduce((sum, { definition }) => sum + definition.failureWeight, 0);
  let remaining = random() * totalWeight;
  const chosen =
    candidates.find(({ definition }) => (remaining -= definition.failureWeight) < 0) ??
    candidates[candidates.length - 1];
  if (!chosen) return null;
  return {
    stageIndex: chosen.stageIndex,
    stepIndex: chosen.stepIndex,
    scenario: Math.floor(random() * 1000),
  };
}

/** Plans one build. Pure: the same arguments always give the same plan. */
export function planBuild(number: number, epoch: number, options: DemoOptions): BuildPlan {
  const historic = historicByNumber.get(number);
  const createdAt = buildCreatedAt(number, epoch, options);
  const timing = randomFor(number, 'timing');
  const startedAt =
    createdAt +
    realMilliseconds(between(timing, QUEUE_SECONDS.minimum, QUEUE_SECONDS.maximum), options);
  const failure = historic ? historic.failure : drawFailure(number, options.failureRate);
  const longLoadTest = historic
    ? historic.longLoadTest
    : randomFor(number, 'long-load-test')() < LONG_LOAD_TEST_CHANCE;

  let cursor = startedAt;
  let failedAt: number | null = null;
  const stages = CATALOG_STAGES.map((definition, stageIndex): StagePlan => {
    const runs = failedAt === null && !definition.isGate;
    const stageStart = cursor;
    let stageFailed = false;
    const steps = definition.steps.map((stepDefinition, stepIndex): StepPlan => {
      // Every step draws its duration, run or not, so a failure never shifts later draws.
      const simulatedSeconds =
        stepDefinition.kind === 'load-test' && longLoadTest
          ? between(timing, LONG_LOAD_TEST_SECONDS.minimum, LONG_LOAD_TEST_SECONDS.maximum)
          : stepDefinition.seconds * between(timing, JITTER.minimum, JITTER.maximum);
      const durationMs = realMilliseconds(simulatedSeconds, options);
      const fails = failure?.stageIndex === stageIndex && failure.stepIndex === stepIndex;
      if (!runs || stageFailed) {
        return {
          definition: stepDefinition,
          simulatedSeconds,
          durationMs,
          startAt: null,
          endAt: null,
          fails,
        };
      }
      const startAt = cursor;
      cursor += durationMs;
      if (fails) stageFailed = true;
      return {
        definition: stepDefinition,
        simulatedSeconds,
        durationMs,
        startAt,
        endAt: cursor,
        fails,
      };
    });
    if (stageFailed) failedAt = cursor;
    return {
      definition,
      steps,
      startAt: runs ? stageStart : null,
      endAt: runs ? cursor : null,
    };
  });

  const commitRandom = randomFor(number, 'commit');
  return {
    number,
    createdAt,
    startedAt,
    commitSha: commitShaFor(number),
    commitMessage: historic?.message ?? pick(commitRandom, COMMIT_MESSAGES),
    author: historic?.author ?? pick(commitRandom, AUTHORS),
    stages,
    failure,
    failedAt,
    gateReachedAt: failedAt === null ? cursor : null,
  };
}

function automatedStepSeconds(pickSeconds: (step: StepDefinition) => number): number {
  return CATALOG_STAGES.filter((stage) => !stage.isGate)
    .flatMap((stage) => stage.steps)
    .reduce((sum, step) => sum + pickSeconds(step), 0);
}

/** The longest a build can take from check-in to the gate (or its failure). */
export function longestAutomatedRunMs(options: DemoOptions): number {
  const seconds = automatedStepSeconds((step) =>
    step.kind === 'load-test' ? LONG_LOAD_TEST_SECONDS.maximum : step.seconds * JITTER.maximum,
  );
  return realMilliseconds(QUEUE_SECONDS.maximum + seconds, options) + 1;
}

/** The shortest a passing build can take from check-in to the gate. */
export function shortestAutomatedRunMs(options: DemoOptions): number {
  const seconds = automatedStepSeconds((step) => step.seconds * JITTER.minimum);
  return realMilliseconds(QUEUE_SECONDS.minimum + seconds, options) - 1;
}
