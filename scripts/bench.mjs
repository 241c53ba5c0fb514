#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (bundled on the fly with rolldown, which the
// build already uses), prints each figure as a ratio against a baseline measured in the same
// run, and writes bench/results.{json,md} with the machine's description. `npm run bench -- store` runs matching files.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const outDir = join(root, '.tmp', 'bench');
const filters = process.argv.slice(2).filter((arg) => arg !== '--');

const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

mkdirSync(outDir, { recursive: true });
const results = [];
let failed = false;
for (const file of files) {
  const bundle = join(outDir, file.replace(/\.ts$/, '.mjs'));
  await build({
    input: join(benchDir, file),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    logLevel: 'warn',
    output: { file: bundle, format: 'esm' },
  });
  process.stdout.write(`\n# ${file}\n`);
  try {
    const module = await import(pathToFileURL(bundle).href);
    for (const result of await module.run()) {
      results.push({ file, ...result });
      const verdict =
        result.goal === null
          ? ''
          : result.ratio <= result.goal
            ? '  ok'
            : `  OVER GOAL ${result.goal}`;
      console.log(
        `${result.name}\n  ${result.measured.label}: ${result.measured.milliseconds.toFixed(2)} ms / ${result.baseline.label}: ${result.baseline.milliseconds.toFixed(2)} ms = ratio ${result.ratio.toFixed(3)}${verdict}`,
      );
    }
  } catch (error) {
    failed = true;
    console.error(
      `${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
  }
}

const stamp = new Date().toISOString();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${osType()} ${release()}, Node ${process.version}`;
writeFileSync(
  join(benchDir, 'results.json'),
  JSON.stringify({ at: stamp, machine, results }, null, 2),
);
const rows = results.map(
  (r) =>
    `| ${r.name} | ${r.baseline.label}: ${r.baseline.milliseconds.toFixed(2)} ms | ${r.measured.label}: ${r.measured.milliseconds.toFixed(2)} ms | **${r.ratio.toFixed(3)}** | ${r.goal ?? '—'} |`,
);
writeFileSync(
  join(benchDir, 'results.md'),
  `# Pipewatch benchmarks\n\nRun at ${stamp} on ${machine}.\nEach figure is a ratio against a baseline measured in the same run (see docs/benchmarks.md).\n\n| benchmark | baseline | measured | ratio | goal (≤) |\n|---|---|---|---|---|\n${rows.join('\n')}\n`,
);
console.log(`\nWrote bench/results.json and bench/results.md (${results.length} figures).`);
process.exit(failed ? 1 : 0);
