#!/usr/bin/env node
/**
 * `npm start`: the desktop app where an Electron binary is installed, serve mode (in a browser)
 * where it is not. Arguments after `npm start --` go to serve mode (e.g. `--port 9000`) or to the
 * Electron app.
 */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';

function runOrExit(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: isWindows });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs the app in the foreground; Ctrl-C reaches both processes, the child decides how to stop. */
function runToExit(command, args) {
  const env = { ...process.env };
  // Set in some shells and CI images; it would make the Electron binary behave as plain Node.
  delete env['ELECTRON_RUN_AS_NODE'];
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
const npx = isWindows ? 'npx.cmd' : 'npx';

const found = findElectronBinary();
const electron = 'path' in found ? found.path : null;
if (electron === null) {
  console.log(
    `${found.missing.charAt(0).toUpperCase()}${found.missing.slice(1)}; starting serve mode instead — open the URL below in a browser.`,
  );
}
runOrExit(npx, ['electron-vite', 'build']);
if (electron !== null) {
  runOrExit(process.execPath, [join(root, 'scripts', 'rebuild-native-for-electron.mjs')]);
  runToExit(electron, [root, ...args]);
} else {
  runToExit(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'serve', ...args]);
}
