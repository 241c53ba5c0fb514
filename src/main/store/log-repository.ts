import type { Database, Statement } from 'better-sqlite3';
import { constants, gunzipSync, gzipSync } from 'node:zlib';

/** A cached step log as stored. */
export interface StoredLog {
  text: string;
  /** The step had finished when the log was fetched: it will not grow any more. */
  complete: boolean;
  fetchedAt: string;
}

/**
 * Fastest gzip level: CI logs are repetitive enough that level 1 already shrinks them several
 * times, and a log of hundreds of megabytes compresses in about a second instead of several.
 */
const GZIP_LEVEL = constants.Z_BEST_SPEED;

/** Step logs, gzip-compressed at rest in their own table, away from the hot build tables. */
export class LogRepository {
  private readonly upsert: Statement;
  private readonly select: Statement;

  constructor(
    db: Database,
    private readonly now: () => Date,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO logs (step_id, fetched_at, complete, size, compressed)
       VALUES (@stepId, @fetchedAt, @complete, @size, @compressed)
       ON CONFLICT (step_id) DO UPDATE SET
         fetched_at = excluded.fetched_at, complete = excluded.complete,
         size = excluded.size, compressed = excluded.compressed`,
    );
    this.select = db.prepare(
      'SELECT fetched_at AS fetchedAt, complete, compressed FROM logs WHERE step_id = ?',
    );
  }

  /** Stores (or replaces) a step's log; the step must exist. */
  putLog(stepId: number, text: string, complete: boolean): void {
    const bytes = Buffer.from(text, 'utf8');
    this.upsert.run({
      stepId,
      fetchedAt: this.now().toISOString(),
      complete: complete ? 1 : 0,
      size: bytes.length,
      compressed: gzipSync(bytes, { level: GZIP_LEVEL }),
    });
  }

  getLog(stepId: number): StoredLog | null {
    const row = this.select.get(stepId) as
      { fetchedAt: string; complete: number; compressed: Buffer } | undefined;
    if (row === undefined) return null;
    return {
      text: gunzipSync(row.compressed).toString('utf8'),
      complete: row.complete === 1,
      fetchedAt: row.fetchedAt,
    };
  }
}
