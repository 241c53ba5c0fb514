import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import { Store } from '../../src/main/store/store';
import { auditEntrySchema, type AuditEntry } from '../../src/shared/model';
import {
  ALL_PASSED,
  catalogBuild,
  catalogSnapshot,
  FAILED_UNIT_TESTS,
  temporaryFolder,
  WAITING_FOR_PRODUCTION,
} from './fixtures/store-factories';

const FETCHED_AT = new Date('2024-05-01T12:00:00Z');

let folder: ReturnType<typeof temporaryFolder>;
let db: Database;
let store: Store;
let sourceId: number;

beforeEach(() => {
  folder = temporaryFolder();
  db = openDatabase(join(folder.path, 'pipewatch.db'));
  store = new Store(db, { now: () => FETCHED_AT });
  sourceId = store.upsertSource({
    key: 'demo',
    kind: 'demo',
    name: 'Demo',
    baseUrl: null,
    isDemo: true,
  });
});
afterEach(() => {
  store.close();
  folder.cleanup();
});

function attempt(overrides: Partial<Omit<AuditEntry, 'id'>> = {}): Omit<AuditEntry, 'id'> {
  return {
    at: '2024-05-01T11:00:00Z',
    actor: 'ana',
    gateId: null,
    buildId: null,
    pipelineName: 'Catalog',
    buildNumber: 123,
    gateName: 'Deploy to production',
    decision: 'approve',
    comment: 'Performance numbers look fine',
    outcome: 'done',
    serverAnswer: 'Deployment approved',
    requestId: 'click-0001',
    ...overrides,
  };
}

describe('audit trail', () => {
  it('records every attempt, lists them newest first and finds retries by request id', () => {
    const first = store.insertAudit(attempt({ outcome: 'error', serverAnswer: 'Server said 502' }));
    const retry = store.insertAudit(attempt({ at: '2024-05-01T11:00:05Z' }));
    const other = store.insertAudit(
      attempt({ requestId: 'click-0002', decision: 'reject', outcome: 'already-decided' }),
    );

    expect(auditEntrySchema.parse(first)).toEqual(first);
    expect(first).toMatchObject({ outcome: 'error', requestId: 'click-0001' });
    expect(store.listAudit(10).map((entry) => entry.id)).toEqual([other.id, retry.id, first.id]);
    expect(store.listAudit(1)).toEqual([other]);
    expect(store.findAuditByRequestId('click-0001')).toEqual([first, retry]);
    expect(store.findAuditByRequestId('never-clicked')).toEqual([]);
  });

  it('keeps the entry when its gate and build are gone, with the names it was written with', () => {
    const { buildIds, gateIds } = store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(123, WAITING_FOR_PRODUCTION)]),
      'poll-1',
    );
    const entry = store.insertAudit(
      attempt({ gateId: gateIds[0] ?? null, buildId: buildIds[0] ?? null }),
    );
    expect(entry.gateId).toBe(gateIds[0]);

    store.removeSource('demo');

    expect(store.listAudit(10)).toEqual([{ ...entry, gateId: null, buildId: null }]);
  });
});

describe('cached logs', () => {
  function failedStepId(): number {
    const { buildIds } = store.applySnapshot(
      sourceId,
      catalogSnapshot([catalogBuild(120, FAILED_UNIT_TESTS), catalogBuild(122, ALL_PASSED)]),
      'poll-1',
    );
    return store.getBuildDetail(buildIds[0] ?? 0)?.stages[1]?.steps[1]?.id ?? 0;
  }

  it('round-trips a log compressed at rest, with its completeness and fetch time', () => {
    const stepId = failedStepId();
    const lines = Array.from({ length: 5000 }, (_, index) =>
      index === 4000
        ? 'FAIL CatalogTest.pricesAreRounded — expected 9.99, got 9.989'
        : `ok ${index} ✓`,
    );
    const text = lines.join('\n');

    store.putLog(stepId, text, true);

    expect(store.getLog(stepId)).toEqual({
      text,
      complete: true,
      fetchedAt: FETCHED_AT.toISOString(),
    });
    const stored = db.prepare('SELECT size FROM logs WHERE step_id = ?').get(stepId) as {
      size: number;
    };
    // The text is in blocks (migration 005), each gzipped on its own: the first chunk of lines,
    // then the rest.
    const blocks = db
      .prepare('SELECT compressed FROM log_blocks WHERE step_id = ? ORDER BY block')
      .all(stepId) as Array<{ compressed: Buffer }>;
    expect(stored.size).toBe(Buffer.byteLength(text));
    expect(blocks).toHaveLength(2);
    const compressed = blocks.reduce((sum, block) => sum + block.compressed.length, 0);
    expect(compressed).toBeLessThan(stored.size / 4);
    expect(blocks.map((block) => gunzipSync(block.compressed).toString('utf8')).join('')).toBe(
      text,
    );
  });

  it('replaces a growing log with the longer one', () => {
    const stepId = failedStepId();
    store.putLog(stepId, 'line 1', false);
    store.putLog(stepId, 'line 1\nline 2', true);
    expect(store.getLog(stepId)).toMatchObject({ text: 'line 1\nline 2', complete: true });
  });

  it('has no log for a step never fetched', () => {
    expect(store.getLog(failedStepId())).toBeNull();
  });

  it('refuses a log for a step that does not exist', () => {
    expect(() => store.putLog(987_654, 'orphan', true)).toThrow(/FOREIGN KEY/);
  });
});
