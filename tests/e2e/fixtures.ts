import { rmSync } from 'node:fs';
import { test as base } from '@playwright/test';
import { startServe, type ServeProcess } from '../support/serve-process';

export const test = base.extend<object, { serve: ServeProcess }>({
  serve: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      const server = await startServe();
      await use(server);
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
