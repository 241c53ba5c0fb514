import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/main/config/load-config';
import { createCore, databasePath, type DesktopCore } from '../../src/main/core';
import { openStore } from '../../src/main/store/store';
import { ApiError, parseInput } from '../../src/shared/contract';
import {
  budgetProblem,
  storageWords,
} from '../../src/renderer/src/views/settings/log-storage-setting';
import {
  FAILED_PERFORMANCE,
  catalogBuild,
  pollCatalog,
  storedStep,
} from './fixtures/store-factories';

/**
 * The disk budget for stored logs is the user's: set in the config file or in Settings (which
 * wins and is kept in sources.json), applied at once — the logs fetched longest ago go first —
 * and shown with what the logs take now.
 */

const MIB = 1024 * 1024;
let dataDir: string;
let core: DesktopCore | null = null;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pipewatch-log-budget-'));
});
afterEach(async () => {
  await core?.stop();
  core = null;
  rmSync(dataDir, { recursive: true, force: true });
});

function start(retention: Record<string, number> = {}): DesktopCore {
  const config = parseConfig({ sources: [], retention }, 'test');
  core = createCore({ config, configPath: join(dataDir, 'config.json'), dataDir, env: {} });
  return core;
}

/**
 * Build 121 with two stored logs of about 12 MB each of text that hardly compresses, the
 * checkout step's fetched first; answers the two steps.
 */
function seedTwoBigLogs(): { stageId: number; older: number; newer: number } {
  let clock = Date.UTC(2026, 10, 1);
  const store = openStore(databasePath(dataDir), { now: () => new Date((clock += 1000)) });
  try {
    pollCatalog(store, [catalogBuild(121, FAILED_PERFORMANCE)]);
    const checkout = storedStep(store, 121, 'performance-tests', 'performance-tests-checkout');
    const run = storedStep(store, 121, 'performance-tests', 'performance-tests-run');
    const noise = (): string =>
      randomBytes(9 * MIB)
        .toString('base64')
        .replace(/(.{100})/g, '$1\n');
    store.putLog(checkout.stepId, noise(), true);
    store.putLog(run.stepId, noise(), true);
    return { stageId: run.stageId, older: checkout.stepId, newer: run.stepId };
  } finally {
    store.close();
  }
}

describe('the disk budget for stored logs', () => {
  it('is 2 GiB unless the config file says otherwise', async () => {
    expect((await start().api['settings/app']({})).logStorage).toEqual({
      budgetMegabytes: 2048,
      setIn: 'config',
      usedBytes: 0,
    });
    await core?.stop();
    expect(
      (await start({ logStorageMegabytes: 64 }).api['settings/app']({})).logStorage,
    ).toMatchObject({ budgetMegabytes: 64, setIn: 'config' });
  });

  it('applies a budget set in Settings at once, oldest logs first, and keeps it across a restart', async () => {
    const { stageId, older, newer } = seedTwoBigLogs();
    const api = start({ logStorageMegabytes: 64 }).api;
    const before = (await api['settings/app']({})).logStorage;
    expect(before.usedBytes).toBeGreaterThan(16 * MIB);

    const after = (await api['settings/app-update']({ logStorageMegabytes: 16 })).logStorage;
    expect(after).toMatchObject({ budgetMegabytes: 16, setIn: 'settings' });
    expect(after.usedBytes).toBeLessThanOrEqual(16 * MIB);
    expect(after.usedBytes).toBeGreaterThan(0);
    // The log fetched longest ago went; the newer one is still there.
    const gone = await api['logs/get']({ stepId: older }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ApiError);
    expect((await api['logs/open']({ stageId, stepId: newer })).complete).toBe(true);

    expect(JSON.parse(readFileSync(join(dataDir, 'sources.json'), 'utf8'))).toMatchObject({
      logStorageMegabytes: 16,
    });
    await core?.stop();
    // Settings wins over the config file's 64.
    expect(
      (await start({ logStorageMegabytes: 64 }).api['settings/app']({})).logStorage,
    ).toMatchObject({ budgetMegabytes: 16, setIn: 'settings' });
  });

  it('refuses a budget below 16 MiB or above 1 TiB, naming the field', () => {
    expect(() => parseInput('settings/app-update', { logStorageMegabytes: 8 })).toThrow(
      /logStorageMegabytes/,
    );
    expect(() => parseInput('settings/app-update', { logStorageMegabytes: 2 ** 21 })).toThrow(
      ApiError,
    );
    expect(() =>
      parseConfig({ sources: [], retention: { logStorageMegabytes: 1.5 } }, 'f.json'),
    ).toThrow(/retention\.logStorageMegabytes/);
  });

  it('says in Settings what is wrong with a typed budget, and sizes as people read them', () => {
    expect(budgetProblem('')).toBe('Type a whole number of MiB.');
    expect(budgetProblem('12.5')).toBe('Type a whole number of MiB.');
    expect(budgetProblem('8')).toBe('Between 16 and 1,048,576 MiB.');
    expect(budgetProblem('4096')).toBeNull();
    expect(storageWords(0)).toBe('0 kB');
    expect(storageWords(312_400_000)).toBe('312 MB');
    expect(storageWords(2_147_483_648)).toBe('2.1 GB');
  });
});
