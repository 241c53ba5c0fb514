import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  DEPLOY_JOBS,
  PRODUCTION_ID,
  startFakeGithubDeploy,
  type FakeGithubDeploy,
} from '../support/fake-github-deploy';
import { startServe, type ServeProcess } from '../support/serve-process';

const TOKEN = 'ghp_e2eDeployToken0123456789abcdefABCD';
const TOKEN_VARIABLE = 'PIPEWATCH_E2E_GITHUB_TOKEN';

let github: FakeGithubDeploy;
let serve: ServeProcess;

test.beforeAll(async () => {
  github = await startFakeGithubDeploy(TOKEN);
  // The serve process inherits the environment: the token never goes in the config file.
  process.env[TOKEN_VARIABLE] = TOKEN;
  serve = await startServe({
    sources: [
      {
        id: 'octo-github',
        kind: 'github',
        name: 'Octo GitHub',
        baseUrl: `${github.fake.url}/api/v3`,
        token: { env: TOKEN_VARIABLE },
        options: { repositories: ['octo-org/octo-repo'] },
      },
    ],
    polling: { activeIntervalSeconds: 1, idleIntervalSeconds: 5 },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  if (serve) rmSync(serve.dataDir, { recursive: true, force: true });
  await github?.close();
  delete process.env[TOKEN_VARIABLE];
});

const edge = (from: keyof typeof DEPLOY_JOBS, to: keyof typeof DEPLOY_JOBS): string =>
  `rf__edge-${DEPLOY_JOBS[from]}->${DEPLOY_JOBS[to]}`;

test.describe('a GitHub Actions run from a fake GitHub', () => {
  test('run 562 shows the workflow file’s needs, waits at production, and approving it posts the review', async ({
    page,
  }) => {
    await page.goto(serve.url);
    const card = page
      .getByTestId('pipeline-card')
      .filter({ hasText: 'octo-org/octo-repo · Build' });
    await expect(card).toBeVisible();

    // The approvals inbox lists the waiting environment.
    await page.getByTestId('inbox-link').click();
    const item = page.locator('[data-testid="inbox-item"][data-build-number="562"]');
    await expect(item).toContainText('production');

    await page.goto(serve.url);
    await card.click();
    await page.locator('[data-testid="build-row"][data-build-number="562"]').first().click();

    // The edges come from the workflow file, not from start order (which would chain docs → deploy).
    const edges = page.locator('.react-flow__edge');
    await expect(edges).toHaveCount(3);
    const ids = await edges.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-testid')).sort(),
    );
    expect(ids).toEqual(
      [edge('build', 'docs'), edge('build', 'test'), edge('test', 'deploy')].sort(),
    );
    const node = (stage: string) =>
      page.locator(`[data-testid="stage-node"][data-stage="${stage}"]`);
    await expect(node('deploy')).toHaveAttribute('data-status', 'waiting');
    await expect(node('test')).toHaveAttribute('data-status', 'success');

    await page.getByTestId('gate-approve').click();
    await expect(page.getByTestId('gate-dialog')).toContainText('production');
    await page.getByTestId('gate-comment').fill('Tests are green, ship it');
    await page.getByTestId('gate-confirm').click();
    await expect(page.getByTestId('gate-result')).toContainText(/approved|started/i);

    expect(github.reviews()).toEqual([
      { environment_ids: [PRODUCTION_ID], state: 'approved', comment: 'Tests are green, ship it' },
    ]);
    const review = github.fake.requests.find((request) => request.method === 'POST');
    expect(review?.path).toBe(
      '/api/v3/repos/octo-org/octo-repo/actions/runs/30433642/pending_deployments',
    );
    expect(review?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // GitHub moves the run on; the next poll shows deploy running.
    await expect(node('deploy')).toHaveAttribute('data-status', 'running');
  });
});
