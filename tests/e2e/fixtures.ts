import { rmSync } from 'node:fs';
import { test as base } from '@playwright/test';
import { startServe, type ServeProcess } from '../support/serve-process';

/**
 * Every test gets its own serve process with a fresh data folder: a test that approves or
 * rejects build 122 must not change what the next one sees. Starting one takes about a second.
 */
export const test = base.extend<{ serve: ServeProcess }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  serve: async ({}, use) => {
    const server = await startServe();
    await use(server);
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
