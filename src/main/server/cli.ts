import { join } from 'node:path';
import { version } from '../../../package.json';
import { defaultConfig, loadConfigFile } from '../config/load-config';
import { createCore } from '../core';
import { parseServeArguments, SERVE_USAGE } from './serve-arguments';
import { runServeCommand } from './serve-command';

/**
 * The `pipewatch` command (bundled as out/main/cli.js, run with plain Node): serve mode without
 * Electron. Parsing and serving live in their own modules; this file wires them to the process —
 * arguments, output streams, signals and the exit code.
 */
async function main(): Promise<number | null> {
  const parsed = parseServeArguments(process.argv.slice(2), process.env);
  if ('error' in parsed) {
    process.stderr.write(`pipewatch: ${parsed.error}\n`);
    return 2;
  }
  if (parsed.command === 'help') {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  if (parsed.command === 'version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }

  const outcome = await runServeCommand(parsed.options, {
    createCore,
    loadConfigFile,
    defaultConfig,
    // The bundle is out/main/cli.js and the renderer build is out/renderer.
    staticDir: join(__dirname, '..', 'renderer'),
    print: (line) => process.stdout.write(`${line}\n`),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (!outcome.ok) {
    process.stderr.write(`pipewatch: ${outcome.message}\n`);
    return outcome.exitCode;
  }
  process.stdout.write(`Pipewatch is serving on ${outcome.url}\n`);

  let stopping = false;
  const shutDown = (): void => {
    if (stopping) {
      // A second Ctrl-C means "now": skip waiting for polls in flight.
      process.exit(1);
    }
    stopping = true;
    outcome.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`pipewatch: stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
  return null;
}

main().then(
  (exitCode) => {
    if (exitCode !== null) process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`pipewatch: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
