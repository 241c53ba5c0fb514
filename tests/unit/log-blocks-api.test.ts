import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/main/config/load-config';
import { createCore, type DesktopCore } from '../../src/main/core';
import { openLog, readLogBlock, type LogDependencies } from '../../src/main/logs/step-log';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http';
import { SourceError, type CiSource, type LogRef } from '../../src/main/sources/source';
import { openDatabase } from '../../src/main/store/db';
import { Store } from '../../src/main/store/store';
import { parseInput } from '../../src/shared/contract';
import type { LogHead } from '../../src/shared/log/log-api';
import type { LogText } from '../../src/shared/model';
import {
  FAILED_PERFORMANCE,
  catalogBuild,
  pollCatalog,
  storedStep,
  temporaryFolder,
} from './fixtures/store-factories';
import { quietDemoConfig } from '../support/serve-process';

describe('opening a log and reading it block by block', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let db: Database;
  let store: Store;
  let clock: number;

  beforeEach(() => {
    folder = temporaryFolder();
    clock = Date.UTC(2024, 4, 1, 12);
    db = openDatabase(join(folder.path, 'pipewatch.db'));
    store = new Store(db, {
      now: () => new Date((clock += 1000)),
    });
    pollCatalog(store, [
      catalogBuild(121, FAILED_PERFORMANCE),
      catalogBuild(122, FAILED_PERFORMANCE),
    ]);
  });
  afterEach(() => {
    store.close();
    folder.cleanup();
  });

  /** The performance-tests stage of a build and its first step. */
  function performanceTests(number: number): { stageId: number; stepId: number } {
    return storedStep(store, number, 'performance-tests');
  }

  /** A source that answers the next log of `texts` on each fetch, or fails when told to. */
  function scriptedSource(texts: Array<{ text: string; complete: boolean } | 'fail'>) {
    const fetched: LogRef[] = [];
    const source = {
      kind: 'demo',
      capabilities: [],
      poll: () => Promise.reject(new Error('not polled here')),
      readGate: () => Promise.reject(new Error('no gates')),
      decideGate: () => Promise.reject(new Error('no gates')),
      fetchLog(ref: LogRef) {
        fetched.push(ref);
        const next = texts.shift();
        if (next === undefined || next === 'fail') {
          return Promise.reject(new SourceError('unreachable', 'the CI server is down'));
        }
        return Promise.resolve(next);
      },
    } satisfies CiSource;
    return { source, fetched };
  }

  function dependencies(source: CiSource, budget?: number): LogDependencies {
    return {
      store,
      sourceFor: () => source,
      now: () => new Date(clock),
      ...(budget === undefined ? {} : { logBudgetBytes: budget }),
    };
  }

  function readAll(head: LogHead): string {
    const key = { stageId: head.stageId, stepId: head.stepId };
    return Array.from(
      { length: head.blocks },
      (_, block) => readLogBlock(key, block, head.fetchedAt, store).text,
    ).join('');
  }

  const bigLog = Array.from({ length: 30_000 }, (_, line) => `line ${line} of the load test`).join(
    '\n',
  );

  it('fetches a log on first open, then serves the complete stored copy without asking again', async () => {
    const { source, fetched } = scriptedSource([{ text: bigLog, complete: true }]);
    const key = performanceTests(121);
    const head = await openLog(key, dependencies(source));
    expect(head).toMatchObject({ ...key, complete: true, size: bigLog.length });
    expect(head.blocks).toBeGreaterThan(1);
    expect(readAll(head)).toBe(bigLog);

    const again = await openLog(key, dependencies(source));
    expect(again).toEqual(head);
    expect(fetched).toHaveLength(1);
  });

  it('tells a reader of a growing log that it was fetched again, so that it opens it again', async () => {
    const { source } = scriptedSource([
      { text: 'compiling\n', complete: false },
      { text: 'compiling\ndone\n', complete: true },
    ]);
    const key = performanceTests(121);
    const first = await openLog(key, dependencies(source));
    const second = await openLog(key, dependencies(source));
    expect(second.fetchedAt).not.toBe(first.fetchedAt);
    expect(() => readLogBlock(key, 0, first.fetchedAt, store)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: 'The log was fetched again while it was being read; open it again.',
      }),
    );
    expect(readAll(second)).toBe('compiling\ndone\n');
  });

  it('says a damaged stored block is damaged, and fetches the log again when asked to', async () => {
    const { source, fetched } = scriptedSource([
      { text: bigLog, complete: true },
      'fail',
      { text: bigLog, complete: true },
    ]);
    const key = performanceTests(121);
    const head = await openLog(key, dependencies(source));
    // The database file was damaged under block 1.
    db.prepare('UPDATE log_blocks SET compressed = ? WHERE step_id = ? AND block = 1').run(
      Buffer.from('not gzip at all'),
      key.stepId,
    );
    expect(() => readLogBlock(key, 1, head.fetchedAt, store)).toThrow(
      expect.objectContaining({
        code: 'internal',
        message: expect.stringMatching(
          /^The log of step \d+ is damaged in Pipewatch's database: block 1 does not decompress \(.+\)\. Try again to fetch it from the CI server\.$/,
        ),
      }),
    );
    // Opened normally, the complete copy is served as it is; "Try again" asks for a new one.
    await openLog(key, dependencies(source));
    expect(fetched).toHaveLength(1);
    // The CI server is down: the stored copy is what there is, nothing is lost.
    const fallback = await openLog(key, dependencies(source), true);
    expect(fallback.fetchedAt).toBe(head.fetchedAt);
    expect(readLogBlock(key, 0, fallback.fetchedAt, store).text.length).toBeGreaterThan(0);
    // It is back: a new copy replaces the damaged one.
    const healed = await openLog(key, dependencies(source), true);
    expect(fetched).toHaveLength(3);
    expect(healed.complete).toBe(true);
    expect(readAll(healed)).toBe(bigLog);
  });

  it('falls back to the stored copy when the source fails, and says so when there is none', async () => {
    const key = performanceTests(121);
    const { source } = scriptedSource([{ text: 'half a log\n', complete: false }, 'fail', 'fail']);
    const stored = await openLog(key, dependencies(source));
    await expect(openLog(key, dependencies(source))).resolves.toEqual(stored);
    await expect(openLog(performanceTests(122), dependencies(source))).rejects.toMatchObject({
      code: 'source-error',
      message: 'The log could not be fetched: the CI server is down',
    });
  });

  it('answers not-found naming what is missing: a step of another stage, a stage log, a block', async () => {
    const { source } = scriptedSource([{ text: 'ok\n', complete: true }]);
    const key = performanceTests(121);
    const other = performanceTests(122);
    await expect(
      openLog({ stageId: other.stageId, stepId: key.stepId }, dependencies(source)),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: `Stage ${other.stageId} has no step ${key.stepId}.`,
    });
    await expect(
      openLog({ stageId: key.stageId, stepId: null }, dependencies(source)),
    ).rejects.toMatchObject({ code: 'not-found', message: /no log of its own/ });

    const head = await openLog(key, dependencies(source));
    expect(() => readLogBlock(key, 1, head.fetchedAt, store)).toThrow(
      expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no block 1/) }),
    );
    expect(() => readLogBlock(other, 0, head.fetchedAt, store)).toThrow(
      expect.objectContaining({
        code: 'not-found',
        message: `The log of step ${other.stepId} is not stored; open it again.`,
      }),
    );
    expect(() =>
      readLogBlock({ stageId: other.stageId, stepId: key.stepId }, 0, head.fetchedAt, store),
    ).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('keeps the log being opened even when it alone is over the log budget', async () => {
    const { source } = scriptedSource([{ text: bigLog, complete: true }]);
    const head = await openLog(performanceTests(121), dependencies(source, 1));
    expect(readAll(head)).toBe(bigLog);
  });
});

describe('serve mode: logs/open and logs/block over HTTP', () => {
  const config = parseConfig(quietDemoConfig, 'test');
  let dataDir: string;
  let core: DesktopCore;
  let server: RunningHttpServer;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pipewatch-log-blocks-'));
    core = createCore({ config, configPath: null, dataDir });
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      token: null,
      staticDir: null,
    });
  });
  afterEach(async () => {
    await server.close();
    await core.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function get<T>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(new URL(path, server.url));
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Build 121's load test step (over 100,000 lines), once the demo has been polled. */
  async function loadTestOf121(): Promise<{ stageId: number; stepId: number }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const pipelines = await core.api['pipelines/list']({ builds: 10 });
      const build = pipelines[0]?.recentBuilds.find((candidate) => candidate.number === 121);
      if (build) {
        const detail = await core.api['builds/get']({ buildId: build.id });
        const stage = detail.stages.find(
          (candidate) => candidate.externalId === 'performance-tests',
        );
        const step = stage?.steps.find((candidate) => candidate.externalId === 'load-test');
        if (stage && step) return { stageId: stage.id, stepId: step.id };
      }
      if (Date.now() > deadline) throw new Error('build 121 never showed up');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("reads build 121's load-test log block by block, joined exactly as logs/get sends it", async () => {
    const { stageId, stepId } = await loadTestOf121();
    const opened = await get<LogHead>(`api/stages/${stageId}/log/head?stepId=${stepId}`);
    expect(opened.status).toBe(200);
    const head = opened.body;
    expect(head).toMatchObject({ stageId, stepId, complete: true });
    expect(head.blocks).toBeGreaterThan(3);

    const at = encodeURIComponent(head.fetchedAt);
    const blocks: string[] = [];
    for (let block = 0; block < head.blocks; block += 1) {
      const read = await get<{ block: number; text: string }>(
        `api/stages/${stageId}/log/blocks/${block}?stepId=${stepId}&fetchedAt=${at}`,
      );
      expect(read.status).toBe(200);
      expect(read.body.block).toBe(block);
      blocks.push(read.body.text);
    }
    const whole = await get<LogText>(`api/steps/${stepId}/log`);
    expect(blocks.join('')).toBe(whole.body.text);
    expect(Buffer.byteLength(whole.body.text)).toBe(head.size);

    const stale = await get<{ code: string; message: string }>(
      `api/stages/${stageId}/log/blocks/0?stepId=${stepId}&fetchedAt=2024-01-01T00:00:00.000Z`,
    );
    expect(stale).toEqual({
      status: 409,
      body: {
        code: 'conflict',
        message: 'The log was fetched again while it was being read; open it again.',
      },
    });

    const past = await get<{ code: string; message: string }>(
      `api/stages/${stageId}/log/blocks/${head.blocks}?stepId=${stepId}&fetchedAt=${at}`,
    );
    expect(past.status).toBe(404);
    expect(past.body.message).toContain(`no block ${head.blocks}`);

    const otherStage = await get<{ code: string; message: string }>(
      `api/stages/${stageId + 1}/log/head?stepId=${stepId}`,
    );
    expect(otherStage.status).toBe(404);
    expect(otherStage.body.message).toBe(`Stage ${stageId + 1} has no step ${stepId}.`);
  });

  it('reads refresh from the query as a person writes it, true or false', () => {
    expect(parseInput('logs/open', { stageId: '3', refresh: 'true' }).refresh).toBe(true);
    expect(parseInput('logs/open', { stageId: '3', refresh: 'false' }).refresh).toBe(false);
    expect(parseInput('logs/open', { stageId: '3', refresh: true }).refresh).toBe(true);
    expect(() => parseInput('logs/open', { stageId: '3', refresh: 'maybe' })).toThrow(/refresh/);
  });
});
