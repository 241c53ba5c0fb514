import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import { Store } from '../../src/main/store/store';
import { buildsNotFromOnePoll } from '../support/stored-build';
import {
  ALL_PASSED,
  FAILED_PERFORMANCE,
  WAITING_FOR_PRODUCTION,
  catalogBuild,
  catalogSnapshot,
  temporaryFolder,
} from './fixtures/store-factories';

/**
 * The crash test's "a build's stages all come from the same poll" check, checked itself: rows
 * written by one poll pass; a stage, step, edge or gate of another poll is caught.
 */

let folder: ReturnType<typeof temporaryFolder> | null = null;
afterEach(() => folder?.cleanup());

function storeWithBuilds() {
  folder = temporaryFolder();
  const database = openDatabase(join(folder.path, 'check.db'));
  const store = new Store(database);
  const sourceId = store.upsertSource({
    key: 'demo',
    kind: 'demo',
    name: 'Demo',
    baseUrl: null,
    isDemo: true,
  });
  store.applySnapshot(
    sourceId,
    catalogSnapshot([
      catalogBuild(120, FAILED_PERFORMANCE),
      catalogBuild(121, ['success', 'running']),
      catalogBuild(122, WAITING_FOR_PRODUCTION),
    ]),
    'poll-1',
  );
  // Build 121 moves on in a later poll; its rows are rewritten whole.
  store.applySnapshot(sourceId, catalogSnapshot([catalogBuild(121, ALL_PASSED)]), 'poll-2');
  return { store, database };
}

describe('checking that every stored build comes from one poll', () => {
  it('passes rows that one poll wrote', () => {
    const { store, database } = storeWithBuilds();
    try {
      expect(buildsNotFromOnePoll(database)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it.each([
    [
      'a stage status',
      "UPDATE stages SET status = 'running' WHERE id = (SELECT MAX(id) FROM stages)",
    ],
    ['a step', "UPDATE steps SET status = 'failed' WHERE id = (SELECT MIN(id) FROM steps)"],
    ['an edge', 'DELETE FROM stage_needs WHERE stage_id = (SELECT MAX(stage_id) FROM stage_needs)'],
    ['a gate', "UPDATE gates SET state = 'approved'"],
  ])('catches %s left over from another poll', (_what, sql) => {
    const { store, database } = storeWithBuilds();
    try {
      database.exec(sql);
      expect(buildsNotFromOnePoll(database).length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});
