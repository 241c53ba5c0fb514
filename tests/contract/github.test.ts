import { afterEach, describe, expect, it } from 'vitest';
import { finishedBuildKey, SourceError } from '../../src/main/sources/source';
import {
  API,
  HEAD_SHA,
  JOB_ID,
  PIPELINE_ID,
  RATE_HEADERS,
  RUN_ID,
  TOKEN,
  etagged,
  jobFixture,
  jobsList,
  requestKeys,
  runFixture,
  runsList,
  startGithubHarness,
  type GithubHarness,
} from './github-fake';

let harness: GithubHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(settings: Parameters<typeof startGithubHarness>[0] = {}) {
  harness = await startGithubHarness(settings);
  return harness;
}

async function pollError(current: GithubHarness): Promise<SourceError> {
  const error = await current.poll().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).message).not.toContain(TOKEN);
  return error as SourceError;
}

const finishedRun = (overrides: Record<string, unknown> = {}) =>
  runFixture({
    status: 'completed',
    conclusion: 'success',
    updated_at: '2020-01-22T19:40:00Z',
    ...overrides,
  });

describe('polling a GitHub Enterprise Server', () => {
  it('shows the workflows as pipelines and run 562 as a build with its job', async () => {
    const { poll, fake } = await start();
    const snapshot = await poll();

    expect(snapshot.pipelines.map((pipeline) => pipeline.name).sort()).toEqual([
      'octo-org/octo-repo · Build',
      'octo-org/octo-repo · CI',
      'octo-org/octo-repo · Linter',
    ]);
    expect(snapshot.pipelines.find((pipeline) => pipeline.externalId === PIPELINE_ID)?.webUrl).toBe(
      `${fake.url}/octo-org/octo-repo/actions/workflows/build.yml`,
    );
    expect(snapshot.builds).toHaveLength(1);
    const build = snapshot.builds[0]!;
    expect(build).toMatchObject({ pipelineExternalId: PIPELINE_ID, number: 562, status: 'queued' });
    expect(build.stages.map((stage) => [stage.externalId, stage.name, stage.status])).toEqual([
      [String(JOB_ID), 'build', 'success'],
    ]);
  });

  it('sends the token as a Bearer header with the pinned API version, and reads the file at the commit', async () => {
    const { poll, fake } = await start();
    await poll();

    for (const request of fake.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['x-github-api-version']).toBe('2022-11-28');
    }
    const contents = fake.requests.find((request) => request.path.includes('/contents/'));
    expect(contents?.query.get('ref')).toBe(HEAD_SHA);
  });

  it('a second poll costs no full body: every GET is conditional and answered 304', async () => {
    const { poll, fake, source } = await start();
    await poll();
    const before = fake.requests.length;
    const second = await poll();

    const again = fake.requests.slice(before);
    expect(again.map((request) => request.path)).toEqual([
      `${API}/actions/workflows`,
      `${API}/actions/runs`,
      `${API}/actions/runs/${RUN_ID}/jobs`,
    ]);
    expect(again.every((request) => request.headers['if-none-match'])).toBe(true);
    expect(source.httpStats().notModified).toBe(3);
    // The workflow file at a commit is read once and kept on disk.
    expect(second.builds[0]?.stages[0]?.name).toBe('build');
  });

  it('exposes the rate-limit budget GitHub reported', async () => {
    const { poll, source } = await start();
    expect(source.rateLimit()).toBeNull();
    await poll();
    expect(source.rateLimit()).toEqual({
      remaining: 4999,
      limit: 5000,
      resetAt: new Date(1590701888 * 1000).toISOString(),
    });
  });

  it('a finished run the store holds is not fetched again, not even after a restart', async () => {
    const { poll, fake, restart } = await start({
      routes: { [`GET ${API}/actions/runs`]: etagged(runsList(finishedRun()), '"done"') },
    });
    const first = await poll();
    expect(first.builds[0]?.status).toBe('success');
    const known = [finishedBuildKey(PIPELINE_ID, String(RUN_ID))];

    const before = fake.requests.length;
    expect((await poll(known)).builds).toEqual([]);
    const restarted = restart();
    const afterRestart = await restarted.poll({
      signal: new AbortController().signal,
      knownFinishedBuilds: new Set(known),
    });
    expect(afterRestart.builds).toEqual([]);
    expect(requestKeys(fake, before).filter((key) => key.endsWith('/jobs'))).toEqual([]);
  });

  it('a re-run (new attempt) of a finished run is fetched and reported again', async () => {
    let run = finishedRun();
    const { poll, fake } = await start({
      routes: {
        [`GET ${API}/actions/runs`]: () => ({ body: runsList(run), headers: RATE_HEADERS }),
      },
    });
    await poll();
    const known = [finishedBuildKey(PIPELINE_ID, String(RUN_ID))];
    run = runFixture({ status: 'in_progress', run_attempt: 2, updated_at: '2020-01-23T08:00:00Z' });
    const before = fake.requests.length;

    const snapshot = await poll(known);
    expect(snapshot.builds.map((build) => [build.number, build.attempt, build.status])).toEqual([
      [562, 2, 'running'],
    ]);
    expect(requestKeys(fake, before)).toContain(`GET ${API}/actions/runs/${RUN_ID}/jobs`);
  });

  it('follows the Link header to read every page of a big jobs list', async () => {
    let url = '';
    const { poll, fake } = await start({
      routes: {
        [`GET ${API}/actions/runs/${RUN_ID}/jobs`]: (request) =>
          request.query.get('page') === '2'
            ? { body: { total_count: 3, jobs: [jobFixture({ id: 3, name: 'three' })] } }
            : {
                body: {
                  total_count: 3,
                  jobs: [jobFixture({ id: 1, name: 'one' }), jobFixture({ id: 2, name: 'two' })],
                },
                headers: { link: `<${url}${API}/actions/runs/${RUN_ID}/jobs?page=2>; rel="next"` },
              },
      },
    });
    url = fake.url;
    const snapshot = await poll();
    expect(snapshot.builds[0]?.stages.map((stage) => stage.name)).toEqual(['one', 'two', 'three']);
  });

  it('with named workflows reads only their runs, and names a workflow file that does not exist', async () => {
    const { poll, fake } = await start({
      options: { workflows: ['blank.yaml'], branch: 'main', runsPerPoll: 5 },
      routes: { [`GET ${API}/actions/workflows/161335/runs`]: etagged(runsList()) },
    });
    const snapshot = await poll();
    expect(snapshot.pipelines.map((pipeline) => pipeline.name)).toEqual([
      'octo-org/octo-repo · CI',
    ]);
    const runs = fake.requests.find((request) => request.path.endsWith('/161335/runs'));
    expect(runs?.query.get('branch')).toBe('main');
    expect(runs?.query.get('per_page')).toBe('5');
    await harness?.close();

    const missing = await start({ options: { workflows: ['deploy.yml'] } });
    const error = await pollError(missing);
    expect(error.kind).toBe('not-found');
    expect(error.message).toContain('deploy.yml');
  });

  it('draws the graph by start time when the workflow file cannot be read', async () => {
    const { poll } = await start({
      routes: {
        [`GET ${API}/contents/.github/workflows/build.yml`]: () => ({
          status: 404,
          body: { message: 'Not Found' },
        }),
        [`GET ${API}/actions/runs/${RUN_ID}/jobs`]: etagged(
          jobsList(
            jobFixture({ id: 1, name: 'compile' }),
            jobFixture({
              id: 2,
              name: 'test',
              started_at: '2020-01-20T17:45:00Z',
              completed_at: '2020-01-20T17:46:00Z',
            }),
          ),
        ),
      },
    });
    const snapshot = await poll();
    expect(snapshot.builds[0]?.stages.map((stage) => stage.needs)).toEqual([[], ['1']]);
  });
});

describe('when GitHub says no', () => {
  it('401 is an auth error, and an echoed token is scrubbed from the message', async () => {
    const current = await start({
      routes: {
        [`GET ${API}/actions/workflows`]: () => ({
          status: 401,
          body: { message: `Bad credentials: ${TOKEN}` },
        }),
      },
    });
    const error = await pollError(current);
    expect(error.kind).toBe('auth');
  });

  it('a missing token variable is an auth error before any request', async () => {
    const current = await start({
      token: () => {
        throw new SourceError('auth', 'The environment variable GITHUB_TOKEN is not set.');
      },
    });
    const error = await pollError(current);
    expect(error.kind).toBe('auth');
    expect(current.fake.requests).toEqual([]);
  });

  it('500 is a server error', async () => {
    const current = await start({
      routes: { [`GET ${API}/actions/runs`]: () => ({ status: 500, body: 'oops' }) },
    });
    expect((await pollError(current)).kind).toBe('server');
  });

  it('an HTML page instead of JSON is a bad response', async () => {
    const current = await start({
      routes: {
        [`GET ${API}/actions/runs`]: () => ({
          body: '<!DOCTYPE html><html><body>Sign in</body></html>',
          headers: { 'content-type': 'text/html' },
        }),
      },
    });
    expect((await pollError(current)).kind).toBe('bad-response');
  });

  it('JSON of the wrong shape is a bad response naming the endpoint and field', async () => {
    const current = await start({
      routes: { [`GET ${API}/actions/runs`]: () => ({ body: { workflow_runs: 'none' } }) },
    });
    const error = await pollError(current);
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain('/actions/runs');
    expect(error.message).toContain('workflow_runs');
  });

  it('429 with Retry-After is a rate limit with the time to come back', async () => {
    const now = 1_700_000_000_000;
    const current = await start({
      now: () => now,
      routes: {
        [`GET ${API}/actions/runs`]: () => ({
          status: 429,
          headers: { 'retry-after': '120' },
          body: { message: 'slow down' },
        }),
      },
    });
    const error = await pollError(current);
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(now + 120_000);
  });

  it('a 403 secondary rate limit without Retry-After waits a minute', async () => {
    const now = 1_700_000_000_000;
    const current = await start({
      now: () => now,
      routes: {
        [`GET ${API}/actions/workflows`]: () => ({
          status: 403,
          body: { message: 'You have exceeded a secondary rate limit. Please wait.' },
        }),
      },
    });
    const error = await pollError(current);
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(now + 60_000);
  });

  it('a spent budget (403, remaining 0) waits until the reset, and the next poll asks nothing', async () => {
    const reset = 1_700_003_600;
    const current = await start({
      now: () => 1_700_000_000_000,
      routes: {
        [`GET ${API}/actions/workflows`]: () => ({
          status: 403,
          headers: {
            // The server's clock agrees with the test's: its reset time is read in that clock.
            Date: new Date(1_700_000_000_000).toUTCString(),
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(reset),
          },
          body: { message: 'API rate limit exceeded' },
        }),
      },
    });
    const error = await pollError(current);
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(reset * 1000);
    expect(current.source.rateLimit()?.remaining).toBe(0);

    const asked = current.fake.requests.length;
    const again = await pollError(current);
    expect(again.kind).toBe('rate-limited');
    expect(current.fake.requests.length).toBe(asked);
  });

  it('two sources sharing a token never have two requests in flight at once', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (body: unknown) => async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 15));
      inFlight -= 1;
      return { body, headers: RATE_HEADERS };
    };
    const current = await start({
      routes: {
        [`GET ${API}/actions/workflows`]: slow({ total_count: 0, workflows: [] }),
        [`GET ${API}/actions/runs`]: slow(runsList()),
      },
    });
    const other = current.restart();
    await Promise.all([
      current.poll(),
      other.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set() }),
    ]);
    expect(current.fake.requests.length).toBe(4);
    expect(most).toBe(1);
  });
});

describe('a stopped poller', () => {
  it('abandons the poll between requests', async () => {
    const current = await start();
    const controller = new AbortController();
    controller.abort();
    const error = await current.source
      .poll({ signal: controller.signal, knownFinishedBuilds: new Set() })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    expect(current.fake.requests).toEqual([]);
  });
});

describe('a pipeline that needs no token', () => {
  it('polls without an Authorization header', async () => {
    const current = await start({ token: () => null });
    await current.poll();
    expect(current.fake.requests.every((request) => !request.headers.authorization)).toBe(true);
  });
});
