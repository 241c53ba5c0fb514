import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planBuild } from '../../src/main/sources/demo/build-plan';
import { demoOptionsSchema } from '../../src/main/sources/demo/demo-options';
import { createSimulation, RECENT_BUILDS_PER_POLL } from '../../src/main/sources/demo/simulation';
import { finishedBuildKey } from '../../src/main/sources/source';
import { formatIssuePath } from '../../src/shared/config';
import { EPOCH, buildOf, demoSource, poll, temporaryFolder, testClock } from './demo-fixture';

const defaults = demoOptionsSchema.parse({});

describe('demo options', () => {
  it('fill in the demo npm start shows', () => {
    expect(defaults).toEqual({
      checkInEverySeconds: 120,
      speed: 1,
      failureRate: 0.2,
      gateExpiresAfterHours: 24,
      supersedeWaitingGates: true,
    });
  });

  it('name the field that is wrong', () => {
    const wrong = demoOptionsSchema.safeParse({ speed: 0, pace: 3 });
    expect(wrong.success).toBe(false);
    const paths = wrong.error?.issues.map((issue) =>
      issue.path.length > 0 ? formatIssuePath(issue.path) : issue.message,
    );
    expect(paths).toContain('speed');
    expect(paths?.join(' ')).toContain('pace');
  });
});

describe('determinism', () => {
  it('the same build number always plays out the same way', () => {
    const first = planBuild(4321, EPOCH, defaults);
    const again = planBuild(4321, EPOCH, defaults);
    expect(again).toEqual(first);

    // A different first-run time moves the build in time but not its fate.
    const elsewhere = planBuild(4321, EPOCH + 86_400_000, defaults);
    expect(elsewhere.failure).toEqual(first.failure);
    expect(elsewhere.commitSha).toBe(first.commitSha);
    expect(elsewhere.commitMessage).toBe(first.commitMessage);
    expect(elsewhere.stages.map((stage) => stage.steps.map((step) => step.durationMs))).toEqual(
      first.stages.map((stage) => stage.steps.map((step) => step.durationMs)),
    );
  });

  it('asking about a moment gives the same answer whatever was asked before', () => {
    const moment = EPOCH + 5 * 3600_000;
    const fresh = createSimulation(EPOCH, defaults);
    const warmed = createSimulation(EPOCH, defaults);
    for (let minute = 0; minute < 300; minute += 7) {
      warmed.selectForPoll(EPOCH + minute * 60_000, new Map(), [], new Set());
    }
    const left = fresh.selectForPoll(moment, new Map(), [], new Set());
    const right = warmed.selectForPoll(moment, new Map(), [], new Set());
    expect(right.builds.map((build) => [build.plan.number, build.status])).toEqual(
      left.builds.map((build) => [build.plan.number, build.status]),
    );
  });

  it('fails about failureRate of the builds, at different stages', () => {
    const plans = Array.from({ length: 2000 }, (_, index) =>
      planBuild(200 + index, EPOCH, defaults),
    );
    const failed = plans.filter((plan) => plan.failure !== null);
    expect(failed.length / plans.length).toBeGreaterThan(0.16);
    expect(failed.length / plans.length).toBeLessThan(0.24);
    const stages = new Set(failed.map((plan) => plan.failure?.stageIndex));
    expect([...stages].sort()).toEqual([1, 2, 3, 4]);
  });

  it('never fails with failureRate 0 and always fails with 1', () => {
    const never = demoOptionsSchema.parse({ failureRate: 0 });
    const always = demoOptionsSchema.parse({ failureRate: 1 });
    for (let build = 123; build < 300; build += 1) {
      expect(planBuild(build, EPOCH, never).failure).toBeNull();
      expect(planBuild(build, EPOCH, always).failure).not.toBeNull();
    }
  });
});

describe('polling cost', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  beforeEach(() => {
    folder = temporaryFolder();
  });
  afterEach(() => folder.remove());

  it('stays flat after 10,000 check-ins', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock);
    await poll(source);
    clock.set(EPOCH + 10_000 * 120_000);

    const started = performance.now();
    const snapshot = await poll(source);
    const elapsed = performance.now() - started;

    expect(snapshot.builds[0]?.number).toBe(10_122);
    expect(snapshot.builds.length).toBeGreaterThanOrEqual(RECENT_BUILDS_PER_POLL);
    expect(snapshot.builds.length).toBeLessThanOrEqual(RECENT_BUILDS_PER_POLL + 10);
    expect(elapsed).toBeLessThan(1000);
  });

  it('leaves out finished builds the store already holds', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock);
    await poll(source);
    clock.set(EPOCH + 500 * 120_000);
    const first = await poll(source);
    const finished = first.builds
      .filter((build) => ['success', 'failed', 'cancelled'].includes(build.status))
      .map((build) => build.externalId);
    const second = await poll(
      source,
      new Set(finished.map((id) => finishedBuildKey('catalog', id))),
    );
    expect(second.builds.length).toBe(first.builds.length - finished.length);
    expect(second.builds.every((build) => !finished.includes(build.externalId))).toBe(true);
  });

  it('still reports a waiting build long after it scrolled out of the newest builds', async () => {
    const clock = testClock();
    // Every new check-in fails, so nothing supersedes 122 while it waits.
    const source = demoSource(folder.path, clock, { checkInEverySeconds: 10, failureRate: 1 });
    await poll(source);
    clock.set(EPOCH + 3600_000);
    const snapshot = await poll(source);
    expect(snapshot.builds[0]?.number).toBe(122 + 360);
    expect(buildOf(snapshot, 122).status).toBe('waiting');
    expect(snapshot.builds.length).toBeLessThan(200);
  });
});
