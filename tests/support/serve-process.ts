import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServeProcess {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** A fast Catalog demo: a check-in every few seconds, stages lasting about a second. */
export const fastDemoConfig = {
  sources: [
    {
      id: 'catalog-demo',
      kind: 'demo',
      name: 'Catalog (demo)',
      options: { checkInEverySeconds: 6, speed: 60, supersedeWaitingGates: false },
    },
  ],
  polling: { activeIntervalSeconds: 1, idleIntervalSeconds: 5 },
};

/** A Catalog demo that checks in once an hour: the builds it starts with, and no new ones. */
export const quietDemoConfig = {
  sources: [
    {
      id: 'catalog-demo',
      kind: 'demo',
      name: 'Catalog (demo)',
      options: { checkInEverySeconds: 3600, supersedeWaitingGates: false },
    },
  ],
  polling: { activeIntervalSeconds: 1, idleIntervalSeconds: 5 },
};

/**
 * Starts the built serve mode (`out/main/cli.js`) on a free port with a fresh data folder and
 * waits for the line that prints its URL. Output is re-emitted with a prefix on failure.
 */
export async function startServe(
  config: unknown = fastDemoConfig,
  extraArgs: string[] = [],
  dataDir: string = mkdtempSync(join(tmpdir(), 'pipewatch-e2e-')),
): Promise<ServeProcess> {
  const configPath = join(dataDir, 'e2e-config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(
    process.execPath,
    [
      'out/main/cli.js',
      'serve',
      '--config',
      configPath,
      '--data-dir',
      dataDir,
      '--port',
      '0',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
    const check = (): void => {
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
