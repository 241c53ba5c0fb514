import { rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { fastDemoConfig, startServe } from '../support/serve-process';
import { expect, test } from './fixtures';

/** Opens a build of the Catalog demo, clicks a red stage node and then the failing step's log. */
async function openFailedLog(
  page: Page,
  url: string,
  build: number,
  stage: string,
  waitUntilRead = true,
) {
  await page.goto(url);
  await page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' }).click();
  await page.locator(`[data-testid="build-row"][data-build-number="${build}"]`).first().click();
  await page.locator(`[data-testid="stage-node"][data-stage="${stage}"]`).click();
  const failing = page.locator('[data-testid="step-row"][data-status="failed"]');
  await failing.getByTestId('step-log-link').click();
  if (!waitUntilRead) return;
  await expect(page.getByTestId('log-viewer')).toHaveAttribute('data-parsed', 'true', {
    timeout: 30_000,
  });
}

/** Switches to dark colours for a screenshot, without catching buttons mid-transition. */
async function darkScreenshot(page: Page, path: string): Promise<void> {
  await page.addStyleTag({ content: '*, *::before { transition: none !important; }' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens build 121, clicks its red performance-tests node and then the failing step's log. */
async function openFailedLoadTest(page: Page, url: string): Promise<void> {
  await openFailedLog(page, url, 121, 'performance-tests');
}

test.describe('failed-stage logs', () => {
  test('a red node opens the 100,000-line load-test log at its first error', async ({
    page,
    serve,
  }) => {
    const blockReads: number[] = [];
    page.on('request', (request) => {
      const block = /\/log\/blocks\/(\d+)/.exec(request.url())?.[1];
      if (block !== undefined) blockReads.push(Number(block));
    });
    await openFailedLoadTest(page, serve.url);
    const viewer = page.getByTestId('log-viewer');
    expect(Number(await viewer.getAttribute('data-line-count'))).toBeGreaterThan(100_000);
    // The stored log came block by block, in order, each block once.
    expect(blockReads.length).toBeGreaterThan(3);
    expect(blockReads).toEqual(blockReads.map((_, index) => index));

    const firstError = page.locator('[data-testid="log-line"][data-first-error="true"]');
    await expect(firstError).toBeInViewport();
    await expect(firstError).toContainText(/ERRO\[\d+\] thresholds on metrics/);
    await expect(page.getByTestId('log-first-error')).toHaveAttribute(
      'data-line-number',
      (await firstError.getAttribute('data-line-number')) ?? '',
    );
    // Only the rows in view (and a bounded overscan) are in the DOM.
    expect(await page.getByTestId('log-line').count()).toBeLessThan(200);
    await expect(page).toHaveURL(/\/stages\/\d+\/steps\/\d+\/log$/);
  });

  test('search counts every match, also in the folded 100,000 samples', async ({ page, serve }) => {
    await openFailedLoadTest(page, serve.url);
    const stepId = /\/steps\/(\d+)\/log/.exec(page.url())?.[1];
    const response = await page.request.get(new URL(`/api/steps/${stepId}/log`, serve.url).href);
    const { text } = (await response.json()) as { text: string };
    const expected = text.split('\n').filter((line) => line.includes('GET /catalog/search')).length;
    expect(expected).toBeGreaterThan(10_000);

    await page.getByTestId('log-search').fill('GET /catalog/search');
    const count = page.getByTestId('log-match-count');
    await expect(count).toHaveAttribute('data-searching', 'false');
    await expect(count).toHaveAttribute('data-count', String(expected));
    await expect(count).toContainText(`of ${expected.toLocaleString('en-US')}`);
    // The current match is shown: its folded section opened and it is scrolled into view.
    await expect(page.locator('.log-match--current')).toBeInViewport();
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect(count).toContainText(`2 of ${expected.toLocaleString('en-US')}`);
    expect(await page.getByTestId('log-line').count()).toBeLessThan(200);
    await page.screenshot({ path: 'test-results/log-viewer-search.png' });

    await page.getByTestId('log-search').fill('ERRO\\[\\d{4}\\]');
    await page.getByRole('button', { name: 'Regular expression' }).click();
    await expect(count).toHaveAttribute('data-count', '1');

    // A pattern that backtracks for ever runs in a worker: it is stopped, and the window is not
    // frozen meanwhile.
    await page.getByTestId('log-search').fill('(\\S+\\S+)+!');
    await expect(count).toContainText('Too slow: simplify the pattern', { timeout: 15_000 });
    await page.getByTestId('log-search').fill('ERRO\\[\\d{4}\\]');
    await expect(count).toHaveAttribute('data-count', '1');
  });

  test('a permalink opens at its line, and the log looks right in light and dark', async ({
    page,
    serve,
  }) => {
    await openFailedLoadTest(page, serve.url);
    const firstError = page.locator('[data-testid="log-line"][data-first-error="true"]');
    const line = Number(await firstError.getAttribute('data-line-number'));
    await firstError.getByRole('link', { name: `Line ${line}` }).click();
    await expect(page).toHaveURL(new RegExp(`/log/L${line}$`));
    await expect(firstError).toHaveClass(/is-selected/);

    const permalink = page.url().replace(`/L${line}`, `/L${line - 40}`);
    await page.goto('about:blank');
    await page.goto(permalink);
    const target = page.locator(`[data-testid="log-line"][data-line-number="${line - 40}"]`);
    await expect(target).toBeInViewport();
    await expect(target).toHaveClass(/is-selected/);

    await page.goto('about:blank');
    await page.goto(permalink.replace(/\/L\d+$/, ''));
    await expect(page.getByTestId('log-viewer')).toHaveAttribute('data-parsed', 'true');
    await expect(page.locator('[data-first-error="true"]')).toBeInViewport();
    await page.screenshot({ path: 'test-results/log-viewer-light.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/log-viewer-dark.png' });
  });

  test('a block that fails to arrive keeps the lines read so far, and the log reads again', async ({
    page,
    serve,
  }) => {
    let failures = 0;
    await page.route(/\/log\/blocks\/2(\?|$)/, async (route) => {
      if (failures > 0) return route.continue();
      failures += 1;
      return route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'internal', message: 'The disk stopped answering.' }),
      });
    });
    await openFailedLog(page, serve.url, 121, 'performance-tests', false);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be read to its end' });
    await expect(alert).toContainText('The disk stopped answering.');
    // The first blocks' lines are on screen and counted.
    const viewer = page.getByTestId('log-viewer');
    expect(await page.getByTestId('log-line').count()).toBeGreaterThan(0);
    expect(Number(await viewer.getAttribute('data-line-count'))).toBeGreaterThan(2048);
    await expect(viewer).toHaveAttribute('data-parsed', 'false');
    await page.screenshot({ path: 'test-results/log-read-error.png' });

    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(viewer).toHaveAttribute('data-parsed', 'true');
    expect(Number(await viewer.getAttribute('data-line-count'))).toBeGreaterThan(100_000);
    await expect(alert).toHaveCount(0);
  });

  test('a log fetched again while it is read is opened again, never joined from two copies', async ({
    page,
    serve,
  }) => {
    let heads = 0;
    page.on('request', (request) => {
      if (/\/log\/head(\?|$)/.test(request.url())) heads += 1;
    });
    let conflicts = 0;
    await page.route(/\/log\/blocks\/1(\?|$)/, async (route) => {
      if (conflicts > 0) return route.continue();
      conflicts += 1;
      return route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({
          code: 'conflict',
          message: 'The log was fetched again while it was being read; open it again.',
        }),
      });
    });
    await openFailedLoadTest(page, serve.url);
    const viewer = page.getByTestId('log-viewer');
    expect(Number(await viewer.getAttribute('data-line-count'))).toBeGreaterThan(100_000);
    expect(heads).toBe(2);
    await expect(page.locator('[data-first-error="true"]')).toBeInViewport();
  });

  test('a log that prints markup shows it as text', async ({ page, serve }) => {
    const hostile = [
      '<script>window.__pwned = true</script>',
      '<img src=x onerror="window.__pwned = true">',
      '\u001b[31mError: <b>not bold</b>\u001b[0m',
    ].join('\n');
    // Served in three blocks cut inside the markup and inside an escape sequence.
    const blocks = [hostile.slice(0, 60), hostile.slice(60, 92), hostile.slice(92)];
    const fetchedAt = new Date().toISOString();
    await page.route(/\/api\/stages\/\d+\/log\/head/, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          stageId: 1,
          stepId: 1,
          complete: true,
          fetchedAt,
          size: Buffer.byteLength(hostile),
          blocks: blocks.length,
        }),
      }),
    );
    await page.route(/\/api\/stages\/\d+\/log\/blocks\/\d+/, (route) => {
      const block = Number(/\/blocks\/(\d+)/.exec(route.request().url())?.[1]);
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ block, text: blocks[block] }),
      });
    });
    await openFailedLoadTest(page, serve.url);
    const lines = page.getByTestId('log-line');
    await expect(lines).toHaveCount(3);
    await expect(lines.nth(0)).toContainText('<script>window.__pwned = true</script>');
    await expect(lines.nth(1)).toContainText('<img src=x onerror=');
    await expect(lines.nth(2)).toContainText('Error: <b>not bold</b>');
    expect(await page.locator('.log-viewer img, .log-viewer script, .log-viewer b').count()).toBe(
      0,
    );
    expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
  });
});

test.describe('logs across builds', () => {
  test('searching the stored logs finds the build where an error appeared', async ({
    page,
    serve,
  }) => {
    // Opening the log stores it (the demo's failed stages are also fetched by themselves).
    await openFailedLoadTest(page, serve.url);
    const firstError = page.locator('[data-testid="log-line"][data-first-error="true"]');
    await expect(firstError).toContainText('thresholds');

    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByTestId('pipeline-tab-logs').click();
    const panel = page.getByTestId('log-search-panel');
    await expect(panel).toContainText('Searches only the logs Pipewatch has stored');
    await page.getByTestId('log-search-query').fill('thresholds crossed');
    const hit = page.locator('[data-testid="log-search-hit"][data-build-number="121"]');
    // Logs are indexed in the background: search again until the new one is in.
    await expect(async () => {
      await page.getByTestId('log-search-query').press('Enter');
      await expect(hit).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page).toHaveURL(/#\/pipelines\/\d+\/logs\?q=thresholds\+crossed$/);
    await expect(hit).toContainText('performance-tests · Load test');
    await expect(hit.locator('mark').first()).toHaveText('thresholds');
    await expect(page.getByTestId('log-search-summary')).toContainText('first in build #121');
    // It says how much it searched: "1 of 3 stored logs contain …", "Searched 3 stored logs from …".
    await expect(page.getByTestId('log-search-summary')).toContainText(/\d+ of \d+ stored logs? /);
    await expect(page.getByTestId('log-search-coverage')).toContainText(
      /Searched \d+ stored logs? from build/,
    );
    await page.screenshot({ path: 'test-results/log-search-light.png' });
    await darkScreenshot(page, 'test-results/log-search-dark.png');

    await page.getByTestId('log-search-order-newest').click();
    await expect(page).toHaveURL(/order=newest$/);
    await expect(page.getByTestId('log-search-summary')).toContainText('most recently in build');

    const line = Number(
      /line ([\d,]+)/.exec((await hit.textContent()) ?? '')?.[1]?.replace(/,/g, ''),
    );
    await hit.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/log/L${line}$`));
    const target = page.locator(`[data-testid="log-line"][data-line-number="${line}"]`);
    await expect(target).toBeInViewport();
    await expect(target).toContainText('thresholds');
  });

  test('comparing with the last green build says so when there is none', async ({
    page,
    serve,
  }) => {
    // Build 120 is the first build of the demo: no earlier build passed fast-tests.
    await openFailedLog(page, serve.url, 120, 'fast-tests');
    await page.getByTestId('log-compare-toggle').click();
    await expect(page.getByTestId('log-compare-note')).toContainText(
      'No earlier build passed this stage',
    );
    await expect(page.getByTestId('log-new-line-count')).toHaveCount(0);
    await expect(page.locator('.log-line--new')).toHaveCount(0);
  });

  test('comparing with the last green build marks the lines that are new', async ({ page }) => {
    // Every new build of this demo fails; build 123 fails slow-tests (its plan is seeded by its
    // number), about ten seconds after start, and build 122 passed every stage before it.
    const catalog = fastDemoConfig.sources[0];
    const serve = await startServe({
      ...fastDemoConfig,
      sources: [{ ...catalog, options: { ...catalog?.options, failureRate: 1 } }],
    });
    try {
      await page.goto(serve.url);
      await page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' }).click();
      await expect(
        page.locator('[data-testid="build-row"][data-build-number="123"][data-status="failed"]'),
      ).toBeVisible({ timeout: 40_000 });
      await openFailedLog(page, serve.url, 123, 'slow-tests');

      await page.getByTestId('log-compare-toggle').click();
      await expect(page.getByTestId('log-compare-toggle')).toHaveText('New since last green: #122');
      const count = page.getByTestId('log-new-line-count');
      await expect(count).toContainText(/new line/);
      const newLines = Number(await count.getAttribute('data-count'));
      expect(newLines).toBeGreaterThan(0);
      // Not everything is new: the green run printed most of the same lines.
      const lineCount = Number(
        await page.getByTestId('log-viewer').getAttribute('data-line-count'),
      );
      expect(newLines).toBeLessThan(lineCount / 2);
      // The failure itself is new.
      const firstError = page.locator('[data-testid="log-line"][data-first-error="true"]');
      await expect(firstError).toHaveClass(/log-line--new/);

      await page.getByRole('button', { name: 'Next new line' }).click();
      await expect(count).toContainText(`of ${newLines} new`);
      const current = page.locator('.log-line--new.is-selected');
      await expect(current).toHaveCount(1);
      await expect(current).toBeInViewport();
      await expect(page.getByTestId('log-compare-baseline')).toHaveAttribute('href', /\/log$/);
      await page.screenshot({ path: 'test-results/log-compare-light.png' });
      await darkScreenshot(page, 'test-results/log-compare-dark.png');

      await page.getByTestId('log-compare-toggle').click();
      await expect(page.locator('.log-line--new')).toHaveCount(0);
      await expect(page.getByTestId('log-compare-bar')).toHaveCount(0);
      await expect(page.getByTestId('log-compare-toggle')).toHaveText('Compare with last green');
    } finally {
      await serve.stop();
      rmSync(serve.dataDir, { recursive: true, force: true });
    }
  });
});
