import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../support/fake-provider';
import {
  API,
  NOW,
  TOKEN,
  failure,
  pipelineOf,
  poll,
  startFakeGitlab,
  type FakeGitlab,
} from './gitlab-fake';
import { jobFixture, pipelineJobsFixture, pipelineListFixture } from '../unit/gitlab-fixtures';

let gitlab: FakeGitlab;
beforeEach(async () => {
  gitlab = await startFakeGitlab();
});
afterEach(async () => {
  await gitlab.server.close();
});

describe('polling a GitLab project', () => {
  it('shows test-group/test-project with pipelines #12 and #13 as builds, their jobs as stages', async () => {
    const snapshot = await poll(gitlab.source());

    expect(snapshot.pipelines).toEqual([
      {
        externalId: '21',
        name: 'Test Group / Test Project',
        webUrl: 'http://127.0.0.1:3000/test-group/test-project/-/pipelines',
      },
    ]);
    const byNumber = new Map(snapshot.builds.map((build) => [build.number, build]));
    expect([...byNumber.keys()].sort()).toEqual([12, 13]);
    expect(byNumber.get(12)).toMatchObject({
      externalId: '47',
      status: 'queued',
      branch: 'new-pipeline',
    });
    expect(byNumber.get(12)?.stages.map((stage) => [stage.name, stage.status])).toEqual([
      ['rspec:other', 'failed'],
      ['teaspoon', 'failed'],
    ]);
    const deploy = byNumber.get(13);
    expect(deploy?.status).toBe('waiting');
    expect(deploy?.stages.map((stage) => [stage.name, stage.needs])).toEqual([
      ['compile', []],
      ['deploy-production', []],
    ]);
    expect(deploy?.gates).toEqual([
      expect.objectContaining({
        externalId: '8',
        environment: 'production',
        state: 'waiting',
        detail: expect.stringMatching(/^1 of 3 approvals .*; the job must then be played\.$/),
      }),
    ]);
  });

  it('sends the token as PRIVATE-TOKEN on every request, and asks for the newest pipelines first', async () => {
    await poll(gitlab.source());

    expect(gitlab.server.requests.length).toBeGreaterThan(5);
    for (const request of gitlab.server.requests) {
      expect(request.headers['private-token']).toBe(TOKEN);
      expect(request.headers.authorization).toBeUndefined();
    }
    const list = gitlab.requests('GET', `${API}/pipelines`)[0];
    expect(Object.fromEntries(list?.query ?? [])).toEqual({
      order_by: 'updated_at',
      sort: 'desc',
      per_page: '20',
    });
  });

  it('sends an OAuth token as Authorization: Bearer', async () => {
    await poll(gitlab.source({ tokenType: 'oauth', ref: 'new-pipeline' }));
    const list = gitlab.requests('GET', `${API}/pipelines`)[0];
    expect(list?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(list?.headers['private-token']).toBeUndefined();
    expect(list?.query.get('ref')).toBe('new-pipeline');
  });

  it('a second poll asks only for what changed since, and unchanged pages cost no body (304)', async () => {
    const source = gitlab.source();
    await poll(source);
    const graphQueries = gitlab.requests('POST', '/api/graphql').length;
    expect(gitlab.counter.notModified).toBe(0);

    const second = await poll(source);

    const lists = gitlab.requests('GET', `${API}/pipelines`);
    expect(Object.fromEntries(lists[1]?.query ?? [])).toMatchObject({
      updated_after: '2016-08-12T10:09:56.223Z',
      sort: 'asc',
    });
    // Pipeline 47 is still pending, so it is read again, conditionally: pipeline and jobs 304.
    expect(gitlab.requests('GET', `${API}/pipelines/47`)).toHaveLength(2);
    expect(gitlab.requests('GET', `${API}/pipelines/47`)[1]?.headers['if-none-match']).toMatch(
      /^W\//,
    );
    expect(gitlab.counter.notModified).toBeGreaterThanOrEqual(2);
    // Bridges are not asked again (none existed), nor the graph (it never changes).
    expect(gitlab.requests('GET', `${API}/pipelines/47/bridges`)).toHaveLength(1);
    expect(gitlab.requests('POST', '/api/graphql')).toHaveLength(graphQueries);
    expect(second.builds.map((build) => build.externalId)).toEqual(['47']);
  });

  it('does not read again a pipeline the store holds as finished', async () => {
    gitlab.server.route(`GET ${API}/pipelines`, () => ({
      body: [{ ...pipelineListFixture()[0], status: 'success' }],
    }));
    const snapshot = await poll(gitlab.source(), ['21/47']);
    expect(snapshot.builds).toEqual([]);
    expect(gitlab.requests('GET', `${API}/pipelines/47`)).toHaveLength(0);
  });

  it('follows X-Next-Page through a pipeline with more jobs than one page', async () => {
    const [first, second] = pipelineJobsFixture();
    gitlab.server.route(`GET ${API}/pipelines/47/jobs`, (request) =>
      request.query.get('page') === '2'
        ? { body: [second] }
        : { body: [first], headers: { 'X-Next-Page': '2', 'X-Page': '1' } },
    );
    const snapshot = await poll(gitlab.source());
    const build = snapshot.builds.find((candidate) => candidate.externalId === '47');
    expect(build?.stages.map((stage) => stage.name)).toEqual(['rspec:other', 'teaspoon']);
    expect(
      gitlab.requests('GET', `${API}/pipelines/47/jobs`).map((r) => r.query.get('page')),
    ).toEqual([null, '2']);
  });

  it('falls back to stage order when GraphQL refuses, and does not ask it again at once', async () => {
    gitlab.server.route('POST /api/graphql', () => ({
      body: { errors: [{ message: "Field 'schedulingType' doesn't exist on type 'CiJob'" }] },
    }));
    const source = gitlab.source();
    const snapshot = await poll(source);
    const deploy = snapshot.builds.find((build) => build.externalId === '48');
    expect(deploy?.stages.find((stage) => stage.name === 'deploy-production')?.needs).toEqual([
      '5',
    ]);
    const asked = gitlab.requests('POST', '/api/graphql').length;
    expect(asked).toBe(1);
    expect(JSON.parse(gitlab.requests('POST', '/api/graphql')[0]?.body ?? '{}')).toMatchObject({
      variables: { fullPath: 'test-group/test-project' },
    });

    const pipeline49 = { id: 49, iid: 14, status: 'running', updated_at: '2016-08-13T10:00:00Z' };
    gitlab.server.route(`GET ${API}/pipelines`, () => ({
      body: [{ ...pipelineListFixture()[1], ...pipeline49 }],
    }));
    gitlab.server.route(`GET ${API}/pipelines/49`, () => ({
      body: { ...pipelineOf(48), ...pipeline49 },
    }));
    gitlab.server.route(`GET ${API}/pipelines/49/jobs`, () => ({ body: [] }));
    await poll(source);
    expect(gitlab.requests('POST', '/api/graphql')).toHaveLength(1);
  });

  it('a stopped poller makes no request', async () => {
    const controller = new AbortController();
    controller.abort();
    const problem = await failure(() =>
      gitlab.source().poll({ signal: controller.signal, knownFinishedBuilds: new Set() }),
    );
    expect(problem.kind).toBe('unreachable');
    expect(gitlab.server.requests).toHaveLength(0);
  });

  it('an unknown project is named, with where to fix it', async () => {
    const problem = await failure(() => poll(gitlab.source({ projects: ['test-group/missing'] })));
    expect(problem.kind).toBe('not-found');
    expect(problem.message).toBe(
      'GitLab has no project "test-group/missing", or the token cannot see it. Check options.projects.',
    );
  });
});

describe('GitLab failures as health', () => {
  const failWith = (status: number, headers: Record<string, string>, body: unknown) =>
    gitlab.server.route(`GET ${API}/pipelines`, () => ({ status, headers, body }));

  it('429 with Retry-After is rate-limited until then', async () => {
    failWith(429, { 'Retry-After': '30', 'Content-Type': 'text/plain' }, 'Retry later');
    const problem = await failure(() => poll(gitlab.source()));
    expect(problem).toMatchObject({ kind: 'rate-limited', retryAt: NOW + 30_000 });
  });

  it('403 with a spent RateLimit-Remaining is rate-limited until RateLimit-Reset', async () => {
    const reset = NOW / 1000 + 90;
    failWith(
      403,
      {
        // The server's clock agrees with the test's: its reset time is read in that clock.
        Date: new Date(NOW).toUTCString(),
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': String(reset),
      },
      { message: '403 Forbidden' },
    );
    const problem = await failure(() => poll(gitlab.source()));
    expect(problem).toMatchObject({ kind: 'rate-limited', retryAt: NOW + 90_000 });
  });

  it('reports the budget GitLab announces, and spends no request once it is gone', async () => {
    const reset = NOW / 1000 + 60;
    const headers = {
      'RateLimit-Limit': '2000',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(reset),
    };
    gitlab.server.route('GET /api/v4/projects/test-group%2Ftest-project', () => ({
      body: { id: 21, path_with_namespace: 'test-group/test-project' },
      headers,
    }));
    gitlab.server.route(`GET ${API}/pipelines`, () => ({ body: [], headers }));
    const source = gitlab.source();
    await poll(source);
    expect(source.rateLimit?.()).toEqual({
      limit: 2000,
      remaining: 0,
      resetAt: new Date(reset * 1000).toISOString(),
    });
    const before = gitlab.server.requests.length;

    const problem = await failure(() => poll(source));

    expect(problem).toMatchObject({ kind: 'rate-limited', retryAt: NOW + 60_000 });
    expect(gitlab.server.requests).toHaveLength(before);
  });

  it('401 is an auth failure and 500 a server error; neither message carries the token', async () => {
    failWith(401, {}, { message: `401 Unauthorized: token ${TOKEN} revoked` });
    const auth = await failure(() => poll(gitlab.source()));
    expect(auth.kind).toBe('auth');
    expect(auth.message).not.toContain(TOKEN);

    failWith(500, {}, `boom while checking ${TOKEN}`);
    const server = await failure(() => poll(gitlab.source()));
    expect(server.kind).toBe('server');
    expect(server.message).toContain('boom while checking ***');
    expect(server.message).not.toContain(TOKEN);
  });

  it('an HTML page where JSON belongs (a login page) is a bad response', async () => {
    failWith(
      200,
      { 'Content-Type': 'text/html' },
      '<!DOCTYPE html><html><body>Sign in</body></html>',
    );
    const problem = await failure(() => poll(gitlab.source()));
    expect(problem.kind).toBe('bad-response');
    expect(problem.message).toMatch(/not JSON for \/api\/v4\/projects\/21\/pipelines/);
  });

  it('a JSON answer of the wrong shape is a bad response naming the field', async () => {
    failWith(200, {}, [{ id: 'forty-seven' }]);
    const problem = await failure(() => poll(gitlab.source()));
    expect(problem).toMatchObject({ kind: 'bad-response' });
    expect(problem.message).toMatch(/the pipelines of project 21: \[0\]\.id/);
  });
});

describe('GitLab job logs', () => {
  const trace =
    '\u001b[0Ksection_start:1560896352:step_script\r\u001b[0K\u001b[36;1mRunning rubocop\u001b[0;m\n' +
    'lib/catalog.rb:3:1: C: Missing magic comment\n' +
    '\u001b[0Ksection_end:1560896353:step_script\r\u001b[0K\n' +
    '\u001b[31;1mERROR: Job failed: exit code 1\u001b[0;m\n';

  it('fetches a job trace as it is, complete once the job finished', async () => {
    gitlab.server.route(`GET ${API}/jobs/8`, () => ({ body: jobFixture() }));
    gitlab.server.route(`GET ${API}/jobs/8/trace`, () => ({ body: trace }));
    const log = await gitlab.source().fetchLog({
      pipelineExternalId: '21',
      buildExternalId: '6',
      stageExternalId: '8',
      stepExternalId: null,
    });
    // Kept in the pieces it arrived in; `text` joins them.
    expect(log.pieces?.join('')).toBe(trace);
    expect({ text: log.text, complete: log.complete }).toEqual({ text: trace, complete: true });
  });

  it('follows a redirect to object storage without sending the token there', async () => {
    const storage = await startFakeProvider({ 'GET /signed/job.log': () => ({ body: trace }) });
    try {
      gitlab.server.route(`GET ${API}/jobs/8`, () => ({
        body: { ...jobFixture(), status: 'running' },
      }));
      gitlab.server.route(`GET ${API}/jobs/8/trace`, () => ({
        status: 302,
        headers: { Location: `${storage.url}/signed/job.log?X-Amz-Signature=abc` },
      }));
      const log = await gitlab.source().fetchLog({
        pipelineExternalId: '21',
        buildExternalId: '6',
        stageExternalId: '8',
        stepExternalId: null,
      });
      // Kept in the pieces it arrived in; `text` joins them.
      expect(log.pieces?.join('')).toBe(trace);
      expect({ text: log.text, complete: log.complete }).toEqual({ text: trace, complete: false });
      expect(storage.requests[0]?.headers['private-token']).toBeUndefined();
      expect(storage.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await storage.close();
    }
  });

  it('a job without a log says so in words', async () => {
    gitlab.server.route(`GET ${API}/jobs/8`, () => ({
      body: { ...jobFixture(), status: 'pending' },
    }));
    const problem = await failure(() =>
      gitlab.source().fetchLog({
        pipelineExternalId: '21',
        buildExternalId: '6',
        stageExternalId: '8',
        stepExternalId: null,
      }),
    );
    expect(problem).toEqual({
      kind: 'not-found',
      message: 'GitLab has no log for job rubocop (it has not started, or its log was erased).',
      retryAt: null,
    });
  });
});
