import type { Database } from 'better-sqlite3';
import { CompressedTextTable } from './compressed-text-table';

import type {
  StoredLog,
  StoredLogHead,
  StoredLogBlock,
  LogKey,
  StoredLogInfo,
  IndexRow,
  IndexHit,
  StoredLogState,
  GreenBaseline,
} from './log-types';

export type {
  StoredLog,
  StoredLogHead,
  StoredLogBlock,
  LogKey,
  StoredLogInfo,
  IndexRow,
  IndexHit,
  StoredLogState,
  GreenBaseline,
} from './log-types';

/**
 * A contentless FTS5 index takes roughly half the size of the text it indexes (measured on the
 * demo's 13 MB load-test log: 8.4 MB of clean text, 3.6 MB of index); the budget counts that.
 */
const INDEX_BYTES_PER_CHARACTER = 0.5;

/**
 * Step and stage logs, gzip-compressed at rest in their own tables, away from the hot build
 * tables; their full-text index; and the size budget that evicts the oldest logs.
 */
export class LogRepository {
  private readonly stepLogs: CompressedTextTable;
  private readonly stageLogs: CompressedTextTable;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(
    private readonly db: Database,
    now: () => Date,
  ) {
    this.stepLogs = new CompressedTextTable(db, 'logs', 'step_id', now);
    this.stageLogs = new CompressedTextTable(db, 'stage_logs', 'stage_id', now);
    this.statements = prepareStatements(db);
  }

  /** Stores (or replaces) a step's log; the step must exist. A replaced log loses its index. */
  putLog(stepId: number, text: string | readonly string[], complete: boolean): void {
    this.stepLogs.put(stepId, text, complete);
  }

  getLog(stepId: number): StoredLog | null {
    return this.stepLogs.get(stepId);
  }

  /** Stores (or replaces) a whole stage's log; the stage must exist. */
  putStageLog(stageId: number, text: string | readonly string[], complete: boolean): void {
    this.stageLogs.put(stageId, text, complete);
  }

  getStageLog(stageId: number): StoredLog | null {
    return this.stageLogs.get(stageId);
  }

  /** What is stored for a log, without reading (or decompressing) its text. */
  getLogInfo(key: LogKey): StoredLogInfo | null {
    return key.stepId === null
      ? this.stageLogs.info(key.stageId, key.stageId, null)
      : this.stepLogs.info(key.stepId, key.stageId, key.stepId);
  }

  /** The stored text of a log, step or stage. */
  readLog(key: LogKey): StoredLog | null {
    return key.stepId === null ? this.getStageLog(key.stageId) : this.getLog(key.stepId);
  }

  /** How a log is stored (size, completeness, blocks) without reading any of its text. */
  getLogHead(key: LogKey): StoredLogHead | null {
    return key.stepId === null ? this.stageLogs.head(key.stageId) : this.stepLogs.head(key.stepId);
  }

  /**
   * One block (0-based) of a stored log; null when the log or the block does not exist. Throws
   * `DamagedLogError` for a block that does not decompress.
   */
  readLogBlock(key: LogKey, block: number): StoredLogBlock | null {
    return key.stepId === null
      ? this.stageLogs.block(key.stageId, block)
      : this.stepLogs.block(key.stepId, block);
  }

  /**
   * Bytes the stored logs take: compressed text plus the estimated size of their index. This is
   * what the log budget limits.
   */
  logStorageBytes(): number {
    const row = this.statements.storageBytes.get() as { bytes: number | null };
    return Math.round(row.bytes ?? 0);
  }

  /**
   * Deletes logs, oldest fetched first, until the stored logs fit in `budgetBytes`. Their blocks
   * (cascade) and index rows (triggers) go with them. `spare` is never deleted: a log being
   * opened, whose blocks are about to be read. Returns how many logs were evicted and the bytes
   * freed.
   */
  evictLogsOverBudget(
    budgetBytes: number,
    spare?: LogKey,
  ): { evicted: number; freedBytes: number } {
    return this.db.transaction(() => {
      let total = this.logStorageBytes();
      let evicted = 0;
      let freedBytes = 0;
      if (total <= budgetBytes) return { evicted, freedBytes };
      const oldest = this.statements.oldestLogs.iterate() as IterableIterator<{
        kind: 'step' | 'stage';
        key: number;
        bytes: number;
      }>;
      const doomed: Array<{ kind: 'step' | 'stage'; key: number }> = [];
      for (const row of oldest) {
        if (total <= budgetBytes) break;
        if (spare !== undefined && isLog(row, spare)) continue;
        doomed.push(row);
        total -= row.bytes;
        freedBytes += row.bytes;
      }
      for (const row of doomed) {
        (row.kind === 'step' ? this.statements.deleteStepLog : this.statements.deleteStageLog).run(
          row.key,
        );
        evicted += 1;
      }
      return { evicted, freedBytes: Math.round(freedBytes) };
    })();
  }

  /**
   * Adds index rows for a stored log, in one transaction. Returns false (and writes nothing)
   * when the log's stage no longer exists.
   */
  addIndexRows(key: LogKey, rows: readonly IndexRow[]): boolean {
    return this.db.transaction(() => {
      const owner = this.statements.stageOwner.get(key.stageId) as
        { pipelineId: number; buildId: number } | undefined;
      if (owner === undefined) return false;
      for (const row of rows) {
        const { lastInsertRowid } = this.statements.insertChunk.run({
          pipelineId: owner.pipelineId,
          buildId: owner.buildId,
          stageId: key.stageId,
          stepId: key.stepId,
          firstLine: row.firstLine,
          lineCount: row.lineCount,
          size: row.text.length,
        });
        this.statements.insertIndexText.run(lastInsertRowid, row.text);
      }
      return true;
    })();
  }

  /** Drops a log's index rows (before indexing it again). */
  clearIndex(key: LogKey): void {
    if (key.stepId === null) this.statements.clearStageIndex.run(key.stageId);
    else this.statements.clearStepIndex.run(key.stepId);
  }

  /** Records that a log is fully indexed. */
  markIndexed(key: LogKey): void {
    if (key.stepId === null) this.statements.markStageIndexed.run(key.stageId);
    else this.statements.markStepIndexed.run(key.stepId);
  }

  /** Complete logs not (fully) indexed yet, e.g. after a restart cut indexing short. */
  logsToIndex(limit: number): LogKey[] {
    return this.statements.unindexed.all(limit) as LogKey[];
  }

  /**
   * Logs of a pipeline whose indexed text matches an FTS5 query, one hit per log at its first
   * matching row, by build number (oldest first, or newest first).
   */
  searchIndex(
    pipelineId: number,
    ftsQuery: string,
    order: 'oldest' | 'newest',
    limit: number,
  ): IndexHit[] {
    const statement =
      order === 'oldest' ? this.statements.searchOldest : this.statements.searchNewest;
    return (statement.all({ pipelineId, query: ftsQuery, limit }) as IndexHitRow[]).map((row) => ({
      stageId: row.stageId,
      stepId: row.stepId,
      buildId: row.buildId,
      buildNumber: row.buildNumber,
      stageName: row.stageName,
      stepName: row.stepName,
      firstLine: row.firstLine,
      lineCount: row.lineCount,
      fetchedAt: row.fetchedAt,
    }));
  }

  /** How many logs of a pipeline match an FTS5 query (one per log, however many rows match). */
  countIndexMatches(pipelineId: number, ftsQuery: string): number {
    const row = this.statements.countMatches.get({ pipelineId, query: ftsQuery }) as {
      matched: number;
    };
    return row.matched;
  }

  /** Every stored log of a pipeline (step and stage logs) and whether a search reaches it. */
  storedLogStates(pipelineId: number): StoredLogState[] {
    return this.statements.storedLogStates.all({ pipelineId }) as StoredLogState[];
  }

  /** How many builds of a pipeline the history keeps. */
  countBuilds(pipelineId: number): number {
    return (this.statements.buildsKept.get(pipelineId) as { count: number }).count;
  }

  /**
   * The newest earlier build of the same pipeline in which the same stage (by external id)
   * succeeded, with the step of the same external id when a step's log is asked for.
   */
  findGreenBaseline(key: LogKey): GreenBaseline | null {
    const row = (
      key.stepId === null
        ? this.statements.greenStage.get(key.stageId)
        : this.statements.greenStep.get(key.stepId)
    ) as GreenBaseline | undefined;
    return row ?? null;
  }
}

function isLog(row: { kind: 'step' | 'stage'; key: number }, key: LogKey): boolean {
  return key.stepId === null
    ? row.kind === 'stage' && row.key === key.stageId
    : row.kind === 'step' && row.key === key.stepId;
}

interface IndexHitRow {
  stageId: number;
  stepId: number | null;
  buildId: number;
  buildNumber: number;
  stageName: string;
  stepName: string | null;
  firstLine: number;
  lineCount: number;
  fetchedAt: string;
}

function prepareStatements(db: Database) {
  // A log's text is its block rows, or for a log stored before blocks its head row's own blob
  // (the other is empty): both are counted. length() reads a blob's size, not the blob.
  const logBytes = (
    table: 'logs' | 'stage_logs',
    blocks: 'log_blocks' | 'stage_log_blocks',
    key: 'step_id' | 'stage_id',
    match: string,
  ): string =>
    `SELECT length(l.compressed)
       + COALESCE((SELECT SUM(length(b.compressed)) FROM ${blocks} b WHERE b.${key} = l.${key}), 0)
       + ${INDEX_BYTES_PER_CHARACTER} * COALESCE(
           (SELECT SUM(c.size) FROM log_index_chunks c WHERE ${match}), 0) AS bytes,
       l.${key} AS key, l.fetched_at AS fetchedAt
     FROM ${table} l`;
  const stepBytes = logBytes('logs', 'log_blocks', 'step_id', 'c.step_id = l.step_id');
  const stageBytes = logBytes(
    'stage_logs',
    'stage_log_blocks',
    'stage_id',
    'c.stage_id = l.stage_id AND c.step_id IS NULL',
  );
  const search = (direction: 'ASC' | 'DESC'): string => `
    SELECT c.stage_id AS stageId, c.step_id AS stepId, c.build_id AS buildId,
           b.number AS buildNumber, s.name AS stageName, st.name AS stepName,
           MIN(c.first_line) AS firstLine, c.line_count AS lineCount,
           COALESCE(lg.fetched_at, sl.fetched_at) AS fetchedAt
    FROM log_index
    JOIN log_index_chunks c ON c.id = log_index.rowid
    JOIN builds b ON b.id = c.build_id
    JOIN stages s ON s.id = c.stage_id
    LEFT JOIN steps st ON st.id = c.step_id
    LEFT JOIN logs lg ON lg.step_id = c.step_id
    LEFT JOIN stage_logs sl ON c.step_id IS NULL AND sl.stage_id = c.stage_id
    WHERE log_index MATCH @query AND c.pipeline_id = @pipelineId
    GROUP BY c.stage_id, c.step_id
    ORDER BY b.number ${direction}, s.position, st.number
    LIMIT @limit`;
  // Whether a log is searched is read from its index rows, not from the `indexed` column: that
  // column sits after the compressed text, and reading it would walk every overflow page of
  // every stored log. Only a complete log without index rows (rare: waiting, or blank) reads it.
  const logState = (stepId: string, indexedOf: string): string => `
    CASE
      WHEN EXISTS (SELECT 1 FROM log_index_chunks c
                   WHERE c.stage_id = s.id AND c.step_id IS ${stepId}) THEN 'searched'
      WHEN l.complete = 0 THEN 'running'
      WHEN (${indexedOf}) = 1 THEN 'searched'
      ELSE 'waiting'
    END`;
  return {
    countMatches: db.prepare(
      `SELECT COUNT(*) AS matched FROM (
         SELECT 1 FROM log_index
         JOIN log_index_chunks c ON c.id = log_index.rowid
         WHERE log_index MATCH @query AND c.pipeline_id = @pipelineId
         GROUP BY c.stage_id, c.step_id)`,
    ),
    storedLogStates: db.prepare(
      `SELECT b.id AS buildId, b.number AS buildNumber,
              ${logState('st.id', 'SELECT indexed FROM logs WHERE step_id = st.id')} AS state
       FROM logs l
       JOIN steps st ON st.id = l.step_id
       JOIN stages s ON s.id = st.stage_id
       JOIN builds b ON b.id = s.build_id
       WHERE b.pipeline_id = @pipelineId
       UNION ALL
       SELECT b.id, b.number,
              ${logState('NULL', 'SELECT indexed FROM stage_logs WHERE stage_id = s.id')}
       FROM stage_logs l
       JOIN stages s ON s.id = l.stage_id
       JOIN builds b ON b.id = s.build_id
       WHERE b.pipeline_id = @pipelineId`,
    ),
    buildsKept: db.prepare('SELECT COUNT(*) AS count FROM builds WHERE pipeline_id = ?'),
    storageBytes: db.prepare(
      `SELECT COALESCE((SELECT SUM(bytes) FROM (${stepBytes})), 0)
            + COALESCE((SELECT SUM(bytes) FROM (${stageBytes})), 0) AS bytes`,
    ),
    oldestLogs: db.prepare(
      `SELECT 'step' AS kind, key, bytes, fetchedAt FROM (${stepBytes})
       UNION ALL
       SELECT 'stage' AS kind, key, bytes, fetchedAt FROM (${stageBytes})
       ORDER BY fetchedAt ASC, kind ASC, key ASC`,
    ),
    deleteStepLog: db.prepare('DELETE FROM logs WHERE step_id = ?'),
    deleteStageLog: db.prepare('DELETE FROM stage_logs WHERE stage_id = ?'),
    stageOwner: db.prepare(
      `SELECT b.pipeline_id AS pipelineId, b.id AS buildId
       FROM stages s JOIN builds b ON b.id = s.build_id WHERE s.id = ?`,
    ),
    insertChunk: db.prepare(
      `INSERT INTO log_index_chunks (pipeline_id, build_id, stage_id, step_id, first_line, line_count, size)
       VALUES (@pipelineId, @buildId, @stageId, @stepId, @firstLine, @lineCount, @size)`,
    ),
    insertIndexText: db.prepare('INSERT INTO log_index (rowid, text) VALUES (?, ?)'),
    clearStepIndex: db.prepare('DELETE FROM log_index_chunks WHERE step_id = ?'),
    clearStageIndex: db.prepare(
      'DELETE FROM log_index_chunks WHERE stage_id = ? AND step_id IS NULL',
    ),
    markStepIndexed: db.prepare('UPDATE logs SET indexed = 1 WHERE step_id = ?'),
    markStageIndexed: db.prepare('UPDATE stage_logs SET indexed = 1 WHERE stage_id = ?'),
    unindexed: db.prepare(
      `SELECT st.stage_id AS stageId, l.step_id AS stepId FROM logs l
         JOIN steps st ON st.id = l.step_id WHERE l.complete = 1 AND l.indexed = 0
       UNION ALL
       SELECT stage_id AS stageId, NULL AS stepId FROM stage_logs WHERE complete = 1 AND indexed = 0
       LIMIT ?`,
    ),
    searchOldest: db.prepare(search('ASC')),
    searchNewest: db.prepare(search('DESC')),
    greenStage: db.prepare(
      `SELECT green.id AS stageId, NULL AS stepId, earlier.id AS buildId, earlier.number AS buildNumber
       FROM stages current
       JOIN builds build ON build.id = current.build_id
       JOIN builds earlier ON earlier.pipeline_id = build.pipeline_id AND earlier.number < build.number
       JOIN stages green ON green.build_id = earlier.id AND green.external_id = current.external_id
       WHERE current.id = ? AND green.status = 'success'
       ORDER BY earlier.number DESC, earlier.id DESC LIMIT 1`,
    ),
    greenStep: db.prepare(
      `SELECT green.id AS stageId, greenStep.id AS stepId, earlier.id AS buildId, earlier.number AS buildNumber
       FROM steps currentStep
       JOIN stages current ON current.id = currentStep.stage_id
       JOIN builds build ON build.id = current.build_id
       JOIN builds earlier ON earlier.pipeline_id = build.pipeline_id AND earlier.number < build.number
       JOIN stages green ON green.build_id = earlier.id AND green.external_id = current.external_id
       JOIN steps greenStep ON greenStep.stage_id = green.id AND greenStep.external_id = currentStep.external_id
       WHERE currentStep.id = ? AND green.status = 'success' AND greenStep.has_log = 1
       ORDER BY earlier.number DESC, earlier.id DESC LIMIT 1`,
    ),
  };
}
