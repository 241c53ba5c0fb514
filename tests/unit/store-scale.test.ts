import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import { Store } from '../../src/main/store/store';
import {
  catalogBuild,
  catalogSnapshot,
  FAILED_PERFORMANCE,
  temporaryFolder,
  WAITING_FOR_PRODUCTION,
} from './fixtures/store-factories';

let folder: ReturnType<typeof temporaryFolder>;
beforeEach(() => {
  folder = temporaryFolder();
});
afterEach(() => folder.cleanup());

/** Opens a store while recording the SQL of every statement it reads with (not only prepares). */
function recordingStore(file: string): { store: Store; db: Database; statements: Set<string> } {
  const db = openDatabase(file);
  const statements = new Set<string>();
  const prepare = db.prepare.bind(db);
  (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    const statement = prepare(sql);
    return new Proxy(statement, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property === 'all' || property === 'get' || property === 'iterate')
            statements.add(sql);
          return (value as (...inner: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  return { store: new Store(db), db, statements };
}

/** Tables that grow with history: a query may only SEARCH them, never SCAN them. */
const HISTORY_ALIASES =
  /^SCAN (builds|stages|steps|gates|stage_needs|logs|stage_logs|b|s|st|g|n)\b/;

describe('the store at scale', () => {
  it('reads growing history through indexes only (EXPLAIN QUERY PLAN has no full scan)', () => {
    const { store, db, statements } = recordingStore(join(folder.path, 'plans.db'));
    const sourceId = store.upsertSource({
      key: 'ci',
      kind: 'demo',
      name: 'CI',
      baseUrl: null,
      isDemo: false,
    });
    store.applySnapshot(
      sourceId,
      catalogSnapshot([
        catalogBuild(121, FAILED_PERFORMANCE),
        catalogBuild(122, WAITING_FOR_PRODUCTION),
      ]),
      'poll',
    );
    // The dashboard, the matrix pages with every filter, the inbox, a build's graph.
    statements.clear();
    store.listPipelineSummaries(5);
    store.listBuilds({ pipelineId: 1, limit: 50 });
    store.listBuilds({ pipelineId: 1, limit: 50, before: 122 });
    store.listBuilds({ pipelineId: 1, limit: 50, status: 'failed' });
    store.listBuilds({ pipelineId: 1, limit: 50, branch: 'main', before: 122 });
    store.listInbox();
    store.getBuildDetail(1);

    const reads = [...statements].filter((sql) => /^\s*(SELECT|WITH)\b/i.test(sql));
    expect(reads.length).toBeGreaterThan(10);
    for (const sql of reads) {
      const parameterCount = (sql.match(/\?/g) ?? []).length;
      const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((match) => [match[1], 1]));
      const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const plan = (
        Object.keys(named).length > 0
          ? explain.all(named)
          : explain.all(...Array(parameterCount).fill(1))
      ) as Array<{ detail: string }>;
      for (const { detail } of plan) {
        expect(detail, `full scan in: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`).not.toMatch(
          HISTORY_ALIASES,
        );
      }
    }
    store.close();
  });

  it('gives pages back when pruning half the history, so the file does not grow', () => {
    const file = join(folder.path, 'prune.db');
    const { store, db } = recordingStore(file);
    const sourceId = store.upsertSource({
      key: 'ci',
      kind: 'demo',
      name: 'CI',
      baseUrl: null,
      isDemo: false,
    });
    const ingest = (first: number, count: number): void => {
      for (let start = first; start < first + count; start += 50) {
        const builds = Array.from({ length: 50 }, (_, index) =>
          catalogBuild(start + index, FAILED_PERFORMANCE),
        );
        store.applySnapshot(sourceId, catalogSnapshot(builds), `poll-${start}`);
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
    };
    ingest(1, 1000);
    const full = statSync(file).size;
    expect(store.pruneBuilds(500)).toBe(500);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pruned = statSync(file).size;
    expect(pruned).toBeLessThan(full * 0.75);
    ingest(1001, 500);
    store.pruneBuilds(1000);
    expect(statSync(file).size).toBeLessThanOrEqual(full * 1.05);
    store.close();
  });
});
