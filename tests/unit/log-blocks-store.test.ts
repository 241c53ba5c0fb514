import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockCutter, blockEnds, type BlockRules } from '../../src/main/store/log-blocks';
import { openDatabase } from '../../src/main/store/db';
import { IngestRepository } from '../../src/main/store/ingest';
import { MIGRATIONS } from '../../src/main/store/migrations/index';
import { SourceRepository } from '../../src/main/store/source-repository';
import { Store, type LogKey } from '../../src/main/store/store';
import { LOG_BLOCK_CHARACTERS, MAX_LOG_BLOCK_CHARACTERS } from '../../src/shared/log/log-api';
import { CHUNK_LINES } from '../../src/shared/log/parse-log';
import {
  FAILED_PERFORMANCE,
  catalogBuild,
  catalogSnapshot,
  pollCatalog,
  storedStep,
  temporaryFolder,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
let db: Database;
let store: Store;
let clock: number;

beforeEach(() => {
  folder = temporaryFolder();
  clock = Date.UTC(2024, 4, 1, 12);
  db = openDatabase(join(folder.path, 'pipewatch.db'));
  store = new Store(db, { now: tick });
});
afterEach(() => {
  store.close();
  folder.cleanup();
});

function tick(): Date {
  clock += 1000;
  return new Date(clock);
}

/** Polls builds of the Catalog pipeline whose performance tests failed. */
function pollBuilds(numbers: number[]): void {
  pollCatalog(
    store,
    numbers.map((number) => catalogBuild(number, FAILED_PERFORMANCE)),
    `poll-${clock}`,
  );
}

/** The performance-tests stage of a build and its first step. */
function performanceTests(number: number): { stageId: number; stepId: number } {
  return storedStep(store, number, 'performance-tests');
}

/** Every block of a stored log, read one at a time as a window does. */
function blocksOf(key: LogKey): string[] {
  const head = store.getLogHead(key);
  if (!head) throw new Error('the log is not stored');
  return Array.from({ length: head.blocks }, (_, block) => {
    const found = store.readLogBlock(key, block);
    if (!found) throw new Error(`block ${block} is missing`);
    expect(found.fetchedAt).toBe(head.fetchedAt);
    return found.text;
  });
}

function blockRows(table: 'log_blocks' | 'stage_log_blocks' = 'log_blocks'): number {
  return (db.prepare(`SELECT COUNT(*) AS count FROM ${table}`).get() as { count: number }).count;
}

/** A k6-like log of `count` timestamped lines, about 70 characters each. */
function loadTestLog(count: number): string {
  return Array.from(
    { length: count },
    (_, index) =>
      `2024-05-01T10:00:${String(index % 60).padStart(2, '0')}.000Z sample vu=${index % 50} GET /catalog/items/${index} 200`,
  ).join('\n');
}

describe('cutting a log into blocks', () => {
  const piecesOf = (text: string, ends: number[]) =>
    ends.map((end, index) => text.slice(ends[index - 1] ?? 0, end));

  it('puts the first chunk of lines alone in block 0, then whole chunks up to the target size', () => {
    // Chunks of 2 lines; blocks of at most 12 characters after the first.
    const text = 'aaaa\nbbbb\ncccc\ndddd\neeee\nffff\ng';
    expect(piecesOf(text, blockEnds(text, { chunkLines: 2, target: 12, limit: 100 }))).toEqual([
      'aaaa\nbbbb\n',
      'cccc\ndddd\n',
      'eeee\nffff\ng',
    ]);
    expect(piecesOf(text, blockEnds(text, { chunkLines: 2, target: 20, limit: 100 }))).toEqual([
      'aaaa\nbbbb\n',
      'cccc\ndddd\neeee\nffff\n',
      'g',
    ]);
    // A chunk bigger than the target still makes one block of its own.
    expect(piecesOf(text, blockEnds(text, { chunkLines: 2, target: 4, limit: 100 }))).toEqual([
      'aaaa\nbbbb\n',
      'cccc\ndddd\n',
      'eeee\nffff\n',
      'g',
    ]);
  });

  it('cuts a chunk longer than the limit, after a newline or else not inside an emoji', () => {
    expect(blockEnds('abcdefghij', { chunkLines: 2, target: 4, limit: 4 })).toEqual([4, 8, 10]);
    // "abc😀…": the emoji's high surrogate is character 3, the last of a 4-character span.
    expect(blockEnds('abc😀defg', { chunkLines: 2, target: 4, limit: 4 })).toEqual([3, 7, 9]);
    expect(blockEnds('ab\ncdefghij', { chunkLines: 4, target: 4, limit: 5 })).toEqual([3, 8, 11]);
    expect(blockEnds('', { chunkLines: 2, target: 4, limit: 4 })).toEqual([]);
  });

  it('cuts a text arriving in pieces exactly as the whole text, wherever the pieces end', () => {
    const rules: BlockRules = { chunkLines: 3, target: 24, limit: 16 };
    const lineOf = fc.oneof(
      fc.constantFrom('', 'ok', 'a longer line of text', '😀😀😀😀😀😀😀😀😀😀', 'é漢字'),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(
        fc.array(lineOf, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, cuts) => {
          const text = lines.join('\n');
          const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort(
            (a, b) => a - b,
          );
          const blocks: string[] = [];
          const cutter = new BlockCutter((block) => blocks.push(block), rules);
          let from = 0;
          for (const point of [...points, text.length]) {
            cutter.push(text.slice(from, point));
            from = point;
          }
          cutter.end();
          const ends = blockEnds(text, rules);
          expect(blocks.join('')).toBe(text);
          expect(blocks.map((block) => block.length)).toEqual(
            ends.map((end, index) => end - (ends[index - 1] ?? 0)),
          );
          // No block but the last of a long chunk holds half an emoji at its end.
          for (const block of blocks) {
            if (block.length > 1) expect(/[\ud800-\udbff]$/.test(block)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a log stored in blocks', () => {
  it('stores a log that arrived in pieces as it stores the joined text', () => {
    pollBuilds([121]);
    const key = performanceTests(121);
    const text = loadTestLog(20_000);
    const pieces = text.match(/[\s\S]{1,65536}/g) ?? [];
    store.putLog(key.stepId, pieces, true);
    const fromPieces = blocksOf(key);
    store.putLog(key.stepId, text, true);
    expect(fromPieces).toEqual(blocksOf(key));
    expect(fromPieces.join('')).toBe(text);
    expect(store.getLogHead(key)?.size).toBe(Buffer.byteLength(text));
  });

  it('round-trips a log of many lines through get, and through head and every block joined', () => {
    pollBuilds([121]);
    const key = performanceTests(121);
    const text = loadTestLog(40_000);
    store.putLog(key.stepId, text, true);

    expect(store.getLog(key.stepId)?.text).toBe(text);
    const head = store.getLogHead(key);
    expect(head).toEqual({
      complete: true,
      fetchedAt: new Date(clock).toISOString(),
      size: Buffer.byteLength(text),
      blocks: blockEnds(text).length,
    });
    expect(head?.blocks).toBeGreaterThanOrEqual(3);
    const blocks = blocksOf(key);
    expect(blocks.join('')).toBe(text);
    const [first = ''] = blocks;
    // Block 0 is the viewer's first chunk of lines, whole.
    expect(first.split('\n')).toHaveLength(CHUNK_LINES + 1);
    expect(first.endsWith('\n')).toBe(true);
    for (const later of blocks.slice(1, -1)) {
      expect(later.endsWith('\n')).toBe(true);
      expect((later.match(/\n/g) ?? []).length % CHUNK_LINES).toBe(0);
      expect(later.length).toBeLessThanOrEqual(LOG_BLOCK_CHARACTERS);
      expect(later.length).toBeGreaterThan(LOG_BLOCK_CHARACTERS / 2);
    }
    expect(store.readLogBlock(key, blocks.length)).toBeNull();
  });

  it('cuts a 20 Mi-character single line without breaking the emoji on a block boundary', () => {
    pollBuilds([121]);
    const key = performanceTests(121);
    const line = 'x'.repeat(20 * 1024 * 1024).split('');
    // High surrogate last in block 0's span, low surrogate first after it.
    line.splice(MAX_LOG_BLOCK_CHARACTERS - 1, 2, '😀');
    const boundary = 2 * MAX_LOG_BLOCK_CHARACTERS - 1;
    line.splice(boundary - 1, 2, '😀');
    const text = line.join('');
    store.putLog(key.stepId, text, true);

    const blocks = blocksOf(key);
    expect(blocks.join('')).toBe(text);
    // A half emoji would not survive UTF-8: it would come back as U+FFFD.
    expect(blocks.every((block) => Buffer.from(block).toString() === block)).toBe(true);
    expect(blocks[0]?.length).toBe(MAX_LOG_BLOCK_CHARACTERS - 1);
    expect(blocks[1]?.startsWith('😀')).toBe(true);
    expect(store.getLogHead(key)?.size).toBe(Buffer.byteLength(text));
  });

  it('counts the size of é and 漢字 in UTF-8 bytes, across blocks', () => {
    pollBuilds([121]);
    const key = performanceTests(121);
    const line = 'café 漢字 ok\n'; // 5 + 1 + 2·3 + 1 + 2 + 1 = 16 bytes in 11 characters
    const text = line.repeat(60_000);
    store.putLog(key.stepId, text, false);
    const head = store.getLogHead(key);
    expect(Buffer.byteLength(line)).toBe(16);
    expect(head?.size).toBe(16 * 60_000);
    expect(head?.blocks).toBeGreaterThan(1);
    expect(head?.complete).toBe(false);
    expect(blocksOf(key).join('')).toBe(text);
  });

  it('stores an empty log as no blocks, and reads it back as empty text', () => {
    pollBuilds([121]);
    const key = performanceTests(121);
    store.putLog(key.stepId, '', true);
    expect(store.getLogHead(key)).toMatchObject({ size: 0, blocks: 0 });
    expect(store.getLog(key.stepId)?.text).toBe('');
    expect(store.readLogBlock(key, 0)).toBeNull();
    expect(blockRows()).toBe(0);
  });

  it('replaces the blocks of a log fetched again, leaving no stale block behind', () => {
    pollBuilds([121]);
    const key = performanceTests(121);
    store.putLog(key.stepId, loadTestLog(40_000), false);
    expect(blockRows()).toBeGreaterThan(2);

    store.putLog(key.stepId, 'short log\n', true);
    expect(blockRows()).toBe(1);
    expect(store.getLogHead(key)).toMatchObject({ blocks: 1, size: 10, complete: true });
    expect(blocksOf(key)).toEqual(['short log\n']);
    expect(store.readLogBlock(key, 1)).toBeNull();
  });

  it('stores a whole stage log in blocks the same way', () => {
    pollBuilds([121]);
    const { stageId } = performanceTests(121);
    const key = { stageId, stepId: null };
    const text = loadTestLog(10_000);
    store.putStageLog(stageId, text, true);
    expect(blockRows('stage_log_blocks')).toBe(store.getLogHead(key)?.blocks);
    expect(blocksOf(key).join('')).toBe(text);
    expect(store.getStageLog(stageId)?.text).toBe(text);
  });
});

describe('the log budget and pruning with blocks', () => {
  it('counts the block blobs, and eviction removes a log with all its blocks', () => {
    pollBuilds([120, 121]);
    const older = performanceTests(120);
    const newer = performanceTests(121);
    store.putLog(older.stepId, loadTestLog(30_000), true);
    store.putLog(newer.stepId, loadTestLog(20_000), true);
    const blobBytes = (
      db.prepare('SELECT SUM(length(compressed)) AS bytes FROM log_blocks').get() as {
        bytes: number;
      }
    ).bytes;
    expect(store.logStorageBytes()).toBe(blobBytes);
    expect(blobBytes).toBeGreaterThan(100_000);

    const result = store.evictLogsOverBudget(store.logStorageBytes() - 1);
    expect(result.evicted).toBe(1);
    expect(store.getLogHead(older)).toBeNull();
    expect(store.readLogBlock(older, 0)).toBeNull();
    expect(store.logStorageBytes()).toBe(blobBytes - result.freedBytes);
    const left = db.prepare('SELECT DISTINCT step_id AS stepId FROM log_blocks').all();
    expect(left).toEqual([{ stepId: newer.stepId }]);
  });

  it('spares the log being opened, even when it alone is over the budget', () => {
    pollBuilds([121]);
    const key = performanceTests(121);
    store.putLog(key.stepId, loadTestLog(1000), true);
    expect(store.evictLogsOverBudget(1, key)).toEqual({ evicted: 0, freedBytes: 0 });
    expect(store.getLogHead(key)?.blocks).toBe(1);
    expect(store.evictLogsOverBudget(1).evicted).toBe(1);
  });

  it('leaves no block rows when pruning removes the builds', () => {
    pollBuilds([120, 121]);
    const step = performanceTests(120);
    store.putLog(step.stepId, loadTestLog(20_000), true);
    store.putStageLog(performanceTests(121).stageId, loadTestLog(20_000), true);
    expect(blockRows() + blockRows('stage_log_blocks')).toBeGreaterThan(2);
    expect(store.pruneBuilds(0)).toBe(2);
    expect(blockRows()).toBe(0);
    expect(blockRows('stage_log_blocks')).toBe(0);
  });
});

describe('a log stored before blocks existed (schema version 4)', () => {
  it('is still read whole, as its head, and as one block; storing it again moves it to blocks', () => {
    const file = join(folder.path, 'old.db');
    const legacyText = loadTestLog(5000);
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 4) });
    const sourceId = new SourceRepository(old, tick).upsertSource({
      key: 'ci',
      kind: 'demo',
      name: 'CI',
      baseUrl: null,
      isDemo: false,
    });
    new IngestRepository(old).applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(121, FAILED_PERFORMANCE)]),
      'poll-1',
    );
    const { stageId, stepId } = old
      .prepare(
        `SELECT s.id AS stageId, st.id AS stepId FROM steps st JOIN stages s ON s.id = st.stage_id
         WHERE s.external_id = 'performance-tests'`,
      )
      .get() as { stageId: number; stepId: number };
    const legacy = old.prepare(
      'INSERT INTO logs (step_id, fetched_at, complete, size, compressed) VALUES (?, ?, 1, ?, ?)',
    );
    legacy.run(
      stepId,
      '2024-05-01T09:00:00.000Z',
      Buffer.byteLength(legacyText),
      gzipSync(legacyText),
    );
    // A legacy empty log is a non-empty gzip stream of nothing.
    const compileStage = old
      .prepare("SELECT id FROM stages WHERE external_id = 'compile'")
      .get() as { id: number };
    old
      .prepare(
        "INSERT INTO stage_logs (stage_id, fetched_at, complete, size, compressed) VALUES (?, '2024-05-01T09:00:00.000Z', 1, 0, ?)",
      )
      .run(compileStage.id, gzipSync(''));
    old.close();

    const upgradedDb = openDatabase(file);
    const upgraded = new Store(upgradedDb, { now: tick });
    try {
      const key = { stageId, stepId };
      expect(upgraded.getLog(stepId)?.text).toBe(legacyText);
      expect(upgraded.getLogHead(key)).toEqual({
        complete: true,
        fetchedAt: '2024-05-01T09:00:00.000Z',
        size: Buffer.byteLength(legacyText),
        blocks: 1,
      });
      expect(upgraded.readLogBlock(key, 0)).toEqual({
        text: legacyText,
        fetchedAt: '2024-05-01T09:00:00.000Z',
      });
      expect(upgraded.readLogBlock(key, 1)).toBeNull();
      expect(upgraded.logStorageBytes()).toBeGreaterThan(0);

      const empty = { stageId: compileStage.id, stepId: null };
      expect(upgraded.getLogHead(empty)).toMatchObject({ size: 0, blocks: 0 });
      expect(upgraded.getStageLog(compileStage.id)?.text).toBe('');

      upgraded.putLog(stepId, `${legacyText}\nmore`, true);
      expect(upgraded.getLog(stepId)?.text).toBe(`${legacyText}\nmore`);
      expect(upgraded.getLogHead(key)?.blocks).toBe(2);
      expect(
        upgradedDb
          .prepare('SELECT length(compressed) AS bytes FROM logs WHERE step_id = ?')
          .get(stepId),
      ).toEqual({ bytes: 0 });
    } finally {
      upgraded.close();
    }
  });
});
