import {
  API,
  BUILD_YAML,
  defaultRoutes,
  etagged,
  RATE_HEADERS,
  runFixture,
  runsList,
} from '../contract/github-fake';
import { startFakeProvider, type FakeHandler, type FakeProvider } from './fake-provider';

/**
 * A fake GitHub Enterprise Server (API under /api/v3) for Settings tests: the contract tests'
 * quiet repository `octo-org/octo-repo` (workflows "CI" blank.yaml and "Linter" linter.yaml, one
 * run; blank.yaml has a run of its own), plus `GET /user`, and every request refused with 401 unless it carries `token`.
 */
export async function startFakeGithubAccount(
  token: string,
  login = 'octocat',
): Promise<FakeProvider> {
  const guarded =
    (handler: FakeHandler): FakeHandler =>
    (request) =>
      request.headers.authorization === `Bearer ${token}`
        ? handler(request)
        : {
            status: 401,
            body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
          };
  const routes: Record<string, FakeHandler> = {
    'GET /api/v3/user': () => ({ body: { login }, headers: RATE_HEADERS }),
    ...defaultRoutes(),
    // The "CI" workflow (blank.yaml) has one run of its own, for a source that picks it.
    [`GET ${API}/actions/workflows/161335/runs`]: etagged(
      runsList(
        runFixture({
          workflow_id: 161335,
          name: 'CI',
          path: '.github/workflows/blank.yaml@main',
          head_branch: 'main',
        }),
      ),
      '"ci1"',
    ),
    [`GET ${API}/contents/.github/workflows/blank.yaml`]: () => ({
      body: {
        type: 'file',
        encoding: 'base64',
        content: Buffer.from(BUILD_YAML).toString('base64'),
      },
      headers: RATE_HEADERS,
    }),
  };
  return startFakeProvider(
    Object.fromEntries(Object.entries(routes).map(([key, handler]) => [key, guarded(handler)])),
  );
}
