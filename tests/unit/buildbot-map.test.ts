import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildSchema,
  logSchema,
  parseCollection,
  stepSchema,
} from '../../src/main/sources/buildbot/buildbot-wire';
import { stdioToText } from '../../src/main/sources/buildbot/log-text';
import {
  buildStatus,
  requestStatus,
  resultDetail,
  resultStatus,
  stepStatus,
} from '../../src/main/sources/buildbot/map-status';
import { SourceError, type BuildSnapshot } from '../../src/main/sources/source';
import { builderIdOf, recordedMaster, recording } from '../support/buildbot-recordings';
import { fixtureJson, fixtureText } from '../support/provider-fixtures';
import { checkIns } from './buildbot-check-ins';

const stagesOf = (build: BuildSnapshot | undefined): string[] =>
  build?.stages.map((stage) => `${stage.name}:${stage.status}`) ?? [];

describe('Buildbot results in the one status vocabulary', () => {
  it('maps every result code, with WARNINGS a success and RETRY back in the queue', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, null].map(resultStatus)).toEqual([
      'success',
      'success',
      'failed',
      'skipped',
      'failed',
      'queued',
      'cancelled',
      'unknown',
      'unknown',
    ]);
    expect([0, 1, 2, 4, null].map(resultDetail)).toEqual([
      null,
      'Warnings',
      null,
      'Exception',
      null,
    ]);
  });

  it('reads the build of the docs (complete: false, results: null) as running', () => {
    const build = buildSchema.parse(fixtureJson('buildbot', 'build.from-raml-example.json'));
    expect(buildStatus(build)).toBe('running');
    expect(requestStatus(null, [build])).toBe('running');
  });

  it('shows a request nobody claimed as queued, and one cancelled before it started as cancelled', () => {
    const request = recordedMaster('poll-gate-waiting.json').requests[0];
    if (!request) throw new Error('no request recorded');
    expect(requestStatus({ ...request, claimed: false, complete: false, results: -1 }, [])).toBe(
      'queued',
    );
    expect(requestStatus({ ...request, complete: true, results: 6 }, [])).toBe('cancelled');
  });

  it('reads the steps pasted in buildbot#3529 as finished successes', () => {
    const steps = z
      .array(stepSchema)
      .parse(JSON.parse(`[${fixtureText('buildbot', 'steps.issue-3529.fragment.txt')}]`));
    expect(steps.map((step) => [step.name, stepStatus(step, true)])).toEqual([
      ['git-buildbot', 'success'],
      ['setup-steps', 'success'],
    ]);
    expect(stepStatus({ ...steps[0], complete: false, started_at: null } as never, true)).toBe(
      'skipped',
    );
  });
});

describe('Buildbot payloads', () => {
  it('reads a collection by its plural name (the envelope of the docs)', () => {
    const schedulers = parseCollection(
      '/schedulers',
      'schedulers',
      z.object({ name: z.string(), schedulerid: z.number() }),
      fixtureJson('buildbot', 'schedulers-collection.json'),
    );
    expect(schedulers.map((scheduler) => scheduler.name)).toEqual(['smoketest', 'goaheadtryme']);
    const log = logSchema.parse(fixtureJson('buildbot', 'log.from-raml-example.json'));
    expect(log).toMatchObject({ slug: 'stdio', type: 's', num_lines: 0 });
  });

  it('names the endpoint and the field of a payload it cannot understand', () => {
    const broken = {
      builds: [
        { ...fixtureJson<object>('buildbot', 'build.from-raml-example.json'), buildid: 'x' },
      ],
    };
    const error = (() => {
      try {
        parseCollection('/builds', 'builds', buildSchema, broken);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('bad-response');
    expect((error as SourceError).message).toContain('/builds');
    expect((error as SourceError).message).toContain('builds.0.buildid');
    expect(() => parseCollection('/builds', 'builds', buildSchema, '<html>')).toThrow(
      /without a "builds" list/,
    );
  });

  it('turns a stdio log into the text a terminal showed, stderr and headers kept', () => {
    const chunk = recording('log-failed-step.json')[1]?.body as {
      logchunks: { content: string }[];
    };
    const text = stdioToText(chunk.logchunks[0]?.content ?? '');
    expect(text).toContain('\nrunning fast-tests checks\nerror: fast-tests failed on purpose\n');
    expect(text).toContain('\nprogram finished with exit code 1\n');
    expect(text.split('\n')[0]).toMatch(/^sh -c 'echo "running fast-tests checks"/);
    expect(text).not.toMatch(/^[oeh](running|error|program)/m);
  });
});

describe('a check-in as one build of the Catalog chain', () => {
  it('check-in 1 passed compile, fast-tests and slow-tests and waits at the production gate', async () => {
    const build = (await checkIns(recordedMaster('poll-gate-waiting.json'))).get('1');
    expect(stagesOf(build)).toEqual([
      'compile:success',
      'fast-tests:success',
      'slow-tests:success',
      'production:waiting',
    ]);
    expect(build).toMatchObject({
      number: 1,
      status: 'waiting',
      commitSha: 'c0ffee1',
      branch: 'main',
      author: 'release-manager',
      trigger: 'check-in',
      webUrl: 'http://buildbot.example.org/#/builders/4/builds/1',
    });
    expect(build?.stages.map((stage) => stage.needs)).toEqual([
      [],
      ['compile'],
      ['fast-tests'],
      ['slow-tests'],
    ]);
    expect(build?.gates).toMatchObject([
      { externalId: 'production', state: 'waiting', decidedBy: null },
    ]);
    expect(build?.gates[0]?.detail).toContain('revision c0ffee1');
    expect(build?.stages[1]?.steps.map((step) => step.name)).toEqual([
      'worker_preparation',
      'unit tests',
      'fast-tests checks',
      'trigger slow-tests',
    ]);
  });

  it('check-in 2 shows fast-tests failed and the stages after it blocked', async () => {
    const build = (await checkIns(recordedMaster('poll-gate-waiting.json'))).get('2');
    expect(stagesOf(build)).toEqual([
      'compile:success',
      'fast-tests:failed',
      'slow-tests:blocked',
      'production:blocked',
    ]);
    expect(build?.status).toBe('failed');
    expect(build?.gates).toEqual([]);
    expect(build?.stages[1]?.steps.at(-1)).toMatchObject({
      name: 'fast-tests checks',
      status: 'failed',
    });
  });

  it('shows only what ran when it has learned no triggers yet', async () => {
    const build = (await checkIns(recordedMaster('poll-gate-waiting.json'), { learned: [] })).get(
      '2',
    );
    expect(stagesOf(build)).toEqual(['compile:success', 'fast-tests:failed']);
  });

  it('a check-in still in the queue is queued, numbered after the newest, its stages queued', async () => {
    const master = recordedMaster('poll-gate-waiting.json');
    const compile = builderIdOf(master, 'compile');
    const queued = master.requests.find((request) => request.buildrequestid === 2);
    if (!queued) throw new Error('no request 2');
    Object.assign(queued, { claimed: false, complete: false, results: -1 });
    master.builds = master.builds.filter(
      (build) => !(build.builderid === compile && build.buildrequestid === 2),
    );
    const build = (await checkIns(master)).get('2');
    expect(build).toMatchObject({ number: 3, status: 'queued', startedAt: null });
    expect(stagesOf(build)).toEqual([
      'compile:queued',
      'fast-tests:queued',
      'slow-tests:queued',
      'production:queued',
    ]);
  });

  it('a rebuilt fast-tests replaces the failed run and counts as a second attempt', async () => {
    const master = recordedMaster('poll-gate-waiting.json');
    const failedRun = master.builds.find((build) => build.buildrequestid === 5);
    const failedSet = master.buildsets.find((set) => set.bsid === 5);
    const failedRequest = master.requests.find((request) => request.buildrequestid === 5);
    if (!failedRun || !failedSet || !failedRequest) throw new Error('no failed fast-tests');
    master.buildsets.push({ ...failedSet, bsid: 50, reason: 'rebuild', complete: false });
    master.requests.push({ ...failedRequest, buildrequestid: 50, buildsetid: 50, complete: false });
    master.builds.push({
      ...failedRun,
      buildid: 50,
      buildrequestid: 50,
      number: 9,
      complete: false,
      results: null,
    });
    const build = (await checkIns(master)).get('2');
    expect(stagesOf(build)).toEqual([
      'compile:success',
      'fast-tests:running',
      'slow-tests:queued',
      'production:queued',
    ]);
    expect(build).toMatchObject({ attempt: 2, status: 'running' });
    expect(build?.stages[1]?.webUrl).toBe('http://buildbot.example.org/#/builders/1/builds/9');
  });

  it('a fast-tests build that passed with WARNINGS is a success that says "Warnings"', async () => {
    const master = recordedMaster('poll-gate-waiting.json');
    const passed = master.builds.find(
      (build) => build.builderid === builderIdOf(master, 'fast-tests') && build.results === 0,
    );
    if (!passed) throw new Error('no passing fast-tests run');
    Object.assign(passed, { results: 1 });
    const checks = master.steps
      .get(passed.buildid)
      ?.find((step) => step.name === 'fast-tests checks');
    if (!checks) throw new Error('no fast-tests checks step');
    Object.assign(checks, { results: 1 });
    const build = [...(await checkIns(master)).values()].find((candidate) =>
      candidate.stages.some((stage) => stage.statusDetail === 'Warnings'),
    );
    const fastTests = build?.stages.find((stage) => stage.name === 'fast-tests');
    expect([fastTests?.status, fastTests?.statusDetail]).toEqual(['success', 'Warnings']);
    expect(
      fastTests?.steps.map((step) => [step.name, step.status, step.statusDetail ?? null]),
    ).toContainEqual(['fast-tests checks', 'success', 'Warnings']);
    expect(build?.stages.find((stage) => stage.name === 'compile')?.statusDetail).toBeNull();
  });

  it('a fast-tests build that ended in RETRY waits in the queue for its next try', async () => {
    const master = recordedMaster('poll-gate-waiting.json');
    const run = master.builds.find((build) => build.buildrequestid === 5);
    const request = master.requests.find((item) => item.buildrequestid === 5);
    if (!run || !request) throw new Error('no fast-tests run');
    Object.assign(run, { results: 5 });
    Object.assign(request, { complete: false, claimed: false });
    expect(stagesOf((await checkIns(master)).get('2'))).toEqual([
      'compile:success',
      'fast-tests:queued',
      'slow-tests:queued',
      'production:queued',
    ]);
  });

  it('a stage whose trigger did not fire after a success is skipped, and so is the gate after it', async () => {
    const master = recordedMaster('poll-gate-waiting.json');
    // Check-in 1 without its slow-tests buildset: fast-tests passed but never triggered it.
    master.buildsets = master.buildsets.filter((set) => set.bsid !== 4);
    const learned = [
      { from: 'compile', to: 'fast-tests' },
      { from: 'fast-tests', to: 'slow-tests' },
    ];
    expect(stagesOf((await checkIns(master, { learned })).get('1'))).toEqual([
      'compile:success',
      'fast-tests:success',
      'slow-tests:skipped',
      'production:skipped',
    ]);
  });
});
