import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { FakeProvider } from '../support/fake-provider';
import { startFakeGithubAccount } from '../support/fake-github-account';
import { expect, test } from './fixtures';

/** Known, so that the security checks can look for it everywhere it must not be. */
const TOKEN = 'ghp_e2eSettingsToken0123456789abcdef';

let github: FakeProvider;
test.beforeEach(async () => {
  github = await startFakeGithubAccount(TOKEN);
});
test.afterEach(async () => {
  await github.close();
});

/** Fills the "Add a source" form for the fake GitHub Enterprise on loopback. */
async function fillGithubSource(page: Page): Promise<void> {
  await page.getByTestId('add-source').click();
  const form = page.getByTestId('source-form');
  await expect(form.getByLabel('Kind')).toHaveValue('github');
  await form.getByLabel('Name').fill('Octo GitHub');
  await expect(form.getByLabel('Id')).toHaveValue('octo-github');
  await form.getByLabel('Server').fill(`${github.url}/api/v3`);
  await form.getByLabel('Token', { exact: true }).fill(TOKEN);
  await form.getByLabel('Repositories').fill('octo-org/octo-repo');
}

test.describe('Settings', () => {
  test('adds a GitHub source: test the connection, pick a workflow, see it on the dashboard', async ({
    page,
    serve,
  }) => {
    await page.goto(serve.url);
    await page.getByTestId('settings-link').click();
    await expect(page.getByTestId('settings')).toBeVisible();
    // The config file's demo is listed, read-only.
    const demo = page.locator('[data-testid="settings-source"][data-key="catalog-demo"]');
    await expect(demo).toContainText('From the config file');
    await expect(demo).toContainText('Read-only here');

    await fillGithubSource(page);
    const form = page.getByTestId('source-form');

    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = form.getByTestId('connection-result');
    await expect(result).toHaveAttribute('data-ok', 'true');
    await expect(result).toContainText('Connected as octocat');
    await expect(result).toContainText('2 pipelines to watch');
    await expect(result).toContainText('requests left this hour');

    await form.getByRole('button', { name: 'List workflows' }).click();
    const picker = form.getByTestId('pipeline-picker');
    await expect(picker.getByText('Linter', { exact: true })).toBeVisible();
    await picker.getByLabel('Search workflows').fill('blank');
    await expect(picker.getByText('Linter', { exact: true })).toBeHidden();
    await picker.getByRole('checkbox', { name: /CI/ }).check();
    await expect(picker).toContainText('Watching blank.yaml.');

    mkdirSync('docs/images', { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/images/settings.png' });

    await form.getByRole('button', { name: 'Add source' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: '“Octo GitHub” is saved' }),
    ).toBeVisible();
    const added = page.locator('[data-testid="settings-source"][data-key="octo-github"]');
    await expect(added).toContainText('Added in Settings');
    await expect(added).toContainText('Token stored');

    await page.getByRole('link', { name: 'Pipelines' }).first().click();
    const card = page.getByTestId('pipeline-card').filter({ hasText: 'Octo GitHub' });
    await expect(card).toBeVisible({ timeout: 20_000 });
    await expect(card).toContainText('CI');
    // Only the picked workflow is watched.
    await expect(page.getByTestId('pipeline-card').filter({ hasText: 'Linter' })).toHaveCount(0);
    // The fake GitHub saw the token only as a bearer header.
    expect(
      github.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
  });

  test('says what is wrong as you type, and a wrong token precisely', async ({ page, serve }) => {
    await page.goto(`${serve.url}#/settings`);
    await fillGithubSource(page);
    const form = page.getByTestId('source-form');

    await form.getByLabel('Repositories').fill('not a repository');
    await expect(form.getByRole('alert').filter({ hasText: 'owner/name' })).toBeVisible();
    await form.getByLabel('Repositories').fill('octo-org/octo-repo');
    await expect(form.getByRole('alert').filter({ hasText: 'owner/name' })).toHaveCount(0);

    await form.getByLabel('Id').fill('Octo GitHub');
    await expect(form.getByRole('alert').filter({ hasText: 'lower-case' })).toBeVisible();
    await form.getByLabel('Id').fill('octo-github');

    await form.getByLabel('Token', { exact: true }).fill(`${TOKEN}-wrong`);
    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = form.getByTestId('connection-result');
    await expect(result).toHaveAttribute('data-ok', 'false');
    await expect(result).toContainText('The server refused the token');
    await expect(result).not.toContainText(TOKEN);
  });

  test('changes, disables and removes a source added here', async ({ page, serve }) => {
    await page.goto(`${serve.url}#/settings`);
    await fillGithubSource(page);
    await page.getByTestId('source-form').getByRole('button', { name: 'Add source' }).click();
    const row = page.locator('[data-testid="settings-source"][data-key="octo-github"]');
    await expect(row).toBeVisible();

    await row.getByRole('button', { name: 'Change' }).click();
    const form = page.getByTestId('source-form');
    await expect(form.getByLabel('Id')).toHaveAttribute('readonly', '');
    await expect(form.getByLabel('Token', { exact: true })).toHaveValue('');
    await form.getByLabel('Name').fill('Octo (renamed)');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(row).toContainText('Octo (renamed)');

    // The box follows the server's answer, so click rather than uncheck (which expects at once).
    await row.getByRole('checkbox', { name: 'Poll' }).click();
    await expect(row).toContainText('Disabled');

    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Remove' }).click();
    await expect(row).toHaveCount(0);
  });

  test('sets the disk budget for stored logs, refusing one that cannot be', async ({
    page,
    serve,
  }) => {
    await page.goto(`${serve.url}#/settings`);
    const section = page.getByRole('region', { name: 'Stored logs' });
    await expect(section.getByTestId('log-storage-use')).toContainText('of 2,048 MiB');
    const budget = section.getByLabel(/Disk for stored logs/);
    await expect(budget).toHaveValue('2048');

    await budget.fill('8');
    await section.getByRole('button', { name: 'Save budget' }).click();
    await expect(section.getByRole('alert')).toHaveText('Between 16 and 1,048,576 MiB.');

    await budget.fill('512');
    await section.getByRole('button', { name: 'Save budget' }).click();
    await expect(section.getByRole('status')).toHaveText('Saved: stored logs may take 512 MiB.');
    await expect(section.getByTestId('log-storage-use')).toContainText('of 512 MiB');
    await expect(section).toContainText('set here');
    await section.screenshot({ path: 'test-results/settings-log-storage.png' });

    // The core has it: another client reads it back.
    const answer = await page.request.get(new URL('/api/settings/app', serve.url).href);
    expect(((await answer.json()) as { logStorage: unknown }).logStorage).toMatchObject({
      budgetMegabytes: 512,
      setIn: 'settings',
    });
  });

  test('looks right in the dark', async ({ browser, serve }) => {
    const context = await browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1360, height: 860 },
    });
    const page = await context.newPage();
    await page.goto(`${serve.url}#/settings`);
    await fillGithubSource(page);
    const form = page.getByTestId('source-form');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(form.getByTestId('connection-result')).toHaveAttribute('data-ok', 'true');
    await form.getByRole('button', { name: 'List workflows' }).click();
    await form.getByTestId('pipeline-picker').getByRole('checkbox', { name: /CI/ }).check();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/images/settings-dark.png' });
    await context.close();
  });
});
