import { expect, test } from './fixtures';

test.describe('the pipeline view', () => {
  test('build 121 says in words where it failed and draws the graph', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' }).click();
    await page.locator('[data-testid="build-row"][data-build-number="121"]').first().click();
    await expect(page.getByTestId('build-summary')).toContainText(/failed at performance-tests/i);
    const node = (stage: string) =>
      page.locator(`[data-testid="stage-node"][data-stage="${stage}"]`);
    await expect(node('performance-tests')).toHaveAttribute('data-status', 'failed');
    await expect(node('uat')).toHaveAttribute('data-status', 'blocked');
    await expect(node('compile')).toHaveAttribute('data-status', 'success');
    await page.screenshot({ path: 'test-results/pipeline-121.png' });
  });

  test('approving build 122 deploys it to production', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' }).click();
    await page.locator('[data-testid="build-row"][data-build-number="122"]').first().click();
    await expect(page.getByTestId('build-summary')).toContainText(/waiting for approval/i);
    await page.getByTestId('gate-approve').click();
    await expect(page.getByRole('dialog')).toContainText(/production/);
    await page.getByTestId('gate-comment').fill('Performance is fine, ship it');
    await page.getByTestId('gate-confirm').click();
    await expect(page.getByTestId('gate-result')).toContainText(/approved|started/i);
    const production = page.locator('[data-testid="stage-node"][data-stage="production"]');
    await expect(production).toHaveAttribute('data-status', /running|success/);
    await expect(production).toHaveAttribute('data-status', 'success', { timeout: 30_000 });

    const audit = await page.request.get(new URL('/api/audit', serve.url).toString());
    const entries = (await audit.json()) as Array<{
      buildNumber: number;
      outcome: string;
      comment: string;
    }>;
    expect(entries).toContainEqual(
      expect.objectContaining({
        buildNumber: 122,
        outcome: 'done',
        comment: 'Performance is fine, ship it',
      }),
    );
  });

  test("muting a pipeline's notifications holds across reloads", async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByTestId('pipeline-card').filter({ hasText: 'Catalog' }).click();
    const toggle = page.getByTestId('mute-toggle');
    await expect(toggle).toHaveAttribute('data-muted', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('data-muted', 'true');
    await page.reload();
    await expect(page.getByTestId('mute-toggle')).toHaveAttribute('data-muted', 'true');
    const settings = await page.request.get(
      new URL('/api/notifications/settings', serve.url).toString(),
    );
    expect(
      ((await settings.json()) as { mutedPipelineIds: number[] }).mutedPipelineIds,
    ).toHaveLength(1);
  });
});
