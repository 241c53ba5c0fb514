import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STATE_FILE_NAME } from '../../src/main/sources/demo/demo-state';
import { SourceError } from '../../src/main/sources/source';
import {
  EPOCH,
  buildOf,
  demoSource,
  poll,
  productionGate,
  stageStatuses,
  stepRef,
  temporaryFolder,
  testClock,
} from './demo-fixture';

let folder: ReturnType<typeof temporaryFolder>;
beforeEach(() => {
  folder = temporaryFolder();
});
afterEach(() => folder.remove());

describe('the demo server on first run', () => {
  it("shows the book's history: 120 failed fast tests, 121 failed performance tests, 122 waits for production", async () => {
    const snapshot = await poll(demoSource(folder.path, testClock()));

    expect(snapshot.pipelines).toEqual([{ externalId: 'catalog', name: 'Catalog', webUrl: null }]);
    expect(snapshot.builds.map((build) => build.number)).toEqual([122, 121, 120]);

    const build120 = buildOf(snapshot, 120);
    expect(build120.status).toBe('failed');
    expect(stageStatuses(build120)).toEqual({
      compile: 'success',
      'fast-tests': 'failed',
      'slow-tests': 'blocked',
      'performance-tests': 'blocked',
      uat: 'blocked',
      production: 'blocked',
    });
    expect(build120.gates).toEqual([]);

    const build121 = buildOf(snapshot, 121);
    expect(build121.status).toBe('failed');
    expect(stageStatuses(build121)).toEqual({
      compile: 'success',
      'fast-tests': 'success',
      'slow-tests': 'success',
      'performance-tests': 'failed',
      uat: 'blocked',
      production: 'blocked',
    });

    const build122 = buildOf(snapshot, 122);
    expect(build122.status).toBe('waiting');
    expect(build122.finishedAt).toBeNull();
    expect(stageStatuses(build122)).toEqual({
      compile: 'success',
      'fast-tests': 'success',
      'slow-tests': 'success',
      'performance-tests': 'success',
      uat: 'success',
      production: 'waiting',
    });
    expect(build122.gates).toEqual([
      expect.objectContaining({
        externalId: 'production',
        stageExternalId: 'production',
        state: 'waiting',
        environment: 'production',
        canDecide: true,
        approvers: ['release-managers'],
        decidedBy: null,
        expiresAt: expect.any(String),
      }),
    ]);
  });

  it('gives every build a commit, an author, branch main and a linear stage graph', async () => {
    const snapshot = await poll(demoSource(folder.path, testClock()));
    for (const build of snapshot.builds) {
      expect(build.commitSha).toMatch(/^[0-9a-f]{40}$/);
      expect(build.author).toBeTruthy();
      expect(build.commitMessage).toBeTruthy();
      expect(build).toMatchObject({ branch: 'main', trigger: 'push', webUrl: null, attempt: 1 });
      expect(build.stages.map((stage) => stage.needs)).toEqual([
        [],
        ['compile'],
        ['fast-tests'],
        ['slow-tests'],
        ['performance-tests'],
        ['uat'],
      ]);
      expect(build.stages.filter((stage) => stage.isGate).map((stage) => stage.externalId)).toEqual(
        ['production'],
      );
      expect(Date.parse(build.createdAt)).toBeLessThan(EPOCH);
      expect(Date.parse(build.createdAt)).toBeGreaterThanOrEqual(EPOCH - 3_600_000);
    }
    expect(new Set(snapshot.builds.map((build) => build.commitSha)).size).toBe(3);
  });

  it('shows which step of 120 failed and skips the rest of the stage', async () => {
    const build120 = buildOf(await poll(demoSource(folder.path, testClock())), 120);
    const fastTests = build120.stages.find((stage) => stage.externalId === 'fast-tests');
    expect(fastTests?.steps.map((step) => [step.name, step.status, step.hasLog])).toEqual([
      ['Unit tests', 'failed', true],
      ['Lint', 'skipped', false],
    ]);
  });
});

describe('new check-ins', () => {
  it('appear as build 123 after checkInEverySeconds and walk through their stages', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock, { failureRate: 0 });
    await poll(source);

    clock.advanceSeconds(119);
    expect((await poll(source)).builds.map((build) => build.number)).not.toContain(123);

    clock.advanceSeconds(1);
    const queued = buildOf(await poll(source), 123);
    expect(queued.status).toBe('queued');
    expect(queued.createdAt).toBe(new Date(EPOCH + 120_000).toISOString());

    clock.advanceSeconds(20);
    const compiling = buildOf(await poll(source), 123);
    expect(compiling.status).toBe('running');
    expect(stageStatuses(compiling)).toMatchObject({ compile: 'running', 'fast-tests': 'queued' });

    clock.advanceSeconds(90);
    const testing = buildOf(await poll(source), 123);
    expect(stageStatuses(testing)).toMatchObject({ compile: 'success', 'fast-tests': 'running' });

    // Walk on until the gate appears: every stage must have finished, in order, on the way.
    const runningSeen: string[] = [];
    let atTheGate = testing;
    while (atTheGate.gates.length === 0) {
      clock.advanceSeconds(10);
      atTheGate = buildOf(await poll(source), 123);
      const running = atTheGate.stages.find((stage) => stage.status === 'running');
      if (running && runningSeen.at(-1) !== running.externalId)
        runningSeen.push(running.externalId);
      expect(clock.now()).toBeLessThan(EPOCH + 3_600_000);
    }
    expect(runningSeen).toEqual(['fast-tests', 'slow-tests', 'performance-tests', 'uat']);
    expect(atTheGate.status).toBe('waiting');
    expect(atTheGate.gates[0]?.state).toBe('waiting');
  });

  it('with a high speed the whole pipeline runs in seconds', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock, { failureRate: 0, speed: 100 });
    await poll(source);
    clock.advanceSeconds(120 + 10);
    expect(buildOf(await poll(source), 123).status).toBe('waiting');
  });
});

describe('the production gate', () => {
  it('approving 122 deploys it to production, then the build succeeds', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock);
    await poll(source);

    clock.advanceSeconds(30);
    const answer = await source.decideGate(productionGate(122), 'approve', 'Ship it', {});
    expect(answer).toEqual({
      actor: 'alice',
      message: 'Approved: production deploy of build 122 started',
    });
    expect(await source.readGate(productionGate(122))).toEqual({
      state: 'approved',
      canDecide: true,
      decidedBy: 'alice',
    });

    clock.advanceSeconds(5);
    const deploying = buildOf(await poll(source), 122);
    expect(deploying.status).toBe('running');
    expect(stageStatuses(deploying).production).toBe('running');
    expect(deploying.gates[0]).toMatchObject({
      state: 'approved',
      decidedBy: 'alice',
      decidedAt: new Date(EPOCH + 30_000).toISOString(),
      comment: 'Ship it',
    });

    clock.advanceSeconds(5 * 60);
    const deployed = buildOf(await poll(source), 122);
    expect(deployed.status).toBe('success');
    expect(stageStatuses(deployed).production).toBe('success');
    expect(deployed.finishedAt).not.toBeNull();
  });

  it('rejecting 122 cancels the build and records who and why', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock);
    const answer = await source.decideGate(
      productionGate(122),
      'reject',
      'Not during the sale',
      {},
    );
    expect(answer.message).toBe('Rejected: build 122 will not be deployed to production');

    const rejected = buildOf(await poll(source), 122);
    expect(rejected.status).toBe('cancelled');
    expect(stageStatuses(rejected).production).toBe('cancelled');
    expect(rejected.gates[0]).toMatchObject({
      state: 'rejected',
      decidedBy: 'alice',
      comment: 'Not during the sale',
    });
  });

  it('refuses a second decision in words, as a real server would', async () => {
    const source = demoSource(folder.path, testClock());
    await source.decideGate(productionGate(122), 'approve', '', {});
    const second = source.decideGate(productionGate(122), 'reject', 'too late', {});
    await expect(second).rejects.toThrow(SourceError);
    await expect(second).rejects.toThrow(
      'Gate production of build 122 was already approved by alice',
    );
  });

  it('refuses gates of builds that never reached production', async () => {
    const source = demoSource(folder.path, testClock());
    await expect(source.decideGate(productionGate(121), 'approve', '', {})).rejects.toThrow(
      'Build 121 has not reached the production gate',
    );
    await expect(source.readGate(productionGate(999))).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('expires after gateExpiresAfterHours when nobody decides', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock, {
      gateExpiresAfterHours: 1,
      supersedeWaitingGates: false,
    });
    await poll(source);
    clock.advanceSeconds(2 * 3600);
    const expired = buildOf(await poll(source), 122);
    expect(expired.status).toBe('cancelled');
    expect(stageStatuses(expired).production).toBe('cancelled');
    expect(expired.gates[0]).toMatchObject({ state: 'expired', decidedBy: null });
    await expect(source.decideGate(productionGate(122), 'approve', '', {})).rejects.toThrow(
      /Gate production of build 122 expired at .* and can no longer be decided/,
    );
  });

  it('is superseded when a newer candidate reaches production, so one candidate waits', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock, { failureRate: 0 });
    await poll(source);
    clock.advanceSeconds(2 * 3600);
    const snapshot = await poll(source);

    const superseded = buildOf(snapshot, 122);
    expect(superseded.status).toBe('cancelled');
    expect(superseded.gates[0]).toMatchObject({
      state: 'expired',
      comment: 'Superseded by build 123',
    });
    const waiting = snapshot.builds.filter((build) => build.gates[0]?.state === 'waiting');
    expect(waiting).toHaveLength(1);
    await expect(source.decideGate(productionGate(122), 'approve', '', {})).rejects.toThrow(
      'superseded by build 123',
    );
  });
});

describe('the state folder', () => {
  it('keeps the epoch and the decisions across a restart', async () => {
    const clock = testClock();
    const first = demoSource(folder.path, clock);
    await poll(first);
    clock.advanceSeconds(60);
    await first.decideGate(productionGate(122), 'reject', 'Waiting for the fix in 123', {});

    clock.advanceSeconds(10 * 60);
    const restarted = demoSource(folder.path, clock, {}, 'bob');
    const snapshot = await poll(restarted);
    expect(buildOf(snapshot, 122).gates[0]).toMatchObject({
      state: 'rejected',
      decidedBy: 'alice',
      decidedAt: new Date(EPOCH + 60_000).toISOString(),
    });
    // Had the epoch moved to the restart, build 127 would not exist yet.
    expect(snapshot.builds[0]?.number).toBe(127);
  });

  it('names a corrupt state file instead of silently starting over', async () => {
    const file = join(folder.path, DEMO_STATE_FILE_NAME);
    writeFileSync(file, '{ "version": 1, "epoch": ');
    const source = demoSource(folder.path, testClock());
    await expect(poll(source)).rejects.toThrow(`The demo state file ${file} is corrupt`);
    expect(readFileSync(file, 'utf8')).toBe('{ "version": 1, "epoch": ');

    writeFileSync(file, JSON.stringify({ version: 1, epoch: 'yesterday', decisions: [] }));
    await expect(poll(source)).rejects.toThrow(/corrupt \(epoch: /);
  });

  it('reports a build it showed unfinished once more when it finishes, even after a restart', async () => {
    const clock = testClock();
    const options = { checkInEverySeconds: 5, failureRate: 0 };
    const first = demoSource(folder.path, clock, options);
    await poll(first);
    clock.advanceSeconds(10);
    const running = buildOf(await poll(first), 123);
    expect(running.status).not.toBe('waiting');

    // 123 has reached the gate and been superseded long ago; hundreds of builds came after it.
    clock.advanceSeconds(3 * 3600);
    const restarted = demoSource(folder.path, clock, options);
    const later = await poll(restarted);
    expect(buildOf(later, 123).status).toBe('cancelled');
    expect((await poll(restarted)).builds.map((build) => build.number)).not.toContain(123);
  });
});

describe('logs', () => {
  it('has no log for a step that has not started', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock);
    await expect(
      source.fetchLog(stepRef(122, 'production', 'deploy-to-production')),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });
});
