#!/usr/bin/env node
/**
 * The `pipewatch` command: runs the bundled CLI (out/main/cli.js) in this process with the same
 * arguments, building it first when out/ is missing (a fresh checkout).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');

if (!existsSync(cli)) {
  console.error('Pipewatch is not built yet; building it once (npx electron-vite build)…');
  const build = spawnSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['electron-vite', 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      shell: process.platform === 'win32',
    },
  );
  if (build.status !== 0 || !existsSync(cli)) {
    console.error('pipewatch: the build failed; see the output above.');
    process.exit(2);
  }
}

// The CLI reads process.argv.slice(2), which is already `serve …` here.
createRequire(import.meta.url)(cli);
