import BetterSqlite3 from 'better-sqlite3';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, StoreError } from '../../src/main/store/db';
import { MIGRATIONS, type Migration } from '../../src/main/store/migrations/index';
import { readSchemaVersion, runMigrations } from '../../src/main/store/migrations/migration-runner';
import { Store } from '../../src/main/store/store';
import {
  ALL_PASSED,
  catalogBuild,
  catalogSnapshot,
  temporaryFolder,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
let file: string;

beforeEach(() => {
  folder = temporaryFolder();
  file = join(folder.path, 'pipewatch.db');
});
afterEach(() => folder.cleanup());

/** Opening must throw a StoreError; returns it for the message checks. */
function refusal(open: () => unknown): StoreError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected the database to be refused');
}

function recordedMigrations(path: string): Array<{ version: number; name: string }> {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db
      .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
      .all() as Array<{
      version: number;
      name: string;
    }>;
  } finally {
    db.close();
  }
}

function tableNames(path: string): string[] {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return (
      db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .all() as Array<{
        name: string;
      }>
    ).map((row) => row.name);
  } finally {
    db.close();
  }
}

describe('opening the database', () => {
  it('creates the missing data folder, applies the initial schema once and records it', () => {
    const nested = join(folder.path, 'profile', 'data', 'pipewatch.db');
    const db = openDatabase(nested);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();

    expect(recordedMigrations(nested)).toEqual(
      MIGRATIONS.map(({ version, name }) => ({ version, name })),
    );
    expect(tableNames(nested)).toEqual(
      expect.arrayContaining(['sources', 'pipelines', 'builds', 'stages', 'stage_needs', 'steps']),
    );
    expect(tableNames(nested)).toEqual(expect.arrayContaining(['gates', 'audit', 'logs']));
  });

  it('re-opening an up-to-date database applies nothing and keeps its data', () => {
    const first = new Store(openDatabase(file));
    const sourceId = first.upsertSource({
      key: 'team-ci',
      kind: 'demo',
      name: 'Team CI',
      baseUrl: null,
      isDemo: true,
    });
    first.applySnapshot(sourceId, catalogSnapshot([catalogBuild(122, ALL_PASSED)]), 'poll-1');
    first.close();

    const db = openDatabase(file);
    expect(runMigrations(db, MIGRATIONS)).toEqual([]);
    expect(readSchemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT COUNT(*) AS count FROM builds').get()).toEqual({ count: 1 });
    db.close();
    expect(recordedMigrations(file)).toHaveLength(MIGRATIONS.length);
  });

  it('rolls back a failing migration, names it, and never runs the ones after it', () => {
    const broken: Migration[] = [
      MIGRATIONS[0]!,
      {
        version: 2,
        name: '002-half-broken',
        sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1);',
      },
      { version: 3, name: '003-after', sql: 'CREATE TABLE later (id INTEGER PRIMARY KEY);' },
    ];

    const error = refusal(() => openDatabase(file, { migrations: broken }));
    expect(error.reason).toBe('migration-failed');
    expect(error.message).toContain('002-half-broken');
    expect(error.message).toContain(file);
    expect(error.message).toContain('no such table: nowhere');

    // 001 committed in its own transaction; 002 left nothing behind; 003 never ran.
    expect(recordedMigrations(file)).toEqual([{ version: 1, name: '001-initial' }]);
    expect(tableNames(file)).not.toContain('notes');
    expect(tableNames(file)).not.toContain('later');

    // Fixed, the same database migrates on.
    const fixed = broken.map((migration) =>
      migration.version === 2
        ? { ...migration, sql: 'CREATE TABLE notes (id INTEGER);' }
        : migration,
    );
    openDatabase(file, { migrations: fixed }).close();
    expect(recordedMigrations(file).map((row) => row.version)).toEqual([1, 2, 3]);
  });

  it('refuses a migration list out of order', () => {
    const shuffled: Migration[] = [
      { version: 2, name: '002-b', sql: 'SELECT 1;' },
      { version: 1, name: '001-a', sql: 'SELECT 1;' },
    ];
    expect(() => openDatabase(file, { migrations: shuffled })).toThrow(/increasing order/);
  });

  it('refuses a database written by a newer Pipewatch and leaves it byte for byte', () => {
    openDatabase(file).close();
    const newer = new BetterSqlite3(file);
    newer
      .prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, '007-future', 'x')",
      )
      .run();
    newer.close();
    const before = readFileSync(file);

    const error = refusal(() => openDatabase(file));
    expect(error.reason).toBe('newer-schema');
    expect(error.message).toContain(file);
    expect(error.message).toContain(
      `was written by a newer Pipewatch (schema version 7, this build knows ${MIGRATIONS.length})`,
    );
    expect(error.message).toContain('left untouched');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database, naming it, and leaves its bytes unchanged', () => {
    const garbage = Buffer.from('These are my notes, not a database.\n'.repeat(200));
    writeFileSync(file, garbage);

    const error = refusal(() => openDatabase(file));
    expect(error.reason).toBe('corrupt');
    expect(error.file).toBe(file);
    expect(error.message).toContain(`"${file}"`);
    expect(error.message).toContain('is not a SQLite database or is corrupt');
    expect(error.message).toContain('The file was left untouched');
    expect(readFileSync(file).equals(garbage)).toBe(true);
    expect(readdirSync(folder.path)).toEqual(['pipewatch.db']);
  });

  it('refuses a SQLite database with damaged pages and leaves it as it was', () => {
    const store = new Store(openDatabase(file));
    const sourceId = store.upsertSource({
      key: 'team-ci',
      kind: 'demo',
      name: 'Team CI',
      baseUrl: null,
      isDemo: true,
    });
    const builds = Array.from({ length: 60 }, (_, index) => catalogBuild(index + 1, ALL_PASSED));
    store.applySnapshot(sourceId, catalogSnapshot(builds), 'poll-1');
    store.close();

    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length).toBeGreaterThan(pageSize * 8);
    // Keep the header page; scribble over the b-tree pages after it.
    bytes.fill(0xa5, pageSize * 2, pageSize * 6);
    writeFileSync(file, bytes);

    const error = refusal(() => openDatabase(file));
    expect(error.reason).toBe('corrupt');
    expect(error.message).toContain('is not a SQLite database or is corrupt');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const other = new BetterSqlite3(file);
    other.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ana');");
    other.close();
    const before = readFileSync(file);

    const error = refusal(() => openDatabase(file));
    expect(error.reason).toBe('not-pipewatch');
    expect(error.message).toContain(file);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a folder where the database file should be', () => {
    mkdirSync(file);
    const error = refusal(() => openDatabase(file));
    expect(error.message).toContain('is a folder, not a file');
  });

  it.skipIf(process.getuid?.() === 0)(
    'refuses an unreadable file with "permission denied" (skipped as root, who reads anything)',
    () => {
      openDatabase(file).close();
      const before = readFileSync(file);
      chmodSync(file, 0o000);
      try {
        const error = refusal(() => openDatabase(file));
        expect(error.reason).toBe('permission');
        expect(error.message).toContain('cannot be read: permission denied');
      } finally {
        chmodSync(file, 0o600);
      }
      expect(readFileSync(file).equals(before)).toBe(true);
    },
  );

  it('loads the native binding it is given (the Electron shell passes its own build)', () => {
    const require = createRequire(import.meta.url);
    const binding = join(
      dirname(require.resolve('better-sqlite3/package.json')),
      'build/Release/better_sqlite3.node',
    );
    expect(existsSync(binding)).toBe(true);
    openDatabase(file, { nativeBinding: binding }).close();

    const missing = join(folder.path, 'elsewhere', 'better_sqlite3.node');
    expect(() => openDatabase(join(folder.path, 'other.db'), { nativeBinding: missing })).toThrow(
      /elsewhere/,
    );
  });
});
