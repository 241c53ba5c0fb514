import { mkdirSync, rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { fastDemoConfig, startServe, type ServeProcess } from '../support/serve-process';
import { expect, test as base } from './fixtures';

/*
 * The pipeline view and the build matrix on the Catalog demo, each spec on servers of its own:
 * other specs approve build 122, and these need it still waiting.
 *  - `demo`: the fast demo (a check-in every 6 s) — the book's builds 120–122 and what follows.
 *  - `failingDemo`: every new check-in fails somewhere, so build 122 stays the last green build
 *    and build 123 is, once it has failed, the first failure since.
 */
const failingDemoConfig = {
  ...fastDemoConfig,
  sources: [
    {
      id: 'catalog-demo',
      kind: 'demo',
      name: 'Catalog (demo)',
      options: { checkInEverySeconds: 4, speed: 40, failureRate: 1, supersedeWaitingGates: false },
    },
  ],
};

async function serveOnce(config: unknown, use: (server: ServeProcess) => Promise<void>) {
  const server = await startServe(config);
  await use(server);
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
}

const test = base.extend<object, { demo: ServeProcess; failingDemo: ServeProcess }>({
  demo: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => serveOnce(fastDemoConfig, use),
    { scope: 'worker' },
  ],
  failingDemo: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => serveOnce(failingDemoConfig, use),
    { scope: 'worker' },
  ],
});

const SCREENS = 'test-results/screens';

type ApiBuild = { id: number; number: number; status: string; stages: Array<{ status: string }> };

async function builds(page: Page, server: ServeProcess): Promise<ApiBuild[]> {
  const response = await page.request.get(
    new URL('/api/pipelines/1/builds?limit=500', server.url).toString(),
  );
  return (await response.json()) as ApiBuild[];
}

async function openMatrix(page: Page, server: ServeProcess): Promise<void> {
  await page.goto(server.url);
  await page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' }).click();
  await page.getByTestId('pipeline-tab-matrix').click();
  await expect(page.getByTestId('build-matrix')).toBeVisible();
}

const row = (page: Page, number: number) =>
  page.locator(`[data-testid="matrix-row"][data-build-number="${number}"]`);
const cell = (page: Page, number: number, stage: string) =>
  row(page, number).locator(`[data-testid="matrix-cell"][data-stage="${stage}"]`);
const node = (page: Page, stage: string) =>
  page.locator(`[data-testid="stage-node"][data-stage="${stage}"]`);

test.describe('the build matrix', () => {
  test('shows 120 red at fast-tests, 121 red at performance-tests, 122 waiting at production', async ({
    page,
    demo,
  }) => {
    await openMatrix(page, demo);
    const columns = page.getByTestId('matrix-column');
    await expect(columns).toHaveCount(6);
    expect(
      await columns.evaluateAll((heads) => heads.map((head) => head.dataset['stage'])),
    ).toEqual(['compile', 'fast-tests', 'slow-tests', 'performance-tests', 'uat', 'production']);

    // The history may have grown past one screen: scroll to its beginning, where the book's builds are.
    await page
      .locator('.matrix-scroll')
      .evaluate((scroll) => (scroll.scrollTop = scroll.scrollHeight));

    await expect(cell(page, 120, 'compile')).toHaveAttribute('data-status', 'success');
    await expect(cell(page, 120, 'fast-tests')).toHaveAttribute('data-status', 'failed');
    for (const later of ['slow-tests', 'performance-tests', 'uat', 'production']) {
      await expect(cell(page, 120, later)).toHaveAttribute('data-status', 'blocked');
    }
    await expect(cell(page, 121, 'slow-tests')).toHaveAttribute('data-status', 'success');
    await expect(cell(page, 121, 'performance-tests')).toHaveAttribute('data-status', 'failed');
    await expect(cell(page, 121, 'uat')).toHaveAttribute('data-status', 'blocked');
    await expect(cell(page, 121, 'production')).toHaveAttribute('data-status', 'blocked');
    await expect(cell(page, 122, 'uat')).toHaveAttribute('data-status', 'success');
    await expect(cell(page, 122, 'production')).toHaveAttribute('data-status', 'waiting');
    await expect(cell(page, 122, 'production')).toContainText('Waiting');
    await expect(cell(page, 121, 'performance-tests')).toHaveAttribute(
      'title',
      /^performance-tests: failed \(\d+s\)$/,
    );

    const numbers = await page
      .getByTestId('matrix-row')
      .evaluateAll((rows) => rows.map((each) => Number(each.dataset['buildNumber'])));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  test('adds new builds as the demo checks them in, without a reload', async ({ page, demo }) => {
    await openMatrix(page, demo);
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    const newest = Number(
      await page.getByTestId('matrix-row').first().getAttribute('data-build-number'),
    );
    await expect(row(page, newest + 1)).toBeVisible({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe(
      'same page',
    );
  });

  test('filters by status, and a cell opens its stage with the failing step selected', async ({
    page,
    demo,
  }) => {
    await openMatrix(page, demo);
    await page.getByTestId('matrix-filter-status').selectOption('failed');
    await expect(row(page, 121)).toBeVisible();
    const statuses = await page
      .getByTestId('matrix-row')
      .evaluateAll((rows) => rows.map((each) => each.dataset['status']));
    expect(new Set(statuses)).toEqual(new Set(['failed']));
    await expect(row(page, 122)).toHaveCount(0);
    await expect(page.getByTestId('matrix-jump-failure')).toBeDisabled();

    await cell(page, 121, 'performance-tests').click();
    await expect(page).toHaveURL(/#\/pipelines\/\d+\/builds\/\d+\/stages\/\d+$/);
    const details = page.getByTestId('stage-details');
    await expect(details).toHaveAttribute('data-stage', 'performance-tests');
    const selected = details.locator('[data-testid="step-row"][data-selected="true"]');
    await expect(selected).toContainText('Load test');
    await expect(selected).toHaveAttribute('data-status', 'failed');
    await expect(selected.getByTestId('step-log-link')).toHaveAttribute(
      'href',
      /^#\/pipelines\/\d+\/builds\/\d+\/stages\/\d+\/steps\/\d+\/log$/,
    );
  });

  test('jumps to the first failure since the last green build', async ({ page, failingDemo }) => {
    test.setTimeout(90_000);
    // Every check-in after 122 fails; once 123 has, it is the first failure since 122 went green.
    await expect
      .poll(async () => (await builds(page, failingDemo)).find((b) => b.number === 123)?.status, {
        timeout: 45_000,
      })
      .toBe('failed');
    await openMatrix(page, failingDemo);
    await page.getByTestId('matrix-jump-failure').click();
    await expect(page.getByTestId('matrix-jump-result')).toHaveText(
      '#123 is the first failure since #122 was green',
    );
    const target = page.locator('[data-testid="matrix-row"][data-target="true"]');
    await expect(target).toHaveAttribute('data-build-number', '123');
    await expect(target).toBeInViewport();
  });
});

test.describe('where build 121 failed', () => {
  test('the failed stage stands out and the path from the start to it is emphasised', async ({
    page,
    demo,
  }) => {
    await openMatrix(page, demo);
    await page
      .locator('.matrix-scroll')
      .evaluate((scroll) => (scroll.scrollTop = scroll.scrollHeight));
    await row(page, 121).locator('.matrix-number').click();
    await expect(page.getByTestId('build-summary')).toHaveText(
      /^Failed at performance-tests after \d+s — stages uat, production did not run$/,
    );
    await expect(node(page, 'performance-tests')).toHaveClass(/stage-node--failed/);
    for (const before of ['compile', 'fast-tests', 'slow-tests']) {
      await expect(node(page, before)).toHaveAttribute('data-failure-path', 'true');
    }
    for (const after of ['uat', 'production']) {
      await expect(node(page, after)).toHaveAttribute('data-status', 'blocked');
      await expect(node(page, after)).not.toHaveAttribute('data-failure-path', 'true');
    }
    const pathEdges = page.locator('.react-flow__edge.edge--failure-path');
    await expect(pathEdges).toHaveCount(3);
    await expect(page.locator('.react-flow__edge.edge--failed')).toHaveCount(1);

    // Opened without a stage in the route, the failed stage is selected with its failing step.
    const failing = page.locator('[data-testid="step-row"][data-selected="true"]');
    await expect(failing).toContainText('Load test');
    await expect(page.getByTestId('build-rerun')).toBeDisabled();
    await expect(page.getByTestId('build-rerun')).toHaveAttribute(
      'title',
      'Re-run is not available for the demo',
    );
  });

  test('a stage changing state updates the open graph in place and keeps the zoom', async ({
    page,
    failingDemo,
  }) => {
    test.setTimeout(90_000);
    await page.goto(failingDemo.url);
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    let changed = false;
    for (let attempt = 0; attempt < 4 && !changed; attempt += 1) {
      // A build that has just started still has every stage ahead of it.
      let fresh: ApiBuild | undefined;
      await expect
        .poll(
          async () => {
            fresh = (await builds(page, failingDemo)).find(
              (build) => build.status === 'running' && build.stages[0]?.status === 'running',
            );
            return fresh !== undefined;
          },
          { timeout: 20_000, intervals: [200] },
        )
        .toBe(true);
      await page.evaluate((id) => (window.location.hash = `#/pipelines/1/builds/${id}`), fresh!.id);
      await expect(node(page, 'production')).toBeVisible();
      await page.locator('.react-flow__controls-zoomin').click();
      await page.waitForTimeout(400);
      const viewport = page.locator('.react-flow__viewport');
      const zoomed = await viewport.getAttribute('style');
      const statuses = () =>
        page
          .getByTestId('stage-node')
          .evaluateAll((nodes) => nodes.map((each) => each.dataset['status']).join(','));
      const before = await statuses();
      try {
        await expect.poll(statuses, { timeout: 10_000 }).not.toBe(before);
        changed = true;
      } catch {
        continue; // The build finished before the graph was open; try the next one.
      }
      expect(await viewport.getAttribute('style')).toBe(zoomed);
    }
    expect(changed).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe(
      'same page',
    );
  });
});

test.describe('screenshots', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`the matrix and build 121's graph, ${scheme}`, async ({ page, demo }) => {
      mkdirSync(SCREENS, { recursive: true });
      await page.emulateMedia({ colorScheme: scheme });
      const suffix = scheme === 'light' ? '' : '-dark';
      test.setTimeout(90_000);
      await openMatrix(page, demo);
      await expect(row(page, 122)).toBeVisible();
      // A few check-ins after the book's three builds make a fuller picture.
      await expect
        .poll(() => page.getByTestId('matrix-row').count(), { timeout: 45_000 })
        .toBeGreaterThanOrEqual(8);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${SCREENS}/matrix${suffix}.png` });

      await page
        .locator('.matrix-scroll')
        .evaluate((scroll) => (scroll.scrollTop = scroll.scrollHeight));
      await row(page, 121).locator('.matrix-number').click();
      await expect(node(page, 'performance-tests')).toHaveClass(/stage-node--failed/);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SCREENS}/pipeline-failed${suffix}.png` });
    });
  }
});

test.describe('a 200-stage build (20 shards through 10 stages)', () => {
  test('is laid out in a worker and stays usable with a minimap', async ({ page, demo }) => {
    await page.goto(demo.url);
    let book121: ApiBuild | undefined;
    await expect
      .poll(
        async () => (book121 = (await builds(page, demo)).find((build) => build.number === 121)),
      )
      .toBeDefined();
    const detail = (await (
      await page.request.get(new URL(`/api/builds/${book121!.id}`, demo.url).toString())
    ).json()) as { stages: Array<Record<string, unknown>> };
    const template = detail.stages[0]!;
    const stages = Array.from({ length: 200 }, (_, index) => {
      const group = Math.floor(index / 20);
      const shard = index % 20;
      const status =
        group < 5 ? 'success' : group > 5 ? 'blocked' : shard === 3 ? 'failed' : 'success';
      return {
        ...template,
        id: 100_000 + index,
        externalId: `g${group}-s${shard}`,
        name: `stage-${group} (shard ${shard})`,
        position: group,
        status,
        isGate: false,
        needs: group === 0 ? [] : [`g${group - 1}-s${shard}`],
        steps: [],
      };
    });
    await page.route(new RegExp(`/api/builds/${book121!.id}(\\?.*)?$`), (route) =>
      route.fulfill({ json: { ...detail, stages, gates: [] } }),
    );
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));

    await page.evaluate((id) => (window.location.hash = `#/pipelines/1/builds/${id}`), book121!.id);
    await expect(page.getByTestId('build-summary')).toContainText('Failed at stage-5 (shard 3)');
    // Each matrix of 20 shards is one node by default: ten nodes, the sixth failed.
    await expect(page.getByTestId('stage-node')).toHaveCount(10);
    await expect(node(page, 'stage-5')).toHaveAttribute('data-status', 'failed');
    await expect(node(page, 'stage-5')).toHaveAttribute('data-group-size', '20');
    await expect(node(page, 'stage-5')).toContainText('1 failed');
    await expect(node(page, 'stage-6')).toHaveAttribute('data-status', 'blocked');
    mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: `${SCREENS}/large-graph-grouped.png` });

    // Every job: 200 stages, laid out in the worker, with a minimap to find the way.
    await page.getByTestId('graph-group-toggle').click();
    await expect(page.getByTestId('build-graph')).toHaveAttribute('aria-busy', 'false');
    await expect(page.locator('.react-flow__minimap')).toBeVisible();
    await expect(page.getByTestId('stage-node').first()).toBeVisible();
    expect(workers.some((url) => url.includes('layout-worker'))).toBe(true);
    await page.screenshot({ path: `${SCREENS}/large-graph.png` });
  });
});
