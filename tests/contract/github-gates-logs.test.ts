import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/main/sources/source';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';
import { fixtureJson } from '../support/provider-fixtures';
import {
  API,
  JOB_ID,
  PIPELINE_ID,
  RATE_HEADERS,
  RUN_ID,
  TOKEN,
  etagged,
  jobFixture,
  jobsList,
  runFixture,
  runsList,
  startGithubHarness,
  type GithubHarness,
} from './github-fake';

/** The spec's review request names environment 161171787; the pending list is made to match. */
const ENVIRONMENT_ID = 161171787;
const DEPLOY_JOB_ID = 399444497;

let harness: GithubHarness | null = null;
let signedLogs: FakeProvider | null = null;
afterEach(async () => {
  await harness?.close();
  await signedLogs?.close();
  harness = null;
  signedLogs = null;
});

function pendingStaging(): unknown {
  const [pending] = fixtureJson<Array<Record<string, unknown>>>(
    'github',
    'pending-deployments.json',
  );
  const environment = pending?.environment as Record<string, unknown>;
  return [{ ...pending, environment: { ...environment, id: ENVIRONMENT_ID } }];
}

/** The spec's approval history, for the same environment id. */
function approvedStaging(): unknown {
  return fixtureJson<Array<Record<string, unknown>>>('github', 'environment-approvals.json').map(
    (approval) => ({
      ...approval,
      environments: (approval.environments as Array<Record<string, unknown>>).map((env) => ({
        ...env,
        id: ENVIRONMENT_ID,
      })),
    }),
  );
}

/** Run 562 waiting for the staging review: job "build" passed, "deploy" waits. */
function waitingRoutes(reviewStatus = 200) {
  let decided = false;
  return {
    routes: {
      [`GET ${API}/actions/runs`]: () => ({
        body: runsList(
          runFixture({
            status: decided ? 'in_progress' : 'waiting',
            updated_at: decided ? '2020-01-22T19:50:00Z' : '2020-01-22T19:40:00Z',
          }),
        ),
        headers: RATE_HEADERS,
      }),
      [`GET ${API}/actions/runs/${RUN_ID}/jobs`]: () => ({
        body: jobsList(
          jobFixture(),
          jobFixture({
            id: DEPLOY_JOB_ID,
            name: 'deploy',
            status: decided ? 'in_progress' : 'waiting',
            conclusion: null,
            steps: [],
          }),
        ),
      }),
      [`GET ${API}/actions/runs/${RUN_ID}/pending_deployments`]: () => ({
        body: decided ? [] : pendingStaging(),
      }),
      [`GET ${API}/actions/runs/${RUN_ID}/approvals`]: () => ({
        body: decided ? approvedStaging() : [],
      }),
      [`POST ${API}/actions/runs/${RUN_ID}/pending_deployments`]: () => {
        if (reviewStatus !== 200) {
          return { status: reviewStatus, body: { message: 'Must have admin rights' } };
        }
        decided = true;
        return { body: fixtureJson('github', 'review-pending-deployments-response.json') };
      },
      ['GET /api/v3/user']: etagged({ login: 'octocat', id: 1 }),
    },
  };
}

const gateRef = {
  pipelineExternalId: PIPELINE_ID,
  buildExternalId: String(RUN_ID),
  gateExternalId: String(ENVIRONMENT_ID),
};

describe('approving a GitHub environment from Pipewatch', () => {
  it('shows the waiting gate on the deploy job, re-reads it, approves it and then shows who approved', async () => {
    harness = await startGithubHarness(waitingRoutes());
    const waiting = await harness.poll();
    const build = waiting.builds[0]!;
    expect(build.status).toBe('waiting');
    expect(build.gates).toMatchObject([
      {
        externalId: String(ENVIRONMENT_ID),
        stageExternalId: String(DEPLOY_JOB_ID),
        state: 'waiting',
      },
    ]);

    expect(await harness.source.readGate(gateRef)).toEqual({
      state: 'waiting',
      canDecide: true,
      decidedBy: null,
    });
    const answer = await harness.source.decideGate(gateRef, 'approve', 'Ship it!', {});
    expect(answer.actor).toBe('octocat');
    expect(answer.message).toContain('approved staging');

    const review = harness.fake.requests.find((request) => request.method === 'POST');
    expect(JSON.parse(review?.body ?? '')).toEqual(
      fixtureJson('github', 'review-pending-deployments-request.json'),
    );
    expect(review?.headers.authorization).toBe(`Bearer ${TOKEN}`);

    const after = await harness.poll();
    expect(after.builds[0]?.gates).toMatchObject([
      {
        state: 'approved',
        decidedBy: 'octocat',
        comment: 'Ship it!',
        stageExternalId: String(DEPLOY_JOB_ID),
      },
    ]);
    expect(await harness.source.readGate(gateRef)).toEqual({
      state: 'approved',
      canDecide: false,
      decidedBy: 'octocat',
    });
  });

  it('an empty comment is sent as "Rejected in Pipewatch." because GitHub requires one', async () => {
    harness = await startGithubHarness(waitingRoutes());
    await harness.source.decideGate(gateRef, 'reject', '   ', {});
    const review = harness.fake.requests.find((request) => request.method === 'POST');
    expect(JSON.parse(review?.body ?? '')).toEqual({
      environment_ids: [ENVIRONMENT_ID],
      state: 'rejected',
      comment: 'Rejected in Pipewatch.',
    });
  });

  it('asks GitHub who the token is only once', async () => {
    const { routes } = waitingRoutes();
    harness = await startGithubHarness({
      routes: {
        ...routes,
        // GitHub keeps the environment waiting (a second required review, say).
        [`POST ${API}/actions/runs/${RUN_ID}/pending_deployments`]: () => ({
          body: fixtureJson('github', 'review-pending-deployments-response.json'),
        }),
      },
    });
    const first = await harness.source.decideGate(gateRef, 'approve', 'first', {});
    const second = await harness.source.decideGate(gateRef, 'approve', 'second', {});
    expect([first.actor, second.actor]).toEqual(['octocat', 'octocat']);
    expect(harness.fake.requests.filter((request) => request.path === '/api/v3/user')).toHaveLength(
      1,
    );
  });

  it('a refused review says in words that you are not a required reviewer', async () => {
    harness = await startGithubHarness(waitingRoutes(403));
    const error = await harness.source
      .decideGate(gateRef, 'approve', 'go', {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('forbidden');
    expect((error as SourceError).message).toContain(
      'You are not a required reviewer for environment staging',
    );
  });
});

describe('the log of a GitHub job', () => {
  const LOG = [
    '2022-06-20T09:28:05.8714453Z ##[group]Operating System',
    '2022-06-20T09:28:05.8716261Z Ubuntu',
    '2022-06-20T09:28:05.8716897Z ##[endgroup]',
    '2022-06-20T09:28:07.1235421Z ##[error]Process completed with exit code 1.',
    '',
  ].join('\n');

  it('follows the redirect to the signed URL without the token and keeps the text as it is', async () => {
    signedLogs = await startFakeProvider({
      'GET /signedlogcontent': () => ({ body: LOG }),
    });
    const signedUrl = `${signedLogs.url}/signedlogcontent?urlSigningMethod=HMACV1&urlSignature=abc`;
    harness = await startGithubHarness({
      routes: {
        [`GET ${API}/actions/jobs/${JOB_ID}`]: etagged(fixtureJson('github', 'job.json')),
        [`GET ${API}/actions/jobs/${JOB_ID}/logs`]: () => ({
          status: 302,
          headers: { location: signedUrl },
        }),
      },
    });
    const log = await harness.source.fetchLog({
      pipelineExternalId: PIPELINE_ID,
      buildExternalId: String(RUN_ID),
      stageExternalId: String(JOB_ID),
      stepExternalId: null,
    });
    // Kept in the pieces it arrived in; `text` joins them.
    expect(log.pieces?.join('')).toBe(LOG);
    expect({ text: log.text, complete: log.complete }).toEqual({ text: LOG, complete: true });
    expect(signedLogs.requests).toHaveLength(1);
    expect(signedLogs.requests[0]?.headers.authorization).toBeUndefined();
    const logRequest = harness.fake.requests.find((request) => request.path.endsWith('/logs'));
    expect(logRequest?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a running job without a log yet says so in words', async () => {
    harness = await startGithubHarness({
      routes: {
        [`GET ${API}/actions/jobs/${JOB_ID}`]: () => ({
          body: jobFixture({ status: 'in_progress', conclusion: null }),
        }),
      },
    });
    const error = await harness.source
      .fetchLog({
        pipelineExternalId: PIPELINE_ID,
        buildExternalId: String(RUN_ID),
        stageExternalId: String(JOB_ID),
        stepExternalId: null,
      })
      .catch((caught: unknown) => caught);
    expect((error as SourceError).kind).toBe('not-found');
    expect((error as SourceError).message).toContain('once the job has finished');
  });
});

describe('re-running and cancelling GitHub runs', () => {
  const buildRef = { pipelineExternalId: PIPELINE_ID, buildExternalId: String(RUN_ID) };

  it('posts to rerun, rerun-failed-jobs, cancel and a job rerun', async () => {
    const created = () => ({ status: 201, body: {} });
    harness = await startGithubHarness({
      routes: {
        [`POST ${API}/actions/runs/${RUN_ID}/rerun`]: created,
        [`POST ${API}/actions/runs/${RUN_ID}/rerun-failed-jobs`]: created,
        [`POST ${API}/actions/runs/${RUN_ID}/cancel`]: () => ({ status: 202, body: {} }),
        [`POST ${API}/actions/jobs/${JOB_ID}/rerun`]: created,
      },
    });
    const { source } = harness;
    expect(source.capabilities).toEqual([
      'rerun-build',
      'rerun-failed',
      'cancel-build',
      'retry-stage',
    ]);
    await source.rerunBuild!(buildRef, 'all');
    expect((await source.rerunBuild!(buildRef, 'failed')).message).toContain('failed jobs');
    await source.cancelBuild!(buildRef);
    await source.retryStage!({ ...buildRef, stageExternalId: String(JOB_ID) });
    expect(
      harness.fake.requests.map((request) => `${request.method} ${request.path.replace(API, '')}`),
    ).toEqual([
      `POST /actions/runs/${RUN_ID}/rerun`,
      `POST /actions/runs/${RUN_ID}/rerun-failed-jobs`,
      `POST /actions/runs/${RUN_ID}/cancel`,
      `POST /actions/jobs/${JOB_ID}/rerun`,
    ]);
  });

  it('cancelling a finished run says it has already finished', async () => {
    harness = await startGithubHarness({
      routes: {
        [`POST ${API}/actions/runs/${RUN_ID}/cancel`]: () => ({
          status: 409,
          body: { message: 'Cannot cancel a workflow run that is completed.' },
        }),
      },
    });
    const error = await harness.source.cancelBuild!(buildRef).catch((caught: unknown) => caught);
    expect((error as SourceError).message).toContain('already finished');
  });
});
