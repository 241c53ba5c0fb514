import {
  API,
  RATE_HEADERS,
  RUN_ID,
  defaultRoutes,
  etagged,
  jobFixture,
  jobsList,
  runFixture,
  runsList,
} from '../contract/github-fake';
import { fixtureJson } from './provider-fixtures';
import { startFakeProvider, type FakeHandler, type FakeProvider } from './fake-provider';

/** The production environment the deploy job waits on. */
export const PRODUCTION_ID = 161088068;

/** The jobs of run 562, by name; the ids are what the graph's edge ids are made of. */
export const DEPLOY_JOBS = { build: 1001, docs: 1002, test: 1003, deploy: 1004 } as const;

/**
 * The workflow file at the run's commit. Start order alone would chain docs into deploy;
 * only the file says deploy needs test and nothing else.
 */
export const DEPLOY_YAML = [
  'name: Build',
  'on: push',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '  docs:',
  '    needs: build',
  '    runs-on: ubuntu-latest',
  '  test:',
  '    needs: [build]',
  '    runs-on: ubuntu-latest',
  '  deploy:',
  '    needs: [test]',
  '    environment: production',
  '    runs-on: ubuntu-latest',
  '',
].join('\n');

export interface FakeGithubDeploy {
  fake: FakeProvider;
  /** The review POSTs the fake received, bodies parsed. */
  reviews(): unknown[];
  close(): Promise<void>;
}

/**
 * A fake GitHub Enterprise Server on 127.0.0.1 whose run 562 (workflow "Build") went build →
 * docs, test, and now waits at deploy for the `production` environment's required reviewers.
 * A review POST moves the run on, as GitHub does. Requests without `token` are refused.
 */
export async function startFakeGithubDeploy(token: string): Promise<FakeGithubDeploy> {
  let decided = false;
  const minutesAgo = (minutes: number): string =>
    new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const job = (
    name: keyof typeof DEPLOY_JOBS,
    started: number,
    finished: number | null,
  ): Record<string, unknown> =>
    jobFixture({
      id: DEPLOY_JOBS[name],
      run_id: RUN_ID,
      name,
      status: finished === null ? (decided ? 'in_progress' : 'waiting') : 'completed',
      conclusion: finished === null ? null : 'success',
      started_at: minutesAgo(started),
      completed_at: finished === null ? null : minutesAgo(finished),
      steps: [],
    });
  const [pending] = fixtureJson<Array<Record<string, unknown>>>(
    'github',
    'pending-deployments.json',
  );
  const production = {
    ...pending,
    environment: {
      ...(pending?.environment as Record<string, unknown>),
      id: PRODUCTION_ID,
      name: 'production',
    },
    wait_timer: 0,
    wait_timer_started_at: minutesAgo(2),
  };
  const routes: Record<string, FakeHandler> = {
    ...defaultRoutes(),
    'GET /api/v3/user': etagged({ login: 'octocat', id: 1 }),
    [`GET ${API}/actions/runs`]: () => ({
      body: runsList(
        runFixture({
          status: decided ? 'in_progress' : 'waiting',
          created_at: minutesAgo(10),
          run_started_at: minutesAgo(10),
          updated_at: decided ? minutesAgo(0) : minutesAgo(2),
        }),
      ),
      headers: RATE_HEADERS,
    }),
    [`GET ${API}/actions/runs/${RUN_ID}/jobs`]: () => ({
      body: jobsList(
        job('build', 10, 8),
        job('docs', 8, 7),
        job('test', 8, 3),
        job('deploy', 2, null),
      ),
      headers: RATE_HEADERS,
    }),
    [`GET ${API}/contents/.github/workflows/build.yml`]: () => ({
      body: {
        type: 'file',
        encoding: 'base64',
        content: Buffer.from(DEPLOY_YAML).toString('base64'),
      },
      headers: RATE_HEADERS,
    }),
    [`GET ${API}/actions/runs/${RUN_ID}/pending_deployments`]: () => ({
      body: decided ? [] : [production],
      headers: RATE_HEADERS,
    }),
    [`GET ${API}/actions/runs/${RUN_ID}/approvals`]: () => ({ body: [], headers: RATE_HEADERS }),
    [`POST ${API}/actions/runs/${RUN_ID}/pending_deployments`]: () => {
      decided = true;
      return { body: fixtureJson('github', 'review-pending-deployments-response.json') };
    },
  };
  const guarded = Object.fromEntries(
    Object.entries(routes).map(([key, handler]): [string, FakeHandler] => [
      key,
      (request) =>
        request.headers.authorization === `Bearer ${token}`
          ? handler(request)
          : { status: 401, body: { message: 'Bad credentials' } },
    ]),
  );
  const fake = await startFakeProvider(guarded);
  return {
    fake,
    reviews: () =>
      fake.requests
        .filter(
          (request) => request.method === 'POST' && request.path.endsWith('/pending_deployments'),
        )
        .map((request) => JSON.parse(request.body) as unknown),
    close: () => fake.close(),
  };
}
