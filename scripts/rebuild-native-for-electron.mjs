#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into .electron-native/better_sqlite3.node, which the
 * Electron shell passes to better-sqlite3 as its `nativeBinding` (src/main/native-binding.ts).
 *
 * node_modules/better-sqlite3 keeps its own build for plain Node, which the tests and serve mode
 * need; rebuilding it in place for Electron (what electron-rebuild does) would break them. So this
 * works on a copy. Tries a prebuilt binary first (one download) and compiles with node-gyp
 * against Electron's headers otherwise. Does nothing when the build for these versions exists;
 * `--force` rebuilds anyway.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = join(root, '.electron-native');
const target = join(outputDir, 'better_sqlite3.node');
const stampFile = join(outputDir, 'better_sqlite3.stamp');
const source = join(root, 'node_modules', 'better-sqlite3');
const work = join(outputDir, 'better-sqlite3');

function versionOf(packageName) {
  const file = join(root, 'node_modules', packageName, 'package.json');
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

function run(command, args, cwd) {
  console.log(`> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status === 0;
}

/** npm ships node-gyp; use that one rather than fetching another copy through npx. */
function nodeGypCommand() {
  const bundled = process.env['npm_config_node_gyp'];
  if (bundled && existsSync(bundled)) return [process.execPath, [bundled]];
  return [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', 'node-gyp']];
}

const electronVersion = versionOf('electron');
const stamp = `electron ${electronVersion}, better-sqlite3 ${versionOf('better-sqlite3')}, ${process.platform}-${process.arch}\n`;
const force = process.argv.includes('--force');

if (
  !force &&
  existsSync(target) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp
) {
  console.log(`better-sqlite3 for Electron ${electronVersion} is already built (${target}).`);
  process.exit(0);
}

console.log(`Building better-sqlite3 for Electron ${electronVersion} in ${work}…`);
mkdirSync(outputDir, { recursive: true });
rmSync(work, { recursive: true, force: true });
const ownBuild = join(source, 'build');
cpSync(source, work, {
  recursive: true,
  filter: (path) => path !== ownBuild && !path.startsWith(ownBuild + sep),
});

const prebuilt = run(
  process.execPath,
  [
    join(root, 'node_modules', 'prebuild-install', 'bin.js'),
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    `--platform=${process.platform}`,
  ],
  work,
);
const [gyp, gypArgs] = nodeGypCommand();
const built =
  prebuilt ||
  run(
    gyp,
    [
      ...gypArgs,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    work,
  );
const binary = join(work, 'build', 'Release', 'better_sqlite3.node');
if (!built || !existsSync(binary)) {
  console.error(
    `Could not build better-sqlite3 for Electron ${electronVersion} (both need network access: the prebuilt binary comes from GitHub, the headers from electronjs.org).`,
  );
  process.exit(1);
}
copyFileSync(binary, target);
writeFileSync(stampFile, stamp);
rmSync(work, { recursive: true, force: true });
console.log(`Wrote ${target}.`);
