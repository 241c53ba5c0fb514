import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/shared/config';
import {
  runServeCommand,
  type ServeDependencies,
  type ServeOutcome,
} from '../../src/main/server/serve-command';
import type { ServeOptions } from '../../src/main/server/serve-arguments';
import { createFakeCore, type FakeCore } from './server-fake-core';

const demoConfig: Config = {
  sources: [
    { id: 'catalog-demo', kind: 'demo', name: 'Catalog (demo)', enabled: true, options: {} },
  ],
  polling: {
    activeIntervalSeconds: 5,
    idleIntervalSeconds: 60,
    maxBackoffSeconds: 900,
    maxConcurrentPolls: 4,
    requestTimeoutSeconds: 30,
  },
  retention: { buildsPerPipeline: 5000, logStorageMegabytes: 2048 },
};

class ConfigError extends Error {
  override name = 'ConfigError';
}

let workspace = '';
let running: ServeOutcome | null = null;
let blocker: Server | null = null;

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pipewatch-serve-'));
});
afterEach(async () => {
  if (running?.ok) await running.stop();
  running = null;
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = null;
  rmSync(workspace, { recursive: true, force: true });
});

function options(overrides: Partial<ServeOptions> = {}): ServeOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: join(workspace, 'data'),
    configPath: undefined,
    token: null,
    tokenFile: null,
    ...overrides,
  };
}

function dependencies(
  printed: string[],
  core: FakeCore = createFakeCore(),
): ServeDependencies & {
  coreOptions: unknown[];
} {
  const coreOptions: unknown[] = [];
  return {
    coreOptions,
    createCore: (coreOption) => {
      coreOptions.push(coreOption);
      return core;
    },
    loadConfigFile: (path) => {
      if (path.endsWith('broken.json')) {
        throw new ConfigError(
          `Config file ${path}: sources[0].kind: expected one of demo, github.`,
        );
      }
      return demoConfig;
    },
    defaultConfig: () => demoConfig,
    staticDir: join(workspace, 'renderer'),
    print: (line) => printed.push(line),
    log: () => undefined,
  };
}

describe('pipewatch serve', () => {
  it('starts on the demo and says so when there is no config file', async () => {
    const printed: string[] = [];
    const deps = dependencies(printed);

    running = await runServeCommand(options(), deps);

    expect(running.ok).toBe(true);
    expect(printed.join('\n')).toContain('built-in demo');
    expect(deps.coreOptions[0]).toMatchObject({
      configPath: null,
      dataDir: join(workspace, 'data'),
    });
    const url = (running as { url: string }).url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(`${url}api/health`)).status).toBe(200);
  });

  it('uses <data dir>/config.json when present', async () => {
    mkdirSync(join(workspace, 'data'));
    writeFileSync(join(workspace, 'data', 'config.json'), '{"sources": []}');
    const deps = dependencies([]);

    running = await runServeCommand(options(), deps);

    expect(deps.coreOptions[0]).toMatchObject({
      configPath: join(workspace, 'data', 'config.json'),
    });
  });

  it('fails with exit code 2 and the config error’s own message', async () => {
    running = await runServeCommand(options({ configPath: 'broken.json' }), dependencies([]));

    expect(running).toEqual({
      ok: false,
      exitCode: 2,
      message: 'Config file broken.json: sources[0].kind: expected one of demo, github.',
    });
  });

  it('prints a URL with the token so it opens in a browser', async () => {
    running = await runServeCommand(options({ token: 'wall/display+1' }), dependencies([]));

    expect((running as { url: string }).url).toMatch(/\/\?token=wall%2Fdisplay%2B1$/);
  });

  it('reads the token from an owner-only file and refuses one others can read', async () => {
    const tokenFile = join(workspace, 'token');
    writeFileSync(tokenFile, 'from-the-file\n');
    chmodSync(tokenFile, 0o600);
    running = await runServeCommand(options({ tokenFile }), dependencies([]));
    expect((running as { url: string }).url).toMatch(/\?token=from-the-file$/);
    if (running.ok) await running.stop();

    chmodSync(tokenFile, 0o644);
    running = await runServeCommand(options({ tokenFile }), dependencies([]));
    expect(running).toMatchObject({ ok: false, exitCode: 2 });
    expect((running as { message: string }).message).toContain('chmod 600');
  });

  it('says which port is taken and stops the core it started', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    let stopped = false;
    const core = createFakeCore();
    core.stop = () => {
      stopped = true;
      return Promise.resolve();
    };

    running = await runServeCommand(options({ port }), dependencies([], core));

    expect(running).toEqual({
      ok: false,
      exitCode: 2,
      message: `Port ${port} on 127.0.0.1 is already in use — pick another with --port`,
    });
    expect(stopped).toBe(true);
  });

  it('tells the person the UI is not built and serves the API anyway', async () => {
    const printed: string[] = [];

    running = await runServeCommand(options(), dependencies(printed));

    expect(printed.join('\n')).toContain('npx electron-vite build');
    expect(running.ok).toBe(true);
  });
});
