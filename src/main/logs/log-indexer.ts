import { createStreamingLogParser, type LogChunk } from '../../shared/log/parse-log';
import type { IndexRow, LogKey } from '../store/log-repository';
import type { Store } from '../store/store';

/** Lines per full-text index row: small enough to point near a match, large enough to stay few. */
export const INDEX_ROW_LINES = 256;

/** The index rows of one parsed chunk: its clean text in runs of `INDEX_ROW_LINES` lines. */
export function indexRowsOf(chunk: LogChunk): IndexRow[] {
  const rows: IndexRow[] = [];
  for (let start = 0; start < chunk.lineCount; start += INDEX_ROW_LINES) {
    const end = Math.min(chunk.lineCount, start + INDEX_ROW_LINES);
    const text = chunk.text.slice(chunk.textStarts[start] ?? 0, (chunk.textStarts[end] ?? 1) - 1);
    if (text.trim().length === 0) continue;
    rows.push({ firstLine: chunk.firstLine + start, lineCount: end - start, text });
  }
  return rows;
}

export interface LogIndexer {
  /** Queues a stored, complete log; pass its text when at hand to save reading it back. */
  enqueue(key: LogKey, text?: string): void;
  /** Queues complete logs whose indexing never finished (e.g. cut short by a restart). */
  resume(): void;
  /** Resolves once the queue is empty. */
  idle(): Promise<void>;
  /** Abandons queued work and waits for the batch in flight. */
  stop(): Promise<void>;
}

export interface LogIndexerOptions {
  store: Store;
  log?: (line: string) => void;
  /** Lets other work run between batches; tests may pass an immediate one. */
  yieldControl?: () => Promise<void>;
}

const keyOf = (key: LogKey): string => `${key.stageId}/${key.stepId ?? 'stage'}`;

/**
 * Indexes stored logs for search across builds in the background: one log at a time, one
 * parsed chunk (2,048 lines) per transaction, yielding between chunks so that a 100 MB log
 * never blocks the poller or a request for more than a few milliseconds at a time.
 */
export function createLogIndexer(options: LogIndexerOptions): LogIndexer {
  const { store } = options;
  const report = options.log ?? (() => undefined);
  const yieldControl =
    options.yieldControl ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const queue = new Map<string, { key: LogKey; text: string | undefined }>();
  let running: Promise<void> | null = null;
  let stopped = false;

  const indexOne = async (key: LogKey, given: string | undefined): Promise<void> => {
    const info = store.getLogInfo(key);
    if (info === null || !info.complete || info.indexed) return;
    const head = store.getLogHead(key);
    if (head === null) return;
    store.clearLogIndex(key);
    // Without the text at hand, the stored log is read a block at a time as the parser needs
    // it: a 100 MB log is never decompressed whole.
    const parser = createStreamingLogParser();
    if (given !== undefined) {
      parser.push(given);
      parser.end();
    }
    let nextBlock = 0;
    for (;;) {
      while (given === undefined && !parser.ready && !parser.log.done) {
        if (nextBlock === head.blocks) {
          parser.end();
          break;
        }
        const block = store.readLogBlock(key, nextBlock);
        // Replaced or evicted since: the new copy is queued on its own.
        if (block === null || block.fetchedAt !== head.fetchedAt) return;
        parser.push(block.text);
        nextBlock += 1;
      }
      const parsed = parser.log.chunks.length;
      const done = parser.step();
      // The end may come with no new chunk (the last block ended on a chunk boundary).
      const chunk = parser.log.chunks.length > parsed ? parser.log.chunks.at(-1) : undefined;
      // The log may have been replaced or evicted while we yielded: then stop here.
      const now = store.getLogInfo(key);
      if (now === null || now.fetchedAt !== info.fetchedAt || now.size !== info.size) return;
      if (chunk && !store.addLogIndexRows(key, indexRowsOf(chunk))) return;
      if (done) break;
      await yieldControl();
      if (stopped) return;
    }
    store.markLogIndexed(key);
  };

  const drain = async (): Promise<void> => {
    while (!stopped && queue.size > 0) {
      const [id, item] = queue.entries().next().value as [string, { key: LogKey; text?: string }];
      queue.delete(id);
      try {
        await indexOne(item.key, item.text);
      } catch (error) {
        report(`Indexing log ${id} failed: ${(error as Error).message}`);
      }
    }
  };

  const start = (): void => {
    if (running || stopped) return;
    running = drain().finally(() => {
      running = null;
      if (!stopped && queue.size > 0) start();
    });
  };

  return {
    enqueue(key, text) {
      if (stopped) return;
      queue.set(keyOf(key), { key, text });
      start();
    },
    resume() {
      for (const key of store.logsToIndex(1000)) {
        if (!queue.has(keyOf(key))) queue.set(keyOf(key), { key, text: undefined });
      }
      start();
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      queue.clear();
      while (running) await running;
    },
  };
}
