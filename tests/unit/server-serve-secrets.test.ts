import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/shared/config';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import { parseServeArguments } from '../../src/main/server/serve-arguments';
import { runServeCommand, type ServeOutcome } from '../../src/main/server/serve-command';
import { createFakeCore } from './server-fake-core';

const TOKEN = 'ghp_serveSecretsToken0123456789abcdef';
const posix = process.platform !== 'win32';

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

let workspace = '';
let running: ServeOutcome | null = null;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pipewatch-serve-secrets-'));
});
afterEach(async () => {
  if (running?.ok) await running.stop();
  running = null;
  rmSync(workspace, { recursive: true, force: true });
});

async function serveWith(secretsFile: string | undefined) {
  const given: Array<{ secrets?: SecretStore }> = [];
  running = await runServeCommand(
    {
      host: '127.0.0.1',
      port: 0,
      dataDir: join(workspace, 'data'),
      configPath: undefined,
      token: null,
      tokenFile: null,
      ...(secretsFile === undefined ? {} : { secretsFile }),
    },
    {
      createCore: (options) => {
        given.push(options);
        return createFakeCore();
      },
      loadConfigFile: () => demoConfig,
      defaultConfig: () => demoConfig,
      staticDir: join(workspace, 'renderer'),
      print: () => undefined,
      log: () => undefined,
    },
  );
  return { outcome: running, secrets: given[0]?.secrets };
}

describe('serve mode’s secrets file', () => {
  it('is --secrets-file, else PIPEWATCH_SECRETS_FILE, else <data dir>/secrets.json', () => {
    const flag = parseServeArguments(['serve', '--secrets-file', '/etc/pw.json'], {
      PIPEWATCH_SECRETS_FILE: '/env/pw.json',
    });
    expect('options' in flag && flag.options.secretsFile).toBe('/etc/pw.json');
    const env = parseServeArguments(['serve'], { PIPEWATCH_SECRETS_FILE: '/env/pw.json' });
    expect('options' in env && env.options.secretsFile).toBe('/env/pw.json');
    const none = parseServeArguments(['serve'], {});
    expect('options' in none && none.options.secretsFile).toBeUndefined();
  });

  it('hands the core the tokens of an owner-only file', async () => {
    const file = join(workspace, 'secrets.json');
    writeFileSync(file, JSON.stringify({ 'team-github': TOKEN }), { mode: 0o600 });
    const { outcome, secrets } = await serveWith(file);
    expect(outcome.ok).toBe(true);
    expect(secrets?.get('team-github')).toBe(TOKEN);
  });

  it('uses <data dir>/secrets.json when none is named, creating nothing until a token is stored', async () => {
    const { outcome, secrets } = await serveWith(undefined);
    expect(outcome.ok).toBe(true);
    expect(secrets?.ids()).toEqual([]);
  });

  it.runIf(posix)(
    'refuses to start on a file others can read, naming it and chmod 600',
    async () => {
      const file = join(workspace, 'secrets.json');
      writeFileSync(file, JSON.stringify({ 'team-github': TOKEN }));
      chmodSync(file, 0o644);
      const { outcome, secrets } = await serveWith(file);
      expect(outcome).toEqual({
        ok: false,
        exitCode: 2,
        message: `Secrets file ${file} can be read or changed by every user — run chmod 600 ${file}.`,
      });
      expect(secrets).toBeUndefined();
    },
  );
});
