import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider';
import { fixtureJson } from '../support/provider-fixtures';
import {
  INPUT_ID,
  JOB,
  JOB_PATH,
  TOKEN,
  USER,
  fixtureRoutes,
  fixtureRun,
} from '../support/jenkins-routes';
import { startServe, type ServeProcess } from '../support/serve-process';

const TOKEN_VARIABLE = 'PIPEWATCH_E2E_JENKINS_TOKEN';
const INPUT_PATH = `${JOB_PATH}/16/input/${INPUT_ID}`;

let jenkins: FakeProvider;
let serve: ServeProcess;
const state = { pending: true };

/** Build 15 of the fixture as Jenkins reports a build whose tests failed but which went on. */
function unstableRun(): Record<string, unknown> {
  const run = fixtureRun(15);
  run.status = 'UNSTABLE';
  (run.stages as Array<Record<string, unknown>>)[1]!.status = 'UNSTABLE';
  return run;
}

/** Build 16 waits at Deploy until approved, then Jenkins moves it on. */
function buildSixteen(): Record<string, unknown> {
  const run = fixtureRun(16);
  if (!state.pending) {
    run.status = 'IN_PROGRESS';
    (run.stages as Array<Record<string, unknown>>)[2]!.status = 'IN_PROGRESS';
  }
  return run;
}

test.beforeAll(async () => {
  jenkins = await startFakeProvider({
    ...fixtureRoutes(),
    [`GET ${JOB_PATH}/wfapi/runs`]: () => ({ body: [buildSixteen(), unstableRun()] }),
    [`GET ${JOB_PATH}/16/wfapi/pendingInputActions`]: () => ({
      body: state.pending ? fixtureJson('jenkins', 'pending-input-actions.json') : [],
    }),
    [`GET /jenkins/me/api/json`]: () => ({ body: { id: USER, fullName: 'Ada Lovelace' } }),
    [`POST ${INPUT_PATH}/proceedEmpty`]: () => {
      state.pending = false;
      return { status: 200 };
    },
  });
  process.env[TOKEN_VARIABLE] = TOKEN;
  serve = await startServe({
    sources: [
      {
        id: 'team-jenkins',
        kind: 'jenkins',
        name: 'Team Jenkins',
        baseUrl: `${jenkins.url}/jenkins/`,
        token: { env: TOKEN_VARIABLE },
        options: { jobs: [JOB], user: USER },
      },
    ],
    polling: { activeIntervalSeconds: 1, idleIntervalSeconds: 5 },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  if (serve) rmSync(serve.dataDir, { recursive: true, force: true });
  await jenkins?.close();
  delete process.env[TOKEN_VARIABLE];
});

test.describe('a Jenkins job from a fake Jenkins', () => {
  test('an unstable build shows "Unstable" in its own colour, and approving build 16’s input posts proceedEmpty', async ({
    page,
  }) => {
    await page.goto(serve.url);
    await page.getByTestId('pipeline-card').filter({ hasText: JOB }).click();
    await page.getByTestId('pipeline-tab-matrix').click();
    const cell = page.locator(
      '[data-testid="matrix-row"][data-build-number="15"] [data-testid="matrix-cell"][data-stage="Test"]',
    );
    await expect(cell).toHaveAttribute('data-status', 'failed');
    await expect(cell).toHaveAttribute('data-status-detail', 'Unstable');
    await expect(cell).toHaveAttribute('title', /^Test: unstable/);
    // Its own colour: not the red of a plain failure.
    const [unstableColour, failedColour] = await cell.evaluate((element) => {
      const style = getComputedStyle(element);
      return [style.getPropertyValue('--status').trim(), style.getPropertyValue('--failed').trim()];
    });
    expect(unstableColour).not.toBe(failedColour);
    await page.screenshot({ path: 'test-results/screens/jenkins-unstable-matrix.png' });

    await page.getByTestId('pipeline-tab-builds').click();
    await page.locator('[data-testid="build-row"][data-build-number="15"]').first().click();
    const test15 = page.locator('[data-testid="stage-node"][data-stage="Test"]');
    await expect(test15).toHaveAttribute('data-status-detail', 'Unstable');
    await expect(test15).toContainText('Unstable');
    await expect(page.getByTestId('build-summary')).toContainText('Unstable at Test');
    await page.screenshot({ path: 'test-results/screens/jenkins-unstable.png' });

    await page.locator('[data-testid="build-row"][data-build-number="16"]').first().click();
    const deploy = page.locator('[data-testid="stage-node"][data-stage="Deploy"]');
    await expect(deploy).toHaveAttribute('data-status', 'waiting');
    await page.getByTestId('gate-approve').click();
    await expect(page.getByTestId('gate-dialog')).toContainText('Is the build okay?');
    await page.getByTestId('gate-confirm').click();
    await expect(page.getByTestId('gate-result')).toContainText(/approved|proceed/i);
    const post = jenkins.requests.find((request) => request.method === 'POST');
    expect(post?.path).toBe(`${INPUT_PATH}/proceedEmpty`);
    expect(post?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`,
    );
    await expect(deploy).toHaveAttribute('data-status', 'running');
  });
});
