import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretStoreError } from './secret-store';

/**
 * Reading and writing a file that only its owner may read — the secrets files of both shells.
 * On POSIX a secrets file that its group or others can read (or write) is refused outright: a
 * token others can read is a token others have. Windows has no mode bits; there the file sits in
 * the user's profile, which only that user can open.
 */

/** Why a file may not hold secrets, or null when it may. Pure, for tests of every mode. */
export function ownerOnlyProblem(
  path: string,
  stats: { mode: number; uid: number },
  currentUid: number | null,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (platform === 'win32') return null;
  if ((stats.mode & 0o077) !== 0) {
    const who = (stats.mode & 0o007) !== 0 ? 'every user' : 'its group';
    return `Secrets file ${path} can be read or changed by ${who} — run chmod 600 ${path}.`;
  }
  if (currentUid !== null && stats.uid !== currentUid) {
    return `Secrets file ${path} belongs to another user — it must be owned by the user running Pipewatch (chown it, then chmod 600 ${path}).`;
  }
  return null;
}

function currentUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

/**
 * The text of an owner-only file, or null when it does not exist. Throws SecretStoreError for a
 * file others can read, a symbolic link, a folder, or a file that cannot be read.
 */
export function readOwnerOnlyFile(path: string): string | null {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SecretStoreError(`Secrets file ${path} cannot be read: ${(error as Error).message}.`);
  }
  // A link could point the checks at one file and the read at another.
  if (stats.isSymbolicLink()) {
    throw new SecretStoreError(`Secrets file ${path} is a symbolic link; give the file itself.`);
  }
  if (!stats.isFile()) throw new SecretStoreError(`Secrets file ${path} is not a file.`);
  const problem = ownerOnlyProblem(path, stats, currentUid());
  if (problem !== null) throw new SecretStoreError(problem);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SecretStoreError(`Secrets file ${path} cannot be read: ${(error as Error).message}.`);
  }
}

/** The file's modification stamp, to notice edits made while Pipewatch runs; null when missing. */
export function fileStamp(path: string): string | null {
  try {
    const stats = statSync(path);
    return `${stats.mtimeMs}:${stats.size}:${stats.mode}:${stats.ino}`;
  } catch {
    return null;
  }
}

/**
 * Replaces the file atomically with `text`: a temporary file created with mode 0600 (never
 * readable by others, not even for a moment), flushed, then renamed over the old one.
 */
export function writeOwnerOnlyFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.secrets.tmp`);
  try {
    const descriptor = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new SecretStoreError(
      `Secrets file ${path} cannot be written: ${(error as Error).message}.`,
    );
  }
}
