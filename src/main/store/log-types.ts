/** What the log repository stores and answers: logs, their heads and blocks, index rows. */

/** A cached step log as stored. */
export interface StoredLog {
  text: string;
  /** The step had finished when the log was fetched: it will not grow any more. */
  complete: boolean;
  fetchedAt: string;
}

/** A stored log without its text: what `logs/open` answers, read without touching any blob. */
export interface StoredLogHead {
  complete: boolean;
  fetchedAt: string;
  /** Uncompressed size in bytes (UTF-8). */
  size: number;
  /** Blocks the text is stored in; 0 for an empty log, 1 for a log stored before blocks. */
  blocks: number;
}

/** One block of a stored log, and which copy of the log it belongs to. */
export interface StoredLogBlock {
  text: string;
  fetchedAt: string;
}

/** Which log: a step's, or with `stepId` null a whole stage's. */
export interface LogKey {
  stageId: number;
  stepId: number | null;
}

/** A stored log without its text: what eviction, eager fetching and indexing look at. */
export interface StoredLogInfo extends LogKey {
  complete: boolean;
  indexed: boolean;
  fetchedAt: string;
  /** Uncompressed size in bytes (UTF-8). */
  size: number;
}

/** Rows of clean text to index for one log, each a run of consecutive lines. */
export interface IndexRow {
  /** 0-based line of the row's first line. */
  firstLine: number;
  lineCount: number;
  text: string;
}

/** A log of a pipeline whose indexed text matched a search, at its first matching row. */
export interface IndexHit extends LogKey {
  buildId: number;
  buildNumber: number;
  stageName: string;
  stepName: string | null;
  /** 0-based first line of the first matching row (the match is in that row's lines). */
  firstLine: number;
  lineCount: number;
  fetchedAt: string;
}

/** One stored log of a pipeline and whether a search reaches it. */
export interface StoredLogState {
  buildId: number;
  buildNumber: number;
  /** In the index; not yet because its step is still running; or waiting for the indexer. */
  state: 'searched' | 'running' | 'waiting';
}

/** The same stage (and step) in the newest earlier build where that stage succeeded. */
export interface GreenBaseline extends LogKey {
  buildId: number;
  buildNumber: number;
}
