import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildbotClient } from '../../src/main/sources/buildbot/buildbot-client';
import { buildbotOptionsSchema } from '../../src/main/sources/buildbot/buildbot-options';
import { createBuildbotSource } from '../../src/main/sources/buildbot/buildbot-source';
import { SourceError, type BuildSnapshot, type CiSource } from '../../src/main/sources/source';
import {
  BUILDBOT_PASSWORD,
  BUILDBOT_USER,
  buildbotMissing,
  startBuildbot,
  type RunningBuildbot,
} from './buildbot/buildbot-harness';

/**
 * Pipewatch against a real Buildbot (Debian's 3.7): the Catalog chain of master.cfg
 * (compile → fast-tests → slow-tests, then the force-only production gate), forced through
 * JSON-RPC like a check-in, read through the adapter exactly as the poller reads it.
 */

const missing = buildbotMissing();
if (missing) console.log(`Skipping the real Buildbot test: ${missing}.`);

const OPTIONS = {
  pipelines: [
    {
      name: 'catalog',
      rootBuilder: 'compile',
      gates: [{ builder: 'production', after: 'slow-tests' }],
    },
  ],
};

describe.skipIf(missing !== null)('Pipewatch watching a real Buildbot master', () => {
  let buildbot: RunningBuildbot | undefined;
  const folders: string[] = [];

  function source(user: string | null): CiSource {
    const stateDirectory = folders[0] ?? mkdtempSync(join(tmpdir(), 'pipewatch-bb-state-'));
    if (folders.length === 0) folders.push(stateDirectory);
    return createBuildbotSource({
      options: buildbotOptionsSchema.parse(user ? { ...OPTIONS, user } : OPTIONS),
      baseUrl: buildbot?.webUrl,
      token: () => (user ? BUILDBOT_PASSWORD : null),
      stateDirectory,
    });
  }

  /** A check-in, the way a change hook would start one: forces compile; answers its request id. */
  async function checkIn(revision: string, failStage: string): Promise<string> {
    const client = new BuildbotClient({
      baseUrl: buildbot?.webUrl ?? '',
      user: BUILDBOT_USER,
      token: () => BUILDBOT_PASSWORD,
    });
    const compile = (await client.builders()).find((builder) => builder.name === 'compile');
    const result = (await client.control('/forceschedulers/check-in', 'force', {
      builderid: compile?.builderid,
      revision,
      branch: 'main',
      reason: `check-in of ${revision}`,
      fail_stage: failStage,
    })) as [number, Record<string, number>];
    return String(Object.values(result[1])[0]);
  }

  async function pollUntil(
    watched: CiSource,
    what: string,
    done: (builds: BuildSnapshot[]) => boolean,
  ): Promise<BuildSnapshot[]> {
    const deadline = Date.now() + 45_000;
    let builds: BuildSnapshot[] = [];
    while (Date.now() < deadline) {
      const snapshot = await watched.poll({
        signal: new AbortController().signal,
        knownFinishedBuilds: new Set(),
      });
      builds = snapshot.builds;
      if (done(builds)) return builds;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(
      `Timed out waiting until ${what}; last poll: ${JSON.stringify(builds.map((build) => [build.externalId, build.status, build.stages.map((stage) => `${stage.name}:${stage.status}`)]))}\n${buildbot?.masterLog() ?? ''}`,
    );
  }

  const byId = (builds: BuildSnapshot[], id: string): BuildSnapshot | undefined =>
    builds.find((build) => build.externalId === id);
  const stagesOf = (build: BuildSnapshot | undefined): string[] =>
    build?.stages.map((stage) => `${stage.name}:${stage.status}`) ?? [];

  async function stepLog(
    watched: CiSource,
    build: BuildSnapshot,
    stageName: string,
    stepName: string,
  ): Promise<string> {
    const stage = build.stages.find((item) => item.name === stageName);
    const step = stage?.steps.find((item) => item.name === stepName);
    expect(step, `${stageName} has a step "${stepName}"`).toBeDefined();
    const log = await watched.fetchLog({
      pipelineExternalId: 'catalog',
      buildExternalId: build.externalId,
      stageExternalId: stageName,
      stepExternalId: step?.externalId ?? null,
    });
    return log.text;
  }

  beforeAll(async () => {
    buildbot = await startBuildbot();
  }, 90_000);

  afterAll(async () => {
    await buildbot?.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }, 30_000);

  it('shows each check-in as one build of the chain, waits at the production gate, and approving deploys it', async () => {
    const watched = source(BUILDBOT_USER);
    const good = await checkIn('c0ffee1', '');
    const broken = await checkIn('badbad2', 'fast-tests');
    const rejected = await checkIn('f00d003', '');

    const builds = await pollUntil(
      watched,
      'two check-ins wait at production and one failed',
      (all) =>
        byId(all, good)?.status === 'waiting' &&
        byId(all, rejected)?.status === 'waiting' &&
        byId(all, broken)?.status === 'failed',
    );
    const waiting = byId(builds, good) as BuildSnapshot;
    expect(stagesOf(waiting)).toEqual([
      'compile:success',
      'fast-tests:success',
      'slow-tests:success',
      'production:waiting',
    ]);
    expect(waiting.stages.map((stage) => stage.needs)).toEqual([
      [],
      ['compile'],
      ['fast-tests'],
      ['slow-tests'],
    ]);
    expect(waiting).toMatchObject({ commitSha: 'c0ffee1', branch: 'main', author: BUILDBOT_USER });
    expect(waiting.gates).toMatchObject([{ externalId: 'production', state: 'waiting' }]);
    expect(waiting.stages[0]?.steps.map((step) => step.name)).toEqual([
      'worker_preparation',
      'compile',
      'compile checks',
      'trigger fast-tests',
    ]);
    const unitTests = await stepLog(watched, waiting, 'fast-tests', 'unit tests');
    expect(unitTests).toContain('\n42 unit tests passed\n');
    expect(unitTests).not.toMatch(/^o42/m);

    const failed = byId(builds, broken) as BuildSnapshot;
    expect(stagesOf(failed)).toEqual([
      'compile:success',
      'fast-tests:failed',
      'slow-tests:blocked',
      'production:blocked',
    ]);
    expect(failed.gates).toEqual([]);
    expect(await stepLog(watched, failed, 'fast-tests', 'fast-tests checks')).toContain(
      'error: fast-tests failed on purpose',
    );

    const gate = {
      pipelineExternalId: 'catalog',
      buildExternalId: good,
      gateExternalId: 'production',
    };
    // Anyone may look, but only a release manager may force production.
    const anonymous = source(null);
    expect(await anonymous.readGate(gate)).toMatchObject({ state: 'waiting' });
    const refused = await anonymous
      .decideGate(gate, 'approve', '', {})
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SourceError);
    expect((refused as SourceError).kind).toBe('forbidden');
    expect((refused as SourceError).message).toContain("you need to have role 'release-managers'");

    const answer = await watched.decideGate(gate, 'approve', 'ship it', {});
    expect(answer.actor).toBe(BUILDBOT_USER);
    expect(answer.message).toMatch(/forced production/);
    const deployed = byId(
      await pollUntil(watched, 'production ran', (all) => byId(all, good)?.status === 'success'),
      good,
    ) as BuildSnapshot;
    expect(stagesOf(deployed)).toEqual([
      'compile:success',
      'fast-tests:success',
      'slow-tests:success',
      'production:success',
    ]);
    expect(deployed.gates).toMatchObject([
      { state: 'approved', decidedBy: BUILDBOT_USER, comment: 'ship it' },
    ]);
    expect(await stepLog(watched, deployed, 'production', 'deploy')).toContain(
      'deploying catalog c0ffee1 to production',
    );
    expect(await watched.readGate(gate)).toMatchObject({ state: 'approved' });

    // Buildbot cannot reject: Pipewatch keeps the decision, and a fresh source still shows it.
    const otherGate = { ...gate, buildExternalId: rejected };
    await watched.decideGate(otherGate, 'reject', 'not this one', {});
    const afterRestart = source(BUILDBOT_USER);
    const rejectedBuild = byId(
      await pollUntil(
        afterRestart,
        'the rejection shows',
        (all) => byId(all, rejected) !== undefined,
      ),
      rejected,
    );
    expect(rejectedBuild?.status).toBe('cancelled');
    expect(rejectedBuild?.gates).toMatchObject([
      { state: 'rejected', decidedBy: BUILDBOT_USER, comment: 'not this one' },
    ]);
    expect(await afterRestart.readGate(otherGate)).toMatchObject({ state: 'rejected' });
  }, 90_000);
});
