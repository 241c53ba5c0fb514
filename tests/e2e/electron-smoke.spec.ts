import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** The same check `npm start` makes (scripts/electron-binary.mjs), run as its own process. */
const binary = JSON.parse(
  execFileSync(process.execPath, ['scripts/electron-binary.mjs'], { encoding: 'utf8' }),
) as { path: string } | { missing: string };
const skipReason = 'missing' in binary ? `Electron smoke test skipped: ${binary.missing}.` : null;
if (skipReason) console.log(skipReason);

test('the desktop window opens on the Catalog demo with a sandboxed renderer', async () => {
  test.skip(skipReason !== null, skipReason ?? '');
  const dataDir = mkdtempSync(join(tmpdir(), 'pipewatch-electron-'));
  const app = await electron.launch({
    executablePath: (binary as { path: string }).path,
    args: ['.'],
    env: { ...process.env, PIPEWATCH_DATA_DIR: dataDir },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('pipeline-card').first()).toContainText('Catalog');
    const exposed = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: typeof (globalThis as { pipewatch?: unknown }).pipewatch,
    }));
    expect(exposed).toEqual({ require: 'undefined', process: 'undefined', api: 'object' });

    // docs/security.md: `window.pipewatch` exists only because contextBridge ran, which it does
    // only with contextIsolation on; Node is absent (above); the CSP refuses eval; window.open
    // is denied.
    const policy = await window.evaluate(async () => {
      // DevTools lets the evaluated code itself eval; code the page runs later is policed.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const evalRan = (() => {
        try {
          return (0, eval)('true') === true;
        } catch {
          return false;
        }
      })();
      return { evalRan, opened: globalThis.open('https://example.com/') !== null };
    });
    expect(policy).toEqual({ evalRan: false, opened: false });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
