import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';

/** Where `scripts/rebuild-native-for-electron.mjs` puts better-sqlite3 built for Electron's ABI. */
export const ELECTRON_NATIVE_BINDING = join('.electron-native', 'better_sqlite3.node');

/**
 * The better-sqlite3 binary for this Electron, or undefined when the default one is right.
 * In development node_modules holds the build for plain Node (the tests and serve mode need
 * it), so Electron loads a separate build from `.electron-native/` under the app root. A
 * packaged app ships a better-sqlite3 already rebuilt for Electron, so the default applies.
 */
export function nativeBindingPath(): string | undefined {
  if (app.isPackaged) return undefined;
  const candidate = join(app.getAppPath(), ELECTRON_NATIVE_BINDING);
  return existsSync(candidate) ? candidate : undefined;
}
