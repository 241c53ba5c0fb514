import type { Database, Statement } from 'better-sqlite3';
import type { SourceKind } from '../../shared/model';
import { toSourceKind } from './rows';

/** A configured source as the store keeps it (health and `enabled` live in the poller). */
export interface SourceRow {
  id: number;
  /** The config file's id. */
  key: string;
  kind: SourceKind;
  name: string;
  baseUrl: string | null;
  isDemo: boolean;
}

/** The sources table: one row per configured CI connection, keyed by its config id. */
export class SourceRepository {
  private readonly upsert: Statement;
  private readonly list: Statement;
  private readonly remove: Statement;

  constructor(
    db: Database,
    private readonly now: () => Date,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO sources (key, kind, name, base_url, is_demo, created_at)
       VALUES (@key, @kind, @name, @baseUrl, @isDemo, @createdAt)
       ON CONFLICT (key) DO UPDATE SET
         kind = excluded.kind, name = excluded.name, base_url = excluded.base_url,
         is_demo = excluded.is_demo
       RETURNING id`,
    );
    this.list = db.prepare(
      `SELECT id, key, kind, name, base_url AS baseUrl, is_demo AS isDemo
         FROM sources ORDER BY id`,
    );
    this.remove = db.prepare('DELETE FROM sources WHERE key = ?');
  }

  /** Adds or updates the source with this config id; returns its row id (stable across edits). */
  upsertSource(row: Omit<SourceRow, 'id'>): number {
    const result = this.upsert.get({
      key: row.key,
      kind: row.kind,
      name: row.name,
      baseUrl: row.baseUrl,
      isDemo: row.isDemo ? 1 : 0,
      createdAt: this.now().toISOString(),
    }) as { id: number };
    return result.id;
  }

  listSourceRows(): SourceRow[] {
    return (
      this.list.all() as Array<
        Omit<SourceRow, 'kind' | 'isDemo'> & { kind: string; isDemo: number }
      >
    ).map((row) => ({ ...row, kind: toSourceKind(row.kind), isDemo: row.isDemo === 1 }));
  }

  /** Deletes the source and, by cascade, its pipelines, builds, stages, steps, gates and logs. */
  removeSource(key: string): boolean {
    return this.remove.run(key).changes > 0;
  }
}
