import type { Database, Statement } from 'better-sqlite3';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { BlockCutter } from './log-blocks';
import type { StoredLog, StoredLogBlock, StoredLogHead, StoredLogInfo } from './log-repository';

/**
 * Fastest gzip level: CI logs are repetitive enough that level 1 already shrinks them several
 * times, and a log of hundreds of megabytes compresses in about a second instead of several.
 */
const GZIP_LEVEL = constants.Z_BEST_SPEED;

/** Stands in the head row's NOT NULL `compressed` column of a log stored in blocks. */
const NO_BLOB = Buffer.alloc(0);

interface HeadRow {
  fetchedAt: string;
  complete: number;
  size: number;
  blocks: number;
  /** Bytes of the head row's own blob: non-zero only for a log stored before blocks. */
  legacyBytes: number;
}

/**
 * One log table and its block table: a head row per log (key, fetched_at, complete, size) and
 * the text in blocks, each gzip-compressed on its own so that one block reads without the rest.
 * Logs stored before blocks existed keep their whole text in the head row's blob and read as one
 * block (migration 005).
 */
export class CompressedTextTable {
  private readonly upsert: Statement;
  private readonly deleteBlocks: Statement;
  private readonly insertBlock: Statement;
  private readonly selectHead: Statement;
  private readonly selectBlock: Statement;
  private readonly selectBlocks: Statement;
  private readonly selectLegacy: Statement;
  private readonly selectInfo: Statement;
  private readonly clearIndex: Statement;

  constructor(
    private readonly db: Database,
    table: 'logs' | 'stage_logs',
    key: 'step_id' | 'stage_id',
    private readonly now: () => Date,
  ) {
    const blocks = table === 'logs' ? 'log_blocks' : 'stage_log_blocks';
    this.upsert = db.prepare(
      `INSERT INTO ${table} (${key}, fetched_at, complete, size, compressed, indexed)
       VALUES (@key, @fetchedAt, @complete, @size, @compressed, 0)
       ON CONFLICT (${key}) DO UPDATE SET
         fetched_at = excluded.fetched_at, complete = excluded.complete,
         size = excluded.size, compressed = excluded.compressed, indexed = 0`,
    );
    this.deleteBlocks = db.prepare(`DELETE FROM ${blocks} WHERE ${key} = ?`);
    this.insertBlock = db.prepare(
      `INSERT INTO ${blocks} (${key}, block, compressed) VALUES (?, ?, ?)`,
    );
    // length() of a blob reads the record header, not the blob: no text is read here. A legacy
    // blob of an empty text is a non-empty gzip stream, hence `size > 0` too.
    this.selectHead = db.prepare(
      `SELECT l.fetched_at AS fetchedAt, l.complete, l.size,
              (SELECT COUNT(*) FROM ${blocks} b WHERE b.${key} = l.${key}) AS blocks,
              CASE WHEN l.size > 0 THEN length(l.compressed) ELSE 0 END AS legacyBytes
       FROM ${table} l WHERE l.${key} = ?`,
    );
    this.selectBlock = db.prepare(
      `SELECT compressed FROM ${blocks} WHERE ${key} = ? AND block = ?`,
    );
    this.selectBlocks = db.prepare(
      `SELECT compressed FROM ${blocks} WHERE ${key} = ? ORDER BY block`,
    );
    this.selectLegacy = db.prepare(`SELECT compressed FROM ${table} WHERE ${key} = ?`);
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

  /**
   * Stores (or replaces) a log: its head row and its blocks, in one transaction. The text may
   * come in pieces (as read from the network); it is cut and compressed block by block, never
   * joined or encoded whole.
   */
  put(key: number, text: string | readonly string[], complete: boolean): void {
    // Compressed before the transaction, so that the database is locked only for the writes.
    const compressed: Buffer[] = [];
    let size = 0;
    const cutter = new BlockCutter((block) => {
      const bytes = Buffer.from(block, 'utf8');
      size += bytes.length;
      compressed.push(gzipSync(bytes, { level: GZIP_LEVEL }));
    });
    for (const piece of typeof text === 'string' ? [text] : text) cutter.push(piece);
    cutter.end();
    this.db.transaction(() => {
      this.clearIndex.run(key);
      // The head's upsert is an UPDATE, which does not cascade: old blocks go explicitly.
      this.deleteBlocks.run(key);
      this.upsert.run({
        key,
        fetchedAt: this.now().toISOString(),
        complete: complete ? 1 : 0,
        size,
        compressed: NO_BLOB,
      });
      for (const [block, blob] of compressed.entries()) this.insertBlock.run(key, block, blob);
    })();
  }

  /** The whole text, block by block. */
  get(key: number): StoredLog | null {
    return this.db.transaction((): StoredLog | null => {
      const head = this.readHead(key);
      if (head === null) return null;
      const parts: string[] = [];
      if (head.legacyBytes > 0 && head.blocks === 0) parts.push(this.readLegacy(key));
      else {
        const rows = this.selectBlocks.iterate(key) as IterableIterator<{ compressed: Buffer }>;
        let block = 0;
        for (const row of rows) parts.push(inflate(row.compressed, block++));
      }
      return { text: parts.join(''), complete: head.complete === 1, fetchedAt: head.fetchedAt };
    })();
  }

  /** What is stored for a log and in how many blocks, without reading any of its text. */
  head(key: number): StoredLogHead | null {
    const row = this.readHead(key);
    if (row === null) return null;
    return {
      complete: row.complete === 1,
      fetchedAt: row.fetchedAt,
      size: row.size,
      blocks: blockCount(row),
    };
  }

  /** One block's text (0-based), reading only that block; null when there is no such block. */
  block(key: number, block: number): StoredLogBlock | null {
    return this.db.transaction((): StoredLogBlock | null => {
      const head = this.readHead(key);
      if (head === null || !Number.isInteger(block) || block < 0) return null;
      if (block >= blockCount(head)) return null;
      if (head.blocks === 0) return { text: this.readLegacy(key), fetchedAt: head.fetchedAt };
      const row = this.selectBlock.get(key, block) as { compressed: Buffer } | undefined;
      if (row === undefined) return null;
      return { text: inflate(row.compressed, block), fetchedAt: head.fetchedAt };
    })();
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

  private readHead(key: number): HeadRow | null {
    return (this.selectHead.get(key) as HeadRow | undefined) ?? null;
  }

  private readLegacy(key: number): string {
    const row = this.selectLegacy.get(key) as { compressed: Buffer } | undefined;
    return row === undefined ? '' : inflate(row.compressed, 0);
  }
}

/** A stored block that does not decompress: the database file was damaged under it. */
export class DamagedLogError extends Error {
  constructor(
    readonly block: number,
    cause: unknown,
  ) {
    super(`block ${block} does not decompress (${(cause as Error).message})`, { cause });
    this.name = 'DamagedLogError';
  }
}

function inflate(compressed: Buffer, block: number): string {
  try {
    return gunzipSync(compressed).toString('utf8');
  } catch (error) {
    throw new DamagedLogError(block, error);
  }
}

/** Block rows when there are any; else one block for a legacy blob, none for an empty log. */
function blockCount(row: HeadRow): number {
  if (row.blocks > 0) return row.blocks;
  return row.legacyBytes > 0 ? 1 : 0;
}
