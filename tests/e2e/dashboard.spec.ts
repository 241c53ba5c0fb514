import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

test.describe('the dashboard shows the Catalog demo as the book tells it', () => {
  test('build 120 is red at fast-tests, 121 red at performance-tests, 122 waits at production', async ({
    page,
    serve,
  }) => {
    await page.goto(serve.url);
    const card = page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' });
    await expect(card).toBeVisible();
    await expect(card).toContainText(/demo/i);

    const build = (number: number) =>
      card.locator(`[data-testid="build-row"][data-build-number="${number}"]`);
    const dot = (number: number, stage: string) =>
      build(number).locator(`[data-testid="stage-dot"][data-stage="${stage}"]`);

    await expect(build(120)).toHaveAttribute('data-status', 'failed');
    await expect(dot(120, 'fast-tests')).toHaveAttribute('data-status', 'failed');
    await expect(dot(120, 'slow-tests')).toHaveAttribute('data-status', 'blocked');

    await expect(build(121)).toHaveAttribute('data-status', 'failed');
    await expect(dot(121, 'fast-tests')).toHaveAttribute('data-status', 'success');
    await expect(dot(121, 'performance-tests')).toHaveAttribute('data-status', 'failed');
    await expect(dot(121, 'uat')).toHaveAttribute('data-status', 'blocked');

    await expect(build(122)).toHaveAttribute('data-status', 'waiting');
    await expect(dot(122, 'uat')).toHaveAttribute('data-status', 'success');
    await expect(dot(122, 'production')).toHaveAttribute('data-status', 'waiting');

    await expect(page.getByTestId('source-health').first()).toHaveAttribute('data-state', 'ok');
    await expect(page.getByTestId('updated-ago')).toBeVisible();

    mkdirSync('docs/images', { recursive: true });
    await page.screenshot({ path: 'docs/images/dashboard.png' });
  });

  test('new check-ins appear without a reload', async ({ page, serve }) => {
    await page.goto(serve.url);
    const card = page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' });
    await expect(card.locator('[data-testid="build-row"][data-build-number="122"]')).toBeVisible();
    // The fast demo checks in every 6 s; the page must learn of it from pushed events alone.
    await expect(card.locator('[data-testid="build-row"][data-build-number="123"]')).toBeVisible({
      timeout: 30_000,
    });
  });

  test('the dark theme follows the operating system', async ({ browser, serve }) => {
    const context = await browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1360, height: 860 },
    });
    const page = await context.newPage();
    await page.goto(serve.url);
    await expect(page.getByTestId('pipeline-card').first()).toBeVisible();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [red, green, blue] = (background.match(/\d+/g) ?? []).map(Number);
    expect((red ?? 255) + (green ?? 255) + (blue ?? 255)).toBeLessThan(200);
    await page.screenshot({ path: 'docs/images/dashboard-dark.png' });
    await context.close();
  });
});
