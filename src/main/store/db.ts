import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index';
import { assertKnownSchema, runMigrations } from './migrations/migration-runner';
import { StoreError } from './store-error';

export { StoreError } from './store-error';
export type { StoreErrorReason } from './store-error';

/** Writers wait this long for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** How many problems `quick_check` lists at most; one is enough to refuse the file. */
const INTEGRITY_PROBLEMS_SHOWN = 3;

const LEFT_UNTOUCHED = 'The file was left untouched; move it aside or choose another data folder.';

export interface OpenDatabaseOptions {
  /** Path of a separately built better_sqlite3.node (the Electron shell loads its own build). */
  nativeBinding?: string;
  /** The migrations to apply; the shipped list unless a test injects another. */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the Pipewatch database and brings its schema up to date. A file
 * that is not a readable, intact Pipewatch database of a known schema is refused with a
 * `StoreError` naming the file, and is never deleted, renamed or written: every check that can
 * refuse it runs before the first write (switching to WAL writes the header).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const migrations = options.migrations ?? MIGRATIONS;
  const inMemory = file === ':memory:';
  if (!inMemory) {
    ensureFolder(file);
    assertAccessible(file);
  }
  let db: Database;
  try {
    db = new BetterSqlite3(
      file,
      options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding },
    );
  } catch (error) {
    throw describeFailure(file, error);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    assertIntact(db, file);
    assertKnownSchema(db, migrations);
    // Only a brand-new file can take this (it must precede the first table); it lets pruning
    // give pages back to the file system instead of leaving the file at its largest size.
    if (isEmptyDatabase(db)) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode never corrupts; a power cut loses at most the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    runMigrations(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw describeFailure(file, error);
  }
}

function ensureFolder(file: string): void {
  const folder = dirname(file);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new StoreError(
      isPermissionError(error) ? 'permission' : 'io',
      `Pipewatch cannot create the folder "${folder}" for its database "${file}": ${errorText(error)}.`,
      file,
      { cause: error },
    );
  }
}

/** Turns "unable to open database file" into what is actually wrong, before SQLite tries. */
function assertAccessible(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw describeFailure(file, error);
  }
  if (!isFile) {
    throw new StoreError(
      'io',
      `The database "${file}" is a folder, not a file. ${LEFT_UNTOUCHED}`,
      file,
    );
  }
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw refused('permission', file, 'cannot be read: permission denied', error);
  }
  try {
    accessSync(file, constants.W_OK);
  } catch (error) {
    throw refused('permission', file, 'cannot be written: permission denied', error);
  }
}

/** Reading the header and every page is what exposes a non-SQLite or damaged file. */
function assertIntact(db: Database, file: string): void {
  const rows = db.pragma(`quick_check(${INTEGRITY_PROBLEMS_SHOWN})`) as Array<{
    quick_check: string;
  }>;
  const problems = rows.map((row) => row.quick_check);
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw refused(
    'corrupt',
    file,
    `is not a SQLite database or is corrupt (integrity check: ${problems.join('; ')})`,
  );
}

function refused(
  reason: StoreError['reason'],
  file: string,
  problem: string,
  cause?: unknown,
): StoreError {
  return new StoreError(reason, `The database "${file}" ${problem}. ${LEFT_UNTOUCHED}`, file, {
    cause,
  });
}

/** Maps SQLite and file-system failures to a StoreError; anything else is a bug and passes. */
function describeFailure(file: string, error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const code = errorCode(error) ?? '';
  const detail = errorText(error);
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return refused('corrupt', file, `is not a SQLite database or is corrupt (${detail})`, error);
  }
  if (/^SQLITE_(PERM|READONLY|AUTH)/.test(code) || isPermissionError(error)) {
    return refused('permission', file, `cannot be opened: permission denied (${detail})`, error);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return refused(
      'io',
      file,
      `cannot be opened (${detail}); check that its folder exists and is writable`,
      error,
    );
  }
  // SQLite result codes and file-system errnos (EIO, ENOSPC, EROFS…), not Node's ERR_* codes.
  if (code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code)) {
    return refused('io', file, `cannot be opened (${detail})`, error);
  }
  return error;
}

function isPermissionError(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EACCES' || code === 'EPERM';
}

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isEmptyDatabase(db: Database): boolean {
  return (db.pragma('page_count', { simple: true }) as number) === 0;
}
