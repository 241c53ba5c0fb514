import { afterEach, describe, expect, it } from 'vitest';
import { createJenkinsSource } from '../../src/main/sources/jenkins/jenkins-source';
import { jenkinsOptionsSchema } from '../../src/main/sources/jenkins/jenkins-options';
import { finishedBuildKey } from '../../src/main/sources/source';
import { startFakeProvider, type FakeHandler, type FakeProvider } from '../support/fake-provider';
import {
  BASIC,
  JOB,
  JOB_PATH,
  TOKEN,
  coreBuilds,
  failure,
  fixtureRoutes,
  fixtureRun,
  jenkinsSource,
  olderRun,
  pollContext,
} from '../support/jenkins-server';

let server: FakeProvider | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(routes = fixtureRoutes()): Promise<FakeProvider> {
  server = await startFakeProvider(routes);
  return server;
}

describe('Jenkins polling', () => {
  it('watches a multibranch branch in a folder behind a /jenkins/ prefix, with Basic auth', async () => {
    const branch = 'team/shop/feature%2Flogin';
    const path = '/jenkins/job/team/job/shop/job/feature%252Flogin';
    const fake = await start(fixtureRoutes(path));
    const source = jenkinsSource(fake, { jobs: [branch] });

    const snapshot = await source.poll(pollContext());

    expect(snapshot.pipelines).toEqual([
      { externalId: branch, name: 'team » shop » feature/login', webUrl: `${fake.url}${path}/` },
    ]);
    expect(snapshot.builds.map((build) => [build.number, build.status])).toEqual([
      [16, 'waiting'],
      [15, 'success'],
    ]);
    const waiting = snapshot.builds[0]!;
    expect(waiting.webUrl).toBe(`${fake.url}${path}/16/`);
    expect(waiting.gates.map((gate) => [gate.name, gate.state, gate.stageExternalId])).toEqual([
      ['Is the build okay?', 'waiting', '10'],
    ]);
    expect(waiting.stages[0]!.steps.map((step) => step.name)).toEqual(['Git', 'Shell Script']);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((request) => request.headers.authorization === BASIC)).toBe(true);
    const builds = fake.requests.find((request) => request.path === `${path}/api/json`);
    expect(builds?.query.get('tree')).toMatch(/^builds\[number,result,.*\]\{0,25\}$/);
  });

  it('reads an UNSTABLE build as failed that says "Unstable", never as success', async () => {
    const unstable = fixtureRun(15);
    unstable.status = 'UNSTABLE';
    (unstable.stages as Array<Record<string, unknown>>)[1]!.status = 'UNSTABLE';
    const fake = await start({
      ...fixtureRoutes(),
      [`GET ${JOB_PATH}/wfapi/runs`]: () => ({ body: [fixtureRun(16), unstable] }),
    });

    const snapshot = await jenkinsSource(fake).poll(pollContext());

    const build = snapshot.builds.find((candidate) => candidate.number === 15);
    expect([build?.status, build?.statusDetail]).toEqual(['failed', 'Unstable']);
    expect(build?.stages.map((stage) => [stage.name, stage.status, stage.statusDetail])).toEqual([
      ['Build', 'success', null],
      ['Test', 'failed', 'Unstable'],
      ['Deploy', 'success', null],
    ]);
  });

  it('costs one request per job once every build is stored and the history is listed', async () => {
    const fake = await start();
    const source = jenkinsSource(fake);
    const known = [finishedBuildKey(JOB, '15'), finishedBuildKey(JOB, '16')];
    await source.poll(pollContext(known));
    const before = fake.requests.length;

    const second = await source.poll(pollContext(known));

    expect(second.builds).toEqual([]);
    expect(fake.requests.slice(before).map((request) => request.path)).toEqual([
      `${JOB_PATH}/wfapi/runs`,
    ]);
  });

  it('asks again with the ETag a proxy gave, and a 304 costs no body', async () => {
    const fake = await start({
      ...fixtureRoutes(),
      [`GET ${JOB_PATH}/wfapi/runs`]: (request) =>
        request.headers['if-none-match'] === '"runs-1"'
          ? { status: 304 }
          : { body: [olderRun(15)], headers: { ETag: '"runs-1"' } },
    });
    const source = jenkinsSource(fake, { historyBuilds: 0 });
    const first = await source.poll(pollContext());
    expect(first.builds.map((build) => build.number)).toEqual([15]);

    const second = await source.poll(pollContext([finishedBuildKey(JOB, '15')]));

    const runs = fake.requests.filter((request) => request.path === `${JOB_PATH}/wfapi/runs`);
    expect(runs[1]?.headers['if-none-match']).toBe('"runs-1"');
    expect(second.builds).toEqual([]);
  });

  it('pages older builds from the core API and brings them in a few per poll', async () => {
    const routes: Record<string, FakeHandler> = {
      [`GET ${JOB_PATH}/wfapi/runs`]: () => ({ body: [stageless(60), stageless(59)] }),
      [`GET ${JOB_PATH}/api/json`]: coreBuilds(60),
    };
    for (let number = 1; number <= 58; number += 1) {
      routes[`GET ${JOB_PATH}/${number}/wfapi/describe`] = () => ({ body: stageless(number) });
    }
    const fake = await start(routes);
    const source = jenkinsSource(fake, { historyBuilds: 60, historyBuildsPerPoll: 20 });
    const known = new Set<string>();
    const polls: number[][] = [];
    for (let poll = 0; poll < 4; poll += 1) {
      const snapshot = await source.poll(pollContext([...known]));
      polls.push(snapshot.builds.map((build) => build.number));
      for (const build of snapshot.builds) known.add(finishedBuildKey(JOB, build.externalId));
    }

    const pages = fake.requests
      .filter((request) => request.path === `${JOB_PATH}/api/json`)
      .map((request) => /\{\d+,\d+\}$/.exec(request.query.get('tree') ?? '')?.[0]);
    expect(pages).toEqual(['{0,25}', '{25,50}', '{50,60}']);
    expect(polls).toEqual([
      [60, 59, ...countDown(58, 39)],
      countDown(38, 19),
      countDown(18, 1),
      [],
    ]);
    const describes = new RegExp(`^${JOB_PATH}/\\d+/wfapi/describe$`);
    const older = fake.requests.filter((request) => describes.test(request.path));
    expect(older).toHaveLength(58);
  });

  it('stops asking once the poller gives up on the poll', async () => {
    const controller = new AbortController();
    const fake = await start({
      ...fixtureRoutes(),
      [`GET ${JOB_PATH}/wfapi/runs`]: () => {
        controller.abort();
        return { body: [fixtureRun(16)] };
      },
    });
    const poll = jenkinsSource(fake).poll({
      signal: controller.signal,
      knownFinishedBuilds: new Set(),
    });
    expect((await failure(poll)).message).toMatch(/cancelled/);
    expect(fake.requests.map((request) => request.path)).toEqual([`${JOB_PATH}/wfapi/runs`]);
  });

  it('names a job Jenkins does not have', async () => {
    const fake = await start();
    const source = jenkinsSource(fake, { jobs: ['team/gone'] });
    const error = await failure(source.poll(pollContext()));
    expect(error.kind).toBe('not-found');
    expect(error.message).toContain('no Pipeline job "team » gone"');
  });

  it('says a source without baseUrl needs one', async () => {
    const source = createJenkinsSource({
      baseUrl: null,
      options: jenkinsOptionsSchema.parse({ jobs: [JOB] }),
      token: () => TOKEN,
    });
    const error = await failure(source.poll(pollContext()));
    expect(error.message).toMatch(/set baseUrl/);
  });
});

describe('Jenkins errors as health', () => {
  const runsAnswer = (answer: Parameters<FakeProvider['route']>[1]) => ({
    ...fixtureRoutes(),
    [`GET ${JOB_PATH}/wfapi/runs`]: answer,
  });

  it('turns 429 with Retry-After into a rate limit with a time to come back', async () => {
    const fake = await start(runsAnswer(() => ({ status: 429, headers: { 'Retry-After': '30' } })));
    const before = Date.now();
    const error = await failure(jenkinsSource(fake).poll(pollContext()));
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 29_000);
  });

  it('turns a 403 that says when to come back into a rate limit too', async () => {
    const fake = await start(runsAnswer(() => ({ status: 403, headers: { 'Retry-After': '5' } })));
    expect((await failure(jenkinsSource(fake).poll(pollContext()))).kind).toBe('rate-limited');
  });

  it('turns 401 into an auth error and 500 into a server error, echoing no token', async () => {
    const fake = await start(runsAnswer(() => ({ status: 401, body: `Invalid token ${TOKEN}` })));
    expect((await failure(jenkinsSource(fake).poll(pollContext()))).kind).toBe('auth');
    fake.route(`GET ${JOB_PATH}/wfapi/runs`, () => ({
      status: 500,
      body: `java.lang.NullPointerException for ${TOKEN}`,
    }));
    expect((await failure(jenkinsSource(fake).poll(pollContext()))).kind).toBe('server');
  });

  it('calls a login page where JSON should be a bad response', async () => {
    const fake = await start(
      runsAnswer(() => ({
        headers: { 'Content-Type': 'text/html' },
        body: '<!DOCTYPE html><html><body>Sign in to Jenkins</body></html>',
      })),
    );
    const error = await failure(jenkinsSource(fake).poll(pollContext()));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain('not JSON');
  });

  it('asks for the user that goes with a token', async () => {
    const fake = await start();
    const source = createJenkinsSource({
      baseUrl: `${fake.url}/jenkins/`,
      options: jenkinsOptionsSchema.parse({ jobs: [JOB] }),
      token: () => TOKEN,
    });
    const error = await failure(source.poll(pollContext()));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('options.user');
    expect(fake.requests).toEqual([]);
  });

  it('polls anonymously without a token', async () => {
    const fake = await start();
    await jenkinsSource(fake, { user: undefined }, null).poll(pollContext());
    expect(fake.requests.every((request) => request.headers.authorization === undefined)).toBe(
      true,
    );
  });
});

/** An older build without stages, so paging costs no stage requests. */
function stageless(number: number) {
  return { ...olderRun(number), stages: [] };
}

function countDown(from: number, to: number): number[] {
  const numbers: number[] = [];
  for (let number = from; number >= to; number -= 1) numbers.push(number);
  return numbers;
}
