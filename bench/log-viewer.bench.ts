import react from '@vitejs/plugin-react';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { compare, type BenchResult } from './bench-kit';

const CHROMIUM = process.env['PIPEWATCH_CHROMIUM'] ?? '/usr/bin/chromium';
const SMALL = 100;
const LARGE = 1_000_000;
const RUNS = 5;

interface OpenTiming {
  firstLinesMs: number;
  firstErrorMs: number;
  lineElements: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

/** Serves the built page on 127.0.0.1 (module scripts do not load from file://). */
function serve(folder: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = join(folder, path === '/' ? 'log-viewer-page.html' : path);
    if (!file.startsWith(folder) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The log viewer in Chromium: a 1,000,000-line log opens as fast as a 100-line one. */
export async function run(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'pipewatch-bench-viewer-'));
  // `npm run bench` runs from the repository root.
  const benchDir = join(process.cwd(), 'bench');
  await build({
    root: benchDir,
    configFile: false,
    logLevel: 'warn',
    base: './',
    plugins: [react()],
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: out,
      emptyOutDir: true,
      rollupOptions: { input: join(benchDir, 'log-viewer-page.html') },
    },
  });
  const server = await serve(out);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    const open = async (
      lines: number,
    ): Promise<OpenTiming & { rawBytes: number; heapBytes: number }> => {
      const before = await heap();
      const rawBytes = await page.evaluate((count) => window.benchMakeLog(count), lines);
      // Building the synthetic log in the page leaves a million line strings behind: collected
      // now, so that the timing is the viewer's, not the generator's garbage.
      await cdp.send('HeapProfiler.collectGarbage');
      const timing = await page.evaluate(() => window.benchOpen());
      const heapBytes = (await heap()) - before;
      await page.evaluate(() => window.benchClose());
      return { ...timing, rawBytes, heapBytes };
    };
    const small: Array<Awaited<ReturnType<typeof open>>> = [];
    const large: Array<Awaited<ReturnType<typeof open>>> = [];
    await open(SMALL); // warm-up: JIT, styles, fonts
    for (let run = 0; run < RUNS; run += 1) small.push(await open(SMALL));
    for (let run = 0; run < 3; run += 1) large.push(await open(LARGE));
    const memory = median(large.map((timing) => timing.heapBytes / timing.rawBytes));
    const elements = Math.max(...large.map((timing) => timing.lineElements));
    return [
      compare(
        'log viewer: open a 1,000,000-line log to its first painted lines vs a 100-line log (Chromium)',
        {
          label: `${SMALL} lines`,
          milliseconds: median(small.map((timing) => timing.firstLinesMs)),
        },
        {
          label: '1,000,000 lines',
          milliseconds: median(large.map((timing) => timing.firstLinesMs)),
        },
        2,
        `From mounting the viewer with the text in memory to painted rows; at most ${elements} row elements in the DOM. ` +
          `Renderer heap after opening: ${memory.toFixed(2)}× the raw log (goal ≤ 2).`,
      ),
      compare(
        'log viewer: scrolled to the first error at the end of a 1,000,000-line log vs a 100-line log',
        {
          label: `${SMALL} lines`,
          milliseconds: median(small.map((timing) => timing.firstErrorMs)),
        },
        {
          label: '1,000,000 lines',
          milliseconds: median(large.map((timing) => timing.firstErrorMs)),
        },
        null,
        'The first error of this log is its last lines, so the whole log is parsed first (in slices, the page stays responsive).',
      ),
    ];
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(out, { recursive: true, force: true });
  }
}
