#!/usr/bin/env node
/**
 * `npm run dist [-- --linux|--mac|--win …]`: the installers of the desktop app, in dist/.
 *
 *   1. electron-vite build (out/main, out/preload, out/renderer);
 *   2. electron-builder with the `build` section of package.json: AppImage and .deb on Linux,
 *      .dmg on macOS, NSIS on Windows (by default for the machine it runs on). It rebuilds
 *      better-sqlite3 for Electron's ABI (`npmRebuild`, using a prebuilt binary when one exists)
 *      and unpacks the .node file from the asar archive (`asarUnpack`), as native modules must;
 *   3. rebuilds better-sqlite3 for plain Node again — step 2 rebuilds it in node_modules, where
 *      the tests and serve mode need the Node build — even when step 2 failed.
 *
 * Needs network access: electron-builder downloads Electron (and its packaging tools) for each
 * target on first use. Arguments go to electron-builder as given.
 */
import { spawnSync } from 'node:child_process';

function run(command, args) {
  console.log(`> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status ?? 1;
}

let status = run('npx', ['electron-vite', 'build']);
if (status === 0) {
  status = run('npx', ['electron-builder', '--publish', 'never', ...process.argv.slice(2)]);
  const restored = run('npm', ['rebuild', 'better-sqlite3']);
  if (restored !== 0) {
    console.error(
      'Restoring better-sqlite3 for Node failed; run `npm rebuild better-sqlite3` before the tests.',
    );
    status ||= restored;
  }
}
process.exit(status);
