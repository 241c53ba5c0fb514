#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (bundled on the fly with rolldown, which the
// build already uses), prints each figure as a ratio against a baseline measured in the same
// run, each file in a Node process of its own, and writes bench/results.{json,md} with the machine's description. `npm run bench -- store` runs matching files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const outDir = join(root, '.tmp', 'bench');
const filters = process.argv.slice(2).filter((arg) => arg !== '--');

/** A figure with its unit: milliseconds unless the benchmark counts something else. */
const figure = (result, side) => `${side.milliseconds.toFixed(2)} ${result.unit ?? 'ms'}`;
const startedAt = process.hrtime.bigint();

/**
 * Runs a bundled benchmark in a Node process of its own: one benchmark's heap (a 127 MB log, a
 * database, a browser connection) must not slow the next one's garbage collection.
 */
function runInOwnProcess(bundle) {
  const out = `${bundle}.results.json`;
  rmSync(out, { force: true });
  const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); (await import('node:fs')).writeFileSync(${JSON.stringify(out)}, JSON.stringify(await m.run()));`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    stdio: 'inherit',
  });
  return JSON.parse(readFileSync(out, 'utf8'));
}

const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

mkdirSync(outDir, { recursive: true });
const results = [];
const failedFiles = [];
let failed = false;
/** The whole bench must stay under ten minutes on two cores. */
const GOAL_SECONDS = 600;
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
    for (const result of runInOwnProcess(bundle)) {
      results.push({ file, ...result });
      const verdict =
        result.goal === null
          ? ''
          : result.ratio <= result.goal
            ? '  ok'
            : `  OVER GOAL ${result.goal}`;
      console.log(
        `${result.name}\n  ${result.measured.label}: ${figure(result, result.measured)} / ${result.baseline.label}: ${figure(result, result.baseline)} = ratio ${result.ratio.toFixed(3)}${verdict}`,
      );
    }
  } catch (error) {
    failed = true;
    failedFiles.push(file);
    console.error(
      `${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
  }
}

const stamp = new Date().toISOString();
const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${osType()} ${release()}, Node ${process.version}`;
const scope =
  filters.length === 0
    ? `every benchmark (${files.length} files)`
    : `only ${files.join(', ')} (\`npm run bench -- ${filters.join(' ')}\`)`;
const failures = failedFiles.length === 0 ? '' : `\n**Failed**: ${failedFiles.join(', ')}.\n`;
writeFileSync(
  join(benchDir, 'results.json'),
  JSON.stringify(
    { at: stamp, machine, files, failedFiles, wallSeconds, goalSeconds: GOAL_SECONDS, results },
    null,
    2,
  ),
);
const rows = results.map(
  (r) =>
    `| ${r.name} | ${r.baseline.label}: ${figure(r, r.baseline)} | ${r.measured.label}: ${figure(r, r.measured)} | **${r.ratio.toFixed(3)}** | ${r.goal ?? '—'} | ${r.note.replaceAll('|', '\\|')} |`,
);
writeFileSync(
  join(benchDir, 'results.md'),
  `# Pipewatch benchmarks\n\nRun at ${stamp} on ${machine}: ${scope}, ${wallSeconds.toFixed(1)} s in all (goal for the whole bench: under ${GOAL_SECONDS} s).\nEach figure is a ratio against a baseline measured in the same run (see docs/benchmarks.md).\n${failures}\n| benchmark | baseline | measured | ratio | goal (≤) | what it means |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
);
console.log(
  `\nWrote bench/results.json and bench/results.md (${results.length} figures, ${wallSeconds.toFixed(1)} s).`,
);
process.exit(failed ? 1 : 0);
