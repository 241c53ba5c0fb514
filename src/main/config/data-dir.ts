import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Pipewatch keeps its database and state when no Electron userData path applies:
 * `--data-dir`, else `PIPEWATCH_DATA_DIR`, else the platform's usual place.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  const fromEnv = env['PIPEWATCH_DATA_DIR'];
  if (fromEnv) return resolve(fromEnv);
  switch (process.platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Pipewatch');
    case 'win32':
      return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Pipewatch');
    default:
      return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'pipewatch');
  }
}
