import type { Database } from 'better-sqlite3';
import { StoreError } from '../store-error';
import type { Migration } from './index';

const MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  applied_at  TEXT NOT NULL
)`;

/** The highest migration recorded in the database; 0 for a database Pipewatch never touched. */
export function readSchemaVersion(db: Database): number {
  if (!hasTable(db, 'schema_migrations')) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

/**
 * Refuses, without writing anything, a database this build must not migrate: one written by a
 * newer Pipewatch, or another program's database that happens to be SQLite.
 */
export function assertKnownSchema(db: Database, migrations: readonly Migration[]): void {
  const known = latestVersion(migrations);
  const recorded = readSchemaVersion(db);
  if (recorded > known) {
    throw new StoreError(
      'newer-schema',
      `The database "${db.name}" was written by a newer Pipewatch (schema version ${recorded}, ` +
        `this build knows ${known}). Update Pipewatch or choose another data folder; the file was left untouched.`,
      db.name,
    );
  }
  if (recorded === 0 && userTableCount(db) > 0) {
    throw new StoreError(
      'not-pipewatch',
      `The database "${db.name}" is a SQLite database of another program, not a Pipewatch database. ` +
        'Choose another data folder; the file was left untouched.',
      db.name,
    );
  }
}

/**
 * Applies, in order, every migration newer than the recorded version, each in ONE transaction
 * together with its record, and stops at the first failure: a half-migrated schema is never
 * committed and later migrations never run on top of a failed one. Returns the versions applied.
 */
export function runMigrations(db: Database, migrations: readonly Migration[]): number[] {
  assertOrdered(migrations);
  assertKnownSchema(db, migrations);
  db.exec(MIGRATIONS_TABLE);
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applied: number[] = [];
  const from = readSchemaVersion(db);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    });
    try {
      apply.immediate();
    } catch (error) {
      const stays = applied.at(-1) ?? from;
      throw new StoreError(
        'migration-failed',
        `Pipewatch could not update the database "${db.name}": migration ${migration.name} failed ` +
          `(${errorText(error)}). That migration was rolled back; the database stays at schema version ${stays}.`,
        db.name,
        { cause: error },
      );
    }
    applied.push(migration.version);
  }
  return applied;
}

function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(
        `Migration ${migration.name} has version ${migration.version}; versions must be positive integers in increasing order.`,
      );
    }
    previous = migration.version;
  }
}

function hasTable(db: Database, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

function userTableCount(db: Database): number {
  const row = db
    .prepare(
      "SELECT COUNT(*) AS count FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .get() as { count: number };
  return row.count;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
