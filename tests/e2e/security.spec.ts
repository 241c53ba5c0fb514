import type { Route } from '@playwright/test';
import { expect, test } from './fixtures';

/** CI-provided text that would run a script if it were ever treated as markup. */
const COMMIT_MESSAGE = '<img src=x onerror="window.__pwned=1"> Speed up <b>price</b> lookup';
const BRANCH = '<script>window.__pwned=2</script>main';

/** Rewrites a JSON answer of the API on its way to the page. */
async function rewriteJson(route: Route, change: (body: unknown) => unknown): Promise<void> {
  const response = await route.fetch();
  const body = (await response.json()) as unknown;
  await route.fulfill({ response, json: change(body) });
}

type WithBuild = { build: { commitMessage: string | null; branch: string | null } };

test.describe('the page treats CI text as text and runs only its own scripts', () => {
  test('a commit message holding HTML shows literally, in the inbox and the build', async ({
    page,
    serve,
  }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.route('**/api/gates', (route) =>
      rewriteJson(route, (items) =>
        (items as WithBuild[]).map((item) => ({
          ...item,
          build: { ...item.build, commitMessage: COMMIT_MESSAGE, branch: BRANCH },
        })),
      ),
    );
    await page.route(/\/api\/builds\/\d+$/, (route) =>
      rewriteJson(route, (detail) => ({
        ...(detail as WithBuild),
        build: { ...(detail as WithBuild).build, commitMessage: COMMIT_MESSAGE, branch: BRANCH },
      })),
    );

    await page.goto(`${serve.url}#/inbox`);
    const item = page.locator('[data-testid="inbox-item"][data-build-number="122"]');
    await expect(item).toContainText(COMMIT_MESSAGE);

    await item.getByRole('link').first().click();
    await expect(page.locator('.commit-message')).toHaveText(COMMIT_MESSAGE);

    expect(await page.locator('img[src="x"], b:text("price")').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  test('the policy refuses eval, inline scripts and other origins', async ({ page, serve }) => {
    const response = await page.goto(serve.url);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("frame-ancestors 'none'");
    await expect(page.getByTestId('pipeline-card').first()).toBeVisible();

    const outcome = await page.evaluate(async () => {
      // DevTools lets the evaluated code itself eval; code the page runs later is policed.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const evalRan = (() => {
        try {
          return (0, eval)('true') === true;
        } catch {
          return false;
        }
      })();
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true;';
      document.body.append(script);
      const elsewhere = await fetch('https://example.com/').then(
        () => 'fetched',
        () => 'refused',
      );
      return { evalRan, inline: (window as { __inline?: boolean }).__inline === true, elsewhere };
    });
    expect(outcome).toEqual({ evalRan: false, inline: false, elsewhere: 'refused' });
  });
});
