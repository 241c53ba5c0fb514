import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Buildbot master and worker for the integration test: created in a temp folder from
 * `master.cfg` next to this file, bound to 127.0.0.1 on free ports, and stopped (and removed) by
 * `stop()`. Debian ships no `buildbot-www`, whose "base" plugin the master insists on before it
 * serves the REST API; the stand-in in `www-stub/` is put on PYTHONPATH when the real one is absent.
 */

const HERE = __dirname;
export const BUILDBOT_USER = 'release-manager';
export const BUILDBOT_PASSWORD = 'release-password-5f2c';
const WORKER_PASSWORD = 'worker-password-91ad';

export interface RunningBuildbot {
  /** The web root, e.g. http://127.0.0.1:40123/ */
  webUrl: string;
  directory: string;
  /** The master's twistd.log, for a failing test's message. */
  masterLog(): string;
  stop(): Promise<void>;
}

/** Why the test cannot run here, or null when the `buildbot` commands are installed. */
export function buildbotMissing(): string | null {
  for (const command of ['buildbot', 'buildbot-worker']) {
    const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
    if (found.status !== 0) {
      return `the "${command}" command is missing (Debian: apt-get install -y buildbot buildbot-worker)`;
    }
  }
  return null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs a setup command to its end (the master's and the worker's creation run side by side). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${errors}`)),
    );
  });
}

/** Whether the Python that runs `buildbot` has the real web UI package (then no stand-in). */
function hasRealWww(): boolean {
  const found = spawnSync('sh', ['-c', 'command -v buildbot'], { encoding: 'utf8' });
  let python = 'python3';
  try {
    const shebang = readFileSync(found.stdout.trim(), 'utf8').split('\n')[0] ?? '';
    python = /^#!\s*(\S+)/.exec(shebang)?.[1] ?? python;
  } catch {
    // Not a script: ask the default Python.
  }
  return spawnSync(python, ['-c', 'import buildbot_www']).status === 0;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Buildbot: ${what} did not happen within ${timeoutMs / 1000} s`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Creates and starts a master and a connected worker; stops what it started if that fails. */
export async function startBuildbot(): Promise<RunningBuildbot> {
  const directory = mkdtempSync(join(tmpdir(), 'pipewatch-buildbot-'));
  const masterDirectory = join(directory, 'master');
  const workerDirectory = join(directory, 'worker');
  const [webPort, workerPort] = [await freePort(), await freePort()];
  // Small, known environments: the worker prints its environment into every step's log, so it
  // gets none of the master's settings (its password among them).
  const workerEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: directory,
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const masterEnv: NodeJS.ProcessEnv = {
    ...workerEnv,
    PIPEWATCH_BUILDBOT_WEB_PORT: String(webPort),
    PIPEWATCH_BUILDBOT_WORKER_PORT: String(workerPort),
    PIPEWATCH_BUILDBOT_WORKER_PASSWORD: WORKER_PASSWORD,
    PIPEWATCH_BUILDBOT_USER: BUILDBOT_USER,
    PIPEWATCH_BUILDBOT_PASSWORD: BUILDBOT_PASSWORD,
    ...(hasRealWww() ? {} : { PYTHONPATH: join(HERE, 'www-stub') }),
  };
  const children: ChildProcess[] = [];
  const webUrl = `http://127.0.0.1:${webPort}/`;
  // Should the test runner die first, its exit still takes the master and worker with it.
  const killOnExit = (): void => children.forEach((child) => child.kill('SIGKILL'));
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    for (const child of children.reverse()) await stopProcess(child);
    rmSync(directory, { recursive: true, force: true });
  };
  const masterLog = (): string => {
    try {
      return readFileSync(join(masterDirectory, 'twistd.log'), 'utf8').slice(-4000);
    } catch {
      return '(no twistd.log)';
    }
  };
  try {
    await Promise.all([
      run('buildbot', ['create-master', '--quiet', masterDirectory], masterEnv),
      run(
        'buildbot-worker',
        [
          'create-worker',
          '--quiet',
          workerDirectory,
          `127.0.0.1:${workerPort}`,
          'catalog-worker',
          WORKER_PASSWORD,
        ],
        workerEnv,
      ),
    ]);
    copyFileSync(join(HERE, 'master.cfg'), join(masterDirectory, 'master.cfg'));
    const output = openSync(join(directory, 'processes.log'), 'a');
    const start = (command: string, folder: string, env: NodeJS.ProcessEnv): void => {
      children.push(
        spawn(command, ['start', '--nodaemon', folder], { env, stdio: ['ignore', output, output] }),
      );
    };
    // The worker keeps retrying until the master listens, so both start at once.
    start('buildbot', masterDirectory, masterEnv);
    start('buildbot-worker', workerDirectory, workerEnv);
    closeSync(output);
    await waitFor(
      'the master answering on its web port',
      async () => (await fetch(`${webUrl}api/v2/builders`)).ok,
      45_000,
    );
    await waitFor(
      'the worker connecting',
      async () => {
        const body = (await (await fetch(`${webUrl}api/v2/workers`)).json()) as {
          workers: { connected_to: unknown[] }[];
        };
        return body.workers.some((worker) => worker.connected_to.length > 0);
      },
      45_000,
    );
  } catch (error) {
    const log = masterLog();
    await stop();
    throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
  }
  return { webUrl, directory, masterLog, stop };
}
