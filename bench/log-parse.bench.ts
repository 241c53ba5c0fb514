import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoSource } from '../src/main/sources/demo/demo-source';
import { demoOptionsSchema } from '../src/main/sources/demo/demo-options';
import { parseLog } from '../src/shared/log/parse-log';
import { searchLog } from '../src/shared/log/search-log';
import { compare, medianTime, type BenchResult } from './bench-kit';
import { syntheticLog } from './log-samples';

/** Build 121's load-test log from the demo: 100,000+ lines with ANSI, sections and an error. */
async function loadTestLog(folder: string): Promise<string> {
  const source = createDemoSource({
    options: demoOptionsSchema.parse({}),
    stateDirectory: folder,
    now: () => Date.UTC(2026, 10, 29, 10),
  });
  const log = await source.fetchLog({
    pipelineExternalId: 'catalog',
    buildExternalId: '121',
    stageExternalId: 'performance-tests',
    stepExternalId: 'load-test',
  });
  return log.text;
}

function firstLines(text: string, count: number): string {
  let end = 0;
  for (let line = 0; line < count && end !== -1; line += 1) end = text.indexOf('\n', end + 1);
  return end === -1 ? text : text.slice(0, end + 1);
}

/** The baseline's lines: whole chunks' worth, a tenth of the load-test log. */
const SMALL_LINES = 10_000;

const megabytes = (text: string): number => Buffer.byteLength(text) / 1e6;

/** Parsing: linear in lines, fast enough per megabyte, and search against `grep -c`. */
export async function run(): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), 'pipewatch-bench-logs-'));
  try {
    const large = await loadTestLog(join(folder, 'demo'));
    // A baseline of several chunks (2,048 lines each), so that both sides pay per chunk alike.
    const small = firstLines(large, SMALL_LINES);
    const largeMs = medianTime(() => parseLog(large), 5);
    const smallMs = medianTime(() => parseLog(small), 11);
    const lines = parseLog(large).lineCount;

    const million = syntheticLog(1_000_000);
    const file = join(folder, 'million.log');
    writeFileSync(file, million);
    const readMs = medianTime(() => readFileSync(file, 'utf8'), 3);
    const parseMs = medianTime(() => parseLog(million), 3);
    const size = megabytes(million);

    const parsed = parseLog(million);
    const query = { text: 'status=503', regex: false, caseSensitive: true };
    let found = 0;
    const searchMs = medianTime(() => {
      const result = searchLog(parsed, query);
      found = 'count' in result ? result.count : -1;
    }, 5);
    const grepMs = medianTime(() => execFileSync('grep', ['-c', 'status=503', file]), 5);

    return [
      compare(
        `log parse: build 121's load-test log (${lines.toLocaleString('en-US')} lines) vs its first ${SMALL_LINES.toLocaleString('en-US')} lines`,
        { label: `${SMALL_LINES.toLocaleString('en-US')} lines`, milliseconds: smallMs },
        { label: `${lines.toLocaleString('en-US')} lines`, milliseconds: largeMs },
        (lines / SMALL_LINES) * 1.5,
        `Linear in lines: a ratio near ${(lines / SMALL_LINES).toFixed(1)} means the same cost per line. ` +
          `${(megabytes(large) / (largeMs / 1000)).toFixed(1)} MB/s on the large log.`,
      ),
      compare(
        'log parse: 1,000,000-line log with ANSI and sections vs reading the file',
        { label: `readFileSync ${size.toFixed(0)} MB`, milliseconds: readMs },
        { label: 'parseLog', milliseconds: parseMs },
        null,
        `Parsing runs at ${(size / (parseMs / 1000)).toFixed(1)} MB/s (goal ≥ 50 MB/s); ` +
          `reading alone at ${(size / (readMs / 1000)).toFixed(0)} MB/s.`,
      ),
      compare(
        `log search: "status=503" (${found.toLocaleString('en-US')} matches) in 1,000,000 parsed lines vs grep -c`,
        { label: 'grep -c on the file', milliseconds: grepMs },
        { label: 'searchLog', milliseconds: searchMs },
        3,
        'Every line is searched, one regex pass per 2,048-line chunk of clean text.',
      ),
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
