import { defineConfig } from '@playwright/test';

/** Debian's Chromium (Playwright's own browser download cannot work on our machines). */
export const chromiumPath = process.env['PIPEWATCH_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * End-to-end tests drive the real renderer, served by the real serve mode, in Chromium. Each
 * spec file gets its own server with a fresh data folder (tests/e2e/fixtures.ts); Playwright
 * gives every browser launch a fresh temporary profile.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1360, height: 860 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
