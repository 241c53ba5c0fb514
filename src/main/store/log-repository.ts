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

/** Step and stage logs, gzip-compressed at rest in their own tables, away from the hot build tables. */
export class LogRepository {
  private readonly stepLogs: CompressedTextTable;
  private readonly stageLogs: CompressedTextTable;

  constructor(db: Database, now: () => Date) {
    this.stepLogs = new CompressedTextTable(db, 'logs', 'step_id', now);
    this.stageLogs = new CompressedTextTable(db, 'stage_logs', 'stage_id', now);
  }

  /** Stores (or replaces) a step's log; the step must exist. */
  putLog(stepId: number, text: string, complete: boolean): void {
    this.stepLogs.put(stepId, text, complete);
  }

  getLog(stepId: number): StoredLog | null {
    return this.stepLogs.get(stepId);
  }

  /** Stores (or replaces) a whole stage's log; the stage must exist. */
  putStageLog(stageId: number, text: string, complete: boolean): void {
    this.stageLogs.put(stageId, text, complete);
  }

  getStageLog(stageId: number): StoredLog | null {
    return this.stageLogs.get(stageId);
  }
}

/** One log table: a key column, and the text gzip-compressed with its size and completeness. */
class CompressedTextTable {
  private readonly upsert: Statement;
  private readonly select: Statement;

  constructor(
    db: Database,
    table: 'logs' | 'stage_logs',
    key: 'step_id' | 'stage_id',
    private readonly now: () => Date,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO ${table} (${key}, fetched_at, complete, size, compressed)
       VALUES (@key, @fetchedAt, @complete, @size, @compressed)
       ON CONFLICT (${key}) DO UPDATE SET
         fetched_at = excluded.fetched_at, complete = excluded.complete,
         size = excluded.size, compressed = excluded.compressed`,
    );
    this.select = db.prepare(
      `SELECT fetched_at AS fetchedAt, complete, compressed FROM ${table} WHERE ${key} = ?`,
    );
  }

  put(key: number, text: string, complete: boolean): void {
    const bytes = Buffer.from(text, 'utf8');
    this.upsert.run({
      key,
      fetchedAt: this.now().toISOString(),
      complete: complete ? 1 : 0,
      size: bytes.length,
      compressed: gzipSync(bytes, { level: GZIP_LEVEL }),
    });
  }

  get(key: number): StoredLog | null {
    const row = this.select.get(key) as
      { fetchedAt: string; complete: number; compressed: Buffer } | undefined;
    if (row === undefined) return null;
    return {
      text: gunzipSync(row.compressed).toString('utf8'),
      complete: row.complete === 1,
      fetchedAt: row.fetchedAt,
    };
  }
}
