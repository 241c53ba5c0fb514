// Finds an installed Electron binary WITHOUT require('electron'): since Electron 42 that call
// downloads the binary on first use, which cannot work offline and must not happen silently.
// Shared by scripts/start.mjs and the Electron smoke test. Prints the result as JSON when run.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {{ path: string } | { missing: string }} */
export function findElectronBinary() {
  const packageDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(packageDir, 'package.json'))) {
    return { missing: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const fallbackName = process.platform === 'win32' ? 'electron.exe' : 'electron';
  const candidate = override
    ? join(override, relative ?? fallbackName)
    : relative
      ? join(packageDir, 'dist', relative)
      : null;
  if (candidate && existsSync(candidate)) return { path: candidate };
  return {
    missing:
      'no Electron binary is installed here (its download needs network access to GitHub; run "npx install-electron" where that works)',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(findElectronBinary()));
}
