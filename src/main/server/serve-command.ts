import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../shared/config';
import type { Core } from '../core-types';
import { resolveDataDir } from '../config/data-dir';
import { defaultSecretsFilePath, openFileSecretStore } from '../secrets/file-secret-store';
import { SecretStoreError, type SecretStore } from '../secrets/secret-store';
import { startHttpServer } from './http';
import type { ServeOptions } from './serve-arguments';

/**
 * `pipewatch serve` from parsed options to a listening server: data folder, config, token, core,
 * HTTP. Every failure a person can fix is a one-line message and exit code 2. The core factory
 * and config loaders come in as dependencies so this runs in tests against a fake core.
 */

/** What the command needs from the rest of the app. */
export interface ServeDependencies {
  createCore(options: {
    config: Config;
    configPath: string | null;
    dataDir: string;
    log?: (line: string) => void;
    /** The sources' tokens (`{secret: id}` references and tokens typed into Settings). */
    secrets?: SecretStore;
  }): Core;
  /** Throws an error named `ConfigError` whose message names the file and the field. */
  loadConfigFile(path: string): Config;
  defaultConfig(): Config;
  /** The built renderer (`out/renderer`), served if it holds an index.html. */
  staticDir: string;
  /** Messages for the person running the command. */
  print(line: string): void;
  /** Diagnostics: the core's log and server errors. */
  log(line: string): void;
}

export type ServeOutcome =
  | {
      ok: true;
      /** The URL to open, with `?token=` when there is one. */ url: string;
      stop(): Promise<void>;
    }
  | { ok: false; exitCode: number; message: string };

function failure(message: string, exitCode = 2): ServeOutcome {
  return { ok: false, exitCode, message };
}

function readTokenFile(path: string): { token: string } | { error: string } {
  let text: string;
  try {
    // On POSIX a token file others can read is a token others have (DESIGN.md: owner-only).
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      return { error: `Token file ${path} is readable by other users — run chmod 600 ${path}.` };
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    return { error: `Token file ${path} cannot be read: ${reason}.` };
  }
  const token = text.trim();
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return { error: `Token file ${path} must hold one token of printable ASCII without spaces.` };
  }
  return { token };
}

function describeListenError(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use — pick another with --port`;
    case 'EACCES':
      return `Port ${port} on ${host} needs privileges this user lacks — pick one above 1023 with --port`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine — pick another with --host`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Host name ${host} cannot be resolved — pick another with --host`;
    default:
      return `Cannot listen on ${host}:${port}: ${(error as Error).message}`;
  }
}

function loadConfig(
  options: ServeOptions,
  dataDir: string,
  dependencies: ServeDependencies,
): { config: Config; configPath: string | null } | { error: string } {
  const configPath =
    options.configPath ??
    (existsSync(join(dataDir, 'config.json')) ? join(dataDir, 'config.json') : undefined);
  if (configPath === undefined) {
    dependencies.print(
      `No config file given and none at ${join(dataDir, 'config.json')}: showing the built-in demo. Pass --config FILE to watch your own pipelines.`,
    );
    return { config: dependencies.defaultConfig(), configPath: null };
  }
  try {
    return { config: dependencies.loadConfigFile(configPath), configPath };
  } catch (error) {
    if (error instanceof Error && error.name === 'ConfigError') return { error: error.message };
    return { error: `Config file ${configPath} cannot be used: ${String(error)}` };
  }
}

/** Starts serving; the caller prints the outcome and owns signals and exit codes. */
export async function runServeCommand(
  options: ServeOptions,
  dependencies: ServeDependencies,
): Promise<ServeOutcome> {
  const dataDir = resolveDataDir(options.dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    return failure(`Data folder ${dataDir} cannot be created: ${(error as Error).message}`);
  }

  const loaded = loadConfig(options, dataDir, dependencies);
  if ('error' in loaded) return failure(loaded.error);

  let token = options.token;
  if (options.tokenFile !== null) {
    const read = readTokenFile(options.tokenFile);
    if ('error' in read) return failure(read.error);
    token = read.token;
  }

  // Opened before anything polls: a secrets file others can read stops start-up, naming the fix.
  let secrets: SecretStore;
  try {
    secrets = openFileSecretStore(options.secretsFile ?? defaultSecretsFilePath(dataDir));
  } catch (error) {
    if (error instanceof SecretStoreError) return failure(error.message);
    throw error;
  }

  const hasRenderer = existsSync(join(dependencies.staticDir, 'index.html'));
  if (!hasRenderer) {
    dependencies.print(
      `The UI is not built (no ${join(dependencies.staticDir, 'index.html')}): run npx electron-vite build. The API works meanwhile.`,
    );
  }

  let core: Core;
  try {
    core = dependencies.createCore({ ...loaded, dataDir, log: dependencies.log, secrets });
  } catch (error) {
    dependencies.log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return failure(`Pipewatch could not start: ${(error as Error).message}`, 1);
  }

  let server;
  try {
    server = await startHttpServer({
      core,
      host: options.host,
      port: options.port,
      token,
      staticDir: hasRenderer ? dependencies.staticDir : null,
      log: dependencies.log,
    });
  } catch (error) {
    await core.stop();
    return failure(describeListenError(error, options.host, options.port));
  }

  const running = server;
  const url = token === null ? running.url : `${running.url}?token=${encodeURIComponent(token)}`;
  return {
    ok: true,
    url,
    async stop() {
      await running.close();
      await core.stop();
    },
  };
}
