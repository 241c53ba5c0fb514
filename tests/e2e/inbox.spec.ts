import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

type Entry = { requestId: string; outcome: string; buildNumber: number; decision: string };
type Item = { gate: { id: number }; build: { number: number } };

/** A waiting gate of the demo other than build 122's, once the fast demo has one. */
async function anotherWaitingGate(page: Page, url: string): Promise<Item> {
  let found: Item | undefined;
  await expect
    .poll(
      async () => {
        const items = (await (
          await page.request.get(new URL('/api/gates', url).href)
        ).json()) as Item[];
        found = items.find((item) => item.build.number !== 122);
        return found !== undefined;
      },
      { timeout: 45_000 },
    )
    .toBe(true);
  return found!;
}

/** Rejects build 122's gate through the API, so a test has an audit entry of its own. */
async function rejectBuild122(page: Page, url: string, comment: string): Promise<void> {
  let gate: Item | undefined;
  await expect
    .poll(
      async () => {
        const items = (await (
          await page.request.get(new URL('/api/gates', url).href)
        ).json()) as Item[];
        gate = items.find((item) => item.build.number === 122);
        return gate !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  const response = await page.request.post(
    new URL(`/api/gates/${gate!.gate.id}/decide`, url).href,
    {
      data: { decision: 'reject', comment, requestId: `e2e-reject-${Date.now()}` },
    },
  );
  expect(((await response.json()) as { outcome: string }).outcome).toBe('done');
}

async function auditEntries(page: Page, url: string): Promise<Entry[]> {
  return (await (await page.request.get(new URL('/api/audit', url).href)).json()) as Entry[];
}

test.describe('the approvals inbox', () => {
  test('lists build 122 waiting at production with its evidence', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByTestId('inbox-link').click();
    await expect(page.getByTestId('inbox')).toBeVisible();
    const item = page.locator('[data-testid="inbox-item"][data-build-number="122"]');
    await expect(item).toContainText('Catalog');
    await expect(item.getByTestId('inbox-target')).toHaveText('to production');
    await expect(item.getByTestId('inbox-may-decide')).toHaveText('You can approve');
    await expect(item).toContainText('Demo');
    await expect(item.getByTestId('inbox-deadline')).toContainText(/expires in \d+h/);
    const evidence = item.getByTestId('inbox-evidence');
    for (const stage of ['compile', 'fast-tests', 'slow-tests', 'performance-tests', 'uat']) {
      await expect(evidence.locator(`[data-stage="${stage}"]`)).toContainText(/\d+s/);
    }
    const count = Number(await page.getByTestId('inbox-count').textContent());
    expect(count).toBeGreaterThanOrEqual(1);
    await expect(page).toHaveTitle(`(${count}) Pipewatch`);
  });

  test('rejecting build 122 from the inbox removes it, and the audit trail shows the attempt', async ({
    page,
    serve,
  }) => {
    await page.goto(new URL('#/inbox', serve.url).href);
    const item = page.locator('[data-testid="inbox-item"][data-build-number="122"]');
    await item.getByTestId('inbox-reject').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('gate-sentence')).toHaveText(
      /^Reject Catalog build 122 \([0-9a-f]{7}\): it will not be deployed to production$/,
    );
    await dialog.getByTestId('gate-comment').fill('p99 latency regressed, "not today", sorry');
    await dialog.getByTestId('gate-confirm').click();
    await expect(page.getByTestId('gate-result')).toContainText(/^Rejected/);
    await expect(item).toHaveCount(0);

    await page.getByTestId('audit-link').click();
    const row = page.locator('[data-testid="audit-row"][data-build-number="122"]');
    await expect(row).toHaveAttribute('data-outcome', 'done');
    await expect(row).toHaveAttribute('data-decision', 'reject');
    await expect(row).toContainText('p99 latency regressed');

    await page.getByTestId('audit-search').fill('"not today"');
    await expect(page.getByTestId('audit-row')).toHaveCount(1);
    await page.getByTestId('audit-search').fill('');
  });

  test('the same decision fired twice at once from the page decides once', async ({
    page,
    serve,
  }) => {
    await page.goto(new URL('#/inbox', serve.url).href);
    const target = await anotherWaitingGate(page, serve.url);
    const requestId = `e2e-twice-${Date.now()}`;
    const outcomes = await page.evaluate(
      async ({ gateId, requestId }) => {
        const send = () =>
          fetch(`/api/gates/${gateId}/decide`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ decision: 'approve', comment: 'twice', requestId }),
          }).then(async (response) => ((await response.json()) as { outcome: string }).outcome);
        return Promise.all([send(), send()]);
      },
      { gateId: target.gate.id, requestId },
    );
    expect(outcomes).toEqual(['done', 'done']);
    const attempts = (await auditEntries(page, serve.url)).filter(
      (entry) => entry.requestId === requestId,
    );
    expect(attempts).toEqual([expect.objectContaining({ outcome: 'done', decision: 'approve' })]);
  });

  test('a second approval of a gate someone else decided is refused in words', async ({
    page,
    serve,
  }) => {
    await page.goto(new URL('#/inbox', serve.url).href);
    const target = await anotherWaitingGate(page, serve.url);
    const item = page.locator(`[data-testid="inbox-item"][data-gate-id="${target.gate.id}"]`);
    await item.getByTestId('inbox-approve').click();
    // Someone else approves it meanwhile (another window, another person).
    const other = await page.request.post(
      new URL(`/api/gates/${target.gate.id}/decide`, serve.url).href,
      { data: { decision: 'approve', comment: 'mine', requestId: `other-${Date.now()}` } },
    );
    expect(((await other.json()) as { outcome: string }).outcome).toBe('done');
    await page.getByRole('dialog').getByTestId('gate-confirm').click();
    const answer = page.getByTestId('gate-result').first();
    await expect(answer).toContainText(/Already decided/);
    await expect(answer).toContainText(/someone else decided this gate before you/);
    await expect(item).toHaveCount(0);
  });

  test('the audit trail downloads as CSV and JSON', async ({ page, serve }) => {
    await rejectBuild122(page, serve.url, 'p99 latency regressed, "not today", sorry');
    await page.goto(new URL('#/audit', serve.url).href);
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^pipewatch-audit-.*\.csv$/);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.startsWith('\uFEFFid,at,actor,pipeline,build,gate,decision,comment,outcome')).toBe(
      true,
    );
    expect(text).toContain('"p99 latency regressed, ""not today"", sorry"');
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export-json').click(),
    ]);
    const entries = JSON.parse(readFileSync((await json.path())!, 'utf8')) as Entry[];
    expect(entries.length).toBe((await auditEntries(page, serve.url)).length);
  });

  test('Jenkins-style input parameters are asked for as a form and checked as you type', async ({
    page,
    serve,
  }) => {
    // The demo asks for no inputs; present its gate as one with Jenkins-style parameters.
    await page.route('**/api/gates', async (route) => {
      const items = (await (await route.fetch()).json()) as Array<{ gate: object }>;
      const fields = [
        {
          name: 'VERSION',
          label: 'Version',
          kind: 'text',
          required: true,
          options: [],
          defaultValue: null,
          hint: 'e.g. 1.4.2',
        },
        {
          name: 'REGION',
          label: 'Region',
          kind: 'select',
          required: true,
          options: ['eu-west-1', 'us-east-1'],
          defaultValue: null,
          hint: null,
        },
        {
          name: 'NOTES',
          label: 'Release notes',
          kind: 'multiline',
          required: false,
          options: [],
          defaultValue: null,
          hint: null,
        },
        {
          name: 'CANARY',
          label: 'Canary first',
          kind: 'boolean',
          required: false,
          options: [],
          defaultValue: 'true',
          hint: null,
        },
        {
          name: 'KEY',
          label: 'Deploy key',
          kind: 'password',
          required: true,
          options: [],
          defaultValue: null,
          hint: null,
        },
      ];
      await route.fulfill({
        json: items.map((item) => ({ ...item, gate: { ...item.gate, fields, canDecide: null } })),
      });
    });
    let sent: { comment: string; fields: Record<string, string> } | null = null;
    await page.route('**/api/gates/*/decide', async (route) => {
      sent = route.request().postDataJSON() as typeof sent;
      await route.continue();
    });
    await page.goto(new URL('#/inbox', serve.url).href);
    const item = page.getByTestId('inbox-item').first();
    await expect(item.getByTestId('inbox-may-decide')).toHaveText(
      'Unknown — the provider does not say',
    );
    await expect(item.getByTestId('inbox-deadline')).toBeVisible();
    await item.getByTestId('inbox-approve').click();
    const dialog = page.getByRole('dialog');
    const field = (name: string) => dialog.locator(`[data-field="${name}"]`);
    await expect(dialog.getByTestId('gate-confirm')).toBeDisabled();
    await expect(dialog.getByTestId('gate-missing')).toHaveText(
      'Still needed: Version, Deploy key',
    );
    await field('VERSION').fill('1');
    await field('VERSION').fill('');
    await expect(dialog.getByText('Version is required.')).toBeVisible();
    await page.screenshot({ path: 'test-results/inbox-dialog-fields.png' });
    await field('VERSION').fill('1.4.2');
    await field('REGION').selectOption('us-east-1');
    await field('KEY').fill('s3cret');
    await field('CANARY').uncheck();
    await dialog.getByTestId('gate-comment').fill('Load test passed');
    await expect(dialog.getByTestId('gate-missing')).toHaveCount(0);
    await dialog.getByTestId('gate-confirm').click();
    await expect(page.getByTestId('gate-result').first()).toContainText(/^Approved/);
    expect(sent).toMatchObject({
      comment: 'Load test passed',
      fields: { VERSION: '1.4.2', REGION: 'us-east-1', NOTES: '', CANARY: 'false', KEY: 's3cret' },
    });
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  test('screenshots of the inbox and the audit trail, light and dark', async ({ page, serve }) => {
    mkdirSync('docs/images', { recursive: true });
    await rejectBuild122(page, serve.url, 'p99 latency regressed, "not today", sorry');
    await page.goto(new URL('#/inbox', serve.url).href);
    // The fast demo brings a new candidate to the gate every few seconds.
    await expect
      .poll(() => page.getByTestId('inbox-item').count(), { timeout: 45_000 })
      .toBeGreaterThanOrEqual(2);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const suffix = scheme === 'light' ? '' : '-dark';
      await page.goto(new URL('#/inbox', serve.url).href);
      await expect(page.getByTestId('inbox-item').nth(1)).toBeVisible();
      await page.screenshot({ path: `docs/images/inbox${suffix}.png` });
      await page.getByTestId('inbox-approve').first().click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.screenshot({ path: `test-results/inbox-dialog${suffix}.png` });
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await page.goto(new URL('#/audit', serve.url).href);
      await expect(page.getByTestId('audit-row').first()).toBeVisible();
      await page.screenshot({ path: `docs/images/audit${suffix}.png` });
    }
  });
});
