import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createCore, databasePath } from '../src/main/core';
import { defaultConfig } from '../src/main/config/load-config';
import { startHttpServer } from '../src/main/server/http';
import { openStore } from '../src/main/store/store';
import {
  FAILED_PERFORMANCE,
  catalogBuild,
  pollCatalog,
  storedStep,
} from '../tests/unit/fixtures/store-factories';
import { compare, type BenchResult } from './bench-kit';
import { syntheticLog } from './log-samples';

const CHROMIUM = process.env['PIPEWATCH_CHROMIUM'] ?? '/usr/bin/chromium';
const SMALL = 1_000;
const LARGE = 1_000_000;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * A data folder holding build 121 of the Catalog pipeline with two stored, complete logs: the
 * failed performance-tests step's is `LARGE` lines, the passed checkout step's is `SMALL` lines.
 */
function seedStore(dataDir: string): { large: string; small: string; rawBytes: number } {
  const store = openStore(databasePath(dataDir));
  try {
    pollCatalog(store, [catalogBuild(121, FAILED_PERFORMANCE)]);
    const checkout = storedStep(store, 121, 'performance-tests', 'performance-tests-checkout');
    const run = storedStep(store, 121, 'performance-tests', 'performance-tests-run');
    const pipelineId = store.listPipelineSummaries(1)[0]?.id ?? 0;
    const buildId = store.listBuilds({ pipelineId, limit: 1 })[0]?.id ?? 0;
    const largeText = syntheticLog(LARGE);
    store.putLog(run.stepId, largeText, true);
    store.putLog(checkout.stepId, syntheticLog(SMALL), true);
    const route = ({ stageId, stepId }: { stageId: number; stepId: number }): string =>
      `#/pipelines/${pipelineId}/builds/${buildId}/stages/${stageId}/steps/${stepId}/log`;
    return { large: route(run), small: route(checkout), rawBytes: largeText.length };
  } finally {
    store.close();
  }
}

interface OpenTiming {
  firstLinesMs: number;
  firstErrorMs: number;
}

/**
 * Opens a log's route in the running app and times it from the route change to the first frame
 * with painted log rows — the request to the core, reading the stored (compressed) log, the
 * transfer, parsing and drawing: everything between the store and the screen — and to the frame
 * showing its first error (the last lines of these logs, so the whole log has been read).
 */
async function openLog(page: Page, route: string): Promise<OpenTiming> {
  return page.evaluate(async (hash) => {
    // rAF callbacks run right before a frame is painted: the first one in which `check` holds.
    const until = (check: () => boolean): Promise<number> =>
      new Promise((resolve) => {
        const frame = (): void => {
          if (check()) resolve(performance.now());
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    // Start from a page without a log, so that no row of the previous log is counted.
    window.location.hash = '#/';
    await until(() => document.querySelector('[data-testid="log-line"]') === null);
    const started = performance.now();
    window.location.hash = hash;
    const firstLines = await until(
      () => document.querySelector('[data-testid="log-line"]') !== null,
    );
    const firstError = await until(() => {
      const line = document.querySelector('[data-first-error="true"]');
      if (!line) return false;
      const box = line.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    });
    return { firstLinesMs: firstLines - started, firstErrorMs: firstError - started };
  }, route);
}

/** Opening a stored log in the app, serve mode in Chromium: a million lines vs a thousand. */
export async function run(): Promise<BenchResult[]> {
  const root = process.cwd();
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'pipewatch-bench-open-'));
  const routes = seedStore(dataDir);
  const core = createCore({
    config: { ...defaultConfig(), sources: [] },
    configPath: null,
    dataDir,
  });
  const server = await startHttpServer({
    core,
    host: '127.0.0.1',
    port: 0,
    token: null,
    staticDir: join(root, 'out', 'renderer'),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--js-flags=--expose-gc',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(`${server.url}#/`);
    await page.waitForSelector('main');
    // Warm-up: JIT, styles, fonts, and SQLite's page cache for both logs.
    await openLog(page, routes.small);
    await openLog(page, routes.large);
    const small: OpenTiming[] = [];
    const large: OpenTiming[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      small.push(await openLog(page, routes.small));
      large.push(await openLog(page, routes.large));
    }
    // Memory once the whole million-line log has been read and parsed (the first error shown).
    const cdp = await page.context().newCDPSession(page);
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    await page.evaluate(() => (window.location.hash = '#/'));
    await page.waitForSelector('[data-testid="log-line"]', { state: 'detached' });
    const before = await heap();
    await page.evaluate((hash) => (window.location.hash = hash), routes.large);
    await page.waitForSelector('[data-first-error="true"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="log-download"]:not([disabled])', {
      timeout: 120_000,
    });
    const memory = ((await heap()) - before) / routes.rawBytes;
    return [
      compare(
        'log open from the store: a 1,000,000-line log to its first painted lines vs a 1,000-line log (serve mode, Chromium)',
        {
          label: `${SMALL.toLocaleString('en')} lines`,
          milliseconds: median(small.map((timing) => timing.firstLinesMs)),
        },
        {
          label: `${LARGE.toLocaleString('en')} lines`,
          milliseconds: median(large.map((timing) => timing.firstLinesMs)),
        },
        2,
        `From the route change to painted rows: the core reads the stored log block by block (the first block is small) and the window paints the first chunk of lines as soon as it has arrived. ` +
          `Renderer heap once the whole ${(routes.rawBytes / 1e6).toFixed(0)} MB log is read and parsed: ${memory.toFixed(2)}× the raw log (goal ≤ 2).`,
      ),
      compare(
        'log open from the store: the first error at the end of a 1,000,000-line log shown vs a 1,000-line log',
        {
          label: `${SMALL.toLocaleString('en')} lines`,
          milliseconds: median(small.map((timing) => timing.firstErrorMs)),
        },
        {
          label: `${LARGE.toLocaleString('en')} lines`,
          milliseconds: median(large.map((timing) => timing.firstErrorMs)),
        },
        null,
        'These logs fail on their last lines, so every block is read and parsed before the view can go there; the first lines are on screen (and scrollable, searchable as they arrive) meanwhile.',
      ),
    ];
  } finally {
    await browser.close();
    await server.close();
    await core.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
