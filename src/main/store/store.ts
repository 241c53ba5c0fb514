import type { Database } from 'better-sqlite3';
import type {
  AuditEntry,
  BuildDetail,
  BuildSummary,
  InboxItem,
  PipelineSummary,
} from '../../shared/model';
import type { PollSnapshot } from '../sources/source';
import { AuditRepository } from './audit-repository';
import { openDatabase, type OpenDatabaseOptions } from './db';
import { IngestRepository, type ChangeSet } from './ingest';
import {
  LogRepository,
  type GreenBaseline,
  type IndexHit,
  type IndexRow,
  type LogKey,
  type StoredLog,
  type StoredLogBlock,
  type StoredLogHead,
  type StoredLogInfo,
  type StoredLogState,
} from './log-repository';
import {
  QueryRepository,
  type BuildListQuery,
  type GateContext,
  type StageContext,
  type StepContext,
} from './queries';
import { SourceRepository, type SourceRow } from './source-repository';

export type { BuildChange, ChangeSet } from './ingest';
export type { BuildListQuery, GateContext, StageContext, StepContext } from './queries';
export type { SourceRow } from './source-repository';
export type {
  GreenBaseline,
  IndexHit,
  IndexRow,
  LogKey,
  StoredLog,
  StoredLogBlock,
  StoredLogHead,
  StoredLogInfo,
  StoredLogState,
} from './log-repository';

export interface StoreOptions {
  /** The clock for `created_at` and `fetchedAt`; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * The Pipewatch database behind one facade. Synchronous (better-sqlite3): every call is a few
 * prepared statements, prepared once here, and each write is its own transaction.
 */
export class Store {
  private readonly sources: SourceRepository;
  private readonly ingest: IngestRepository;
  private readonly queries: QueryRepository;
  private readonly audit: AuditRepository;
  private readonly logs: LogRepository;

  /** Takes an already opened and migrated database (see `openDatabase`). */
  constructor(
    private readonly db: Database,
    options: StoreOptions = {},
  ) {
    const now = options.now ?? (() => new Date());
    this.sources = new SourceRepository(db, now);
    this.ingest = new IngestRepository(db);
    this.queries = new QueryRepository(db);
    this.audit = new AuditRepository(db);
    this.logs = new LogRepository(db, now);
  }

  /** Adds or updates a configured source by its config id; returns its row id. */
  upsertSource(row: Omit<SourceRow, 'id'>): number {
    return this.sources.upsertSource(row);
  }

  listSourceRows(): SourceRow[] {
    return this.sources.listSourceRows();
  }

  /** Removes a source and everything stored under it. Returns false if the key was unknown. */
  removeSource(key: string): boolean {
    return this.sources.removeSource(key);
  }

  /** Writes one poll in one transaction; see `IngestRepository.applySnapshot`. */
  applySnapshot(sourceId: number, snapshot: PollSnapshot, pollId: string): ChangeSet {
    return this.ingest.applySnapshot(sourceId, snapshot, pollId);
  }

  /** `${pipelineExternalId}/${buildExternalId}` of finished builds, which adapters need not re-fetch. */
  finishedBuildIds(sourceId: number): Set<string> {
    return this.ingest.finishedBuildIds(sourceId);
  }

  listPipelineSummaries(buildsPerPipeline: number): PipelineSummary[] {
    return this.queries.listPipelineSummaries(buildsPerPipeline);
  }

  listBuilds(query: BuildListQuery): BuildSummary[] {
    return this.queries.listBuilds(query);
  }

  getBuildDetail(buildId: number): BuildDetail | null {
    return this.queries.getBuildDetail(buildId);
  }

  listInbox(): InboxItem[] {
    return this.queries.listInbox();
  }

  getGateContext(gateId: number): GateContext | null {
    return this.queries.getGateContext(gateId);
  }

  sourceKeyOfPipeline(pipelineId: number): string | null {
    return this.queries.sourceKeyOfPipeline(pipelineId);
  }

  getStageContext(stageId: number): StageContext | null {
    return this.queries.getStageContext(stageId);
  }

  getStepContext(stepId: number): StepContext | null {
    return this.queries.getStepContext(stepId);
  }

  anyActive(sourceId: number): boolean {
    return this.queries.anyActive(sourceId);
  }

  insertAudit(entry: Omit<AuditEntry, 'id'>): AuditEntry {
    return this.audit.insertAudit(entry);
  }

  listAudit(limit: number): AuditEntry[] {
    return this.audit.listAudit(limit);
  }

  findAuditByRequestId(requestId: string): AuditEntry[] {
    return this.audit.findAuditByRequestId(requestId);
  }

  putLog(stepId: number, text: string | readonly string[], complete: boolean): void {
    this.logs.putLog(stepId, text, complete);
  }

  getLog(stepId: number): StoredLog | null {
    return this.logs.getLog(stepId);
  }

  putStageLog(stageId: number, text: string | readonly string[], complete: boolean): void {
    this.logs.putStageLog(stageId, text, complete);
  }

  getStageLog(stageId: number): StoredLog | null {
    return this.logs.getStageLog(stageId);
  }

  /** A step's or stage's stored log. */
  readLog(key: LogKey): StoredLog | null {
    return this.logs.readLog(key);
  }

  /** What is stored for a log, without decompressing it. */
  getLogInfo(key: LogKey): StoredLogInfo | null {
    return this.logs.getLogInfo(key);
  }

  /** How a log is stored (size, completeness, blocks) without reading its text. */
  getLogHead(key: LogKey): StoredLogHead | null {
    return this.logs.getLogHead(key);
  }

  /** One block (0-based) of a stored log, or null when the log or the block does not exist. */
  readLogBlock(key: LogKey, block: number): StoredLogBlock | null {
    return this.logs.readLogBlock(key, block);
  }

  /** Bytes stored logs take (compressed text plus their index); see `evictLogsOverBudget`. */
  logStorageBytes(): number {
    return this.logs.logStorageBytes();
  }

  /** Deletes the oldest fetched logs, never `spare`, until the rest fit in `budgetBytes`. */
  evictLogsOverBudget(
    budgetBytes: number,
    spare?: LogKey,
  ): { evicted: number; freedBytes: number } {
    return this.logs.evictLogsOverBudget(budgetBytes, spare);
  }

  /** Adds full-text index rows for a stored log; false when its stage is gone. */
  addLogIndexRows(key: LogKey, rows: readonly IndexRow[]): boolean {
    return this.logs.addIndexRows(key, rows);
  }

  clearLogIndex(key: LogKey): void {
    this.logs.clearIndex(key);
  }

  markLogIndexed(key: LogKey): void {
    this.logs.markIndexed(key);
  }

  /** Complete stored logs whose indexing has not finished. */
  logsToIndex(limit: number): LogKey[] {
    return this.logs.logsToIndex(limit);
  }

  /** Indexed logs of a pipeline matching an FTS5 query, one hit per log, by build number. */
  searchLogIndex(
    pipelineId: number,
    ftsQuery: string,
    order: 'oldest' | 'newest',
    limit: number,
  ): IndexHit[] {
    return this.logs.searchIndex(pipelineId, ftsQuery, order, limit);
  }

  /** How many indexed logs of a pipeline match an FTS5 query (all of them, not one page). */
  countLogIndexMatches(pipelineId: number, ftsQuery: string): number {
    return this.logs.countIndexMatches(pipelineId, ftsQuery);
  }

  /** Every stored log of a pipeline, with whether it is complete and indexed. */
  storedLogStates(pipelineId: number): StoredLogState[] {
    return this.logs.storedLogStates(pipelineId);
  }

  /** How many builds of a pipeline the store keeps. */
  countPipelineBuilds(pipelineId: number): number {
    return this.logs.countBuilds(pipelineId);
  }

  /** The same stage (and step) in the newest earlier build where that stage succeeded. */
  findGreenBaseline(key: LogKey): GreenBaseline | null {
    return this.logs.findGreenBaseline(key);
  }

  /** Deletes each pipeline's oldest builds beyond `keepPerPipeline`; returns how many. */
  pruneBuilds(keepPerPipeline: number): number {
    const pruned = this.ingest.pruneBuilds(keepPerPipeline);
    // Hands the freed pages back (auto_vacuum = INCREMENTAL), so the file shrinks after pruning.
    if (pruned > 0) this.db.pragma('incremental_vacuum');
    return pruned;
  }

  /** Closes the database; safe to call twice. */
  close(): void {
    if (!this.db.open) return;
    // Lets SQLite refresh the planner statistics it found worth refreshing during this session.
    this.db.pragma('optimize');
    this.db.close();
  }
}

/** Opens the database file (see `openDatabase`) and wraps it in a Store. */
export function openStore(file: string, options: OpenDatabaseOptions & StoreOptions = {}): Store {
  return new Store(openDatabase(file, options), options);
}
