import type { Database, Statement } from 'better-sqlite3';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { StoredLog, StoredLogInfo } from './log-repository';

/**
 * Fastest gzip level: CI logs are repetitive enough that level 1 already shrinks them several
 * times, and a log of hundreds of megabytes compresses in about a second instead of several.
 */
const GZIP_LEVEL = constants.Z_BEST_SPEED;

/** One log table: a key column, and the text gzip-compressed with its size and completeness. */
export class CompressedTextTable {
  private readonly upsert: Statement;
  private readonly select: Statement;
  private readonly selectInfo: Statement;
  private readonly clearIndex: Statement;

  constructor(
    private readonly db: Database,
    table: 'logs' | 'stage_logs',
    key: 'step_id' | 'stage_id',
    private readonly now: () => Date,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO ${table} (${key}, fetched_at, complete, size, compressed, indexed)
       VALUES (@key, @fetchedAt, @complete, @size, @compressed, 0)
       ON CONFLICT (${key}) DO UPDATE SET
         fetched_at = excluded.fetched_at, complete = excluded.complete,
         size = excluded.size, compressed = excluded.compressed, indexed = 0`,
    );
    this.select = db.prepare(
      `SELECT fetched_at AS fetchedAt, complete, compressed FROM ${table} WHERE ${key} = ?`,
    );
    this.selectInfo = db.prepare(
      `SELECT fetched_at AS fetchedAt, complete, indexed, size FROM ${table} WHERE ${key} = ?`,
    );
    // An upsert is an UPDATE, which the delete triggers do not see: drop the old index here.
    this.clearIndex = db.prepare(
      table === 'logs'
        ? 'DELETE FROM log_index_chunks WHERE step_id = ?'
        : 'DELETE FROM log_index_chunks WHERE stage_id = ? AND step_id IS NULL',
    );
  }

  put(key: number, text: string, complete: boolean): void {
    const bytes = Buffer.from(text, 'utf8');
    const compressed = gzipSync(bytes, { level: GZIP_LEVEL });
    this.db.transaction(() => {
      this.clearIndex.run(key);
      this.upsert.run({
        key,
        fetchedAt: this.now().toISOString(),
        complete: complete ? 1 : 0,
        size: bytes.length,
        compressed,
      });
    })();
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

  info(key: number, stageId: number, stepId: number | null): StoredLogInfo | null {
    const row = this.selectInfo.get(key) as
      { fetchedAt: string; complete: number; indexed: number; size: number } | undefined;
    if (row === undefined) return null;
    return {
      stageId,
      stepId,
      complete: row.complete === 1,
      indexed: row.indexed === 1,
      fetchedAt: row.fetchedAt,
      size: row.size,
    };
  }
}
