#!/usr/bin/env node
// `npm test`: typecheck, lint, unit + contract tests, build, integration tests against the built
// serve mode (and a real Buildbot where installed), then end-to-end tests in Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.PIPEWATCH_CHROMIUM ?? '/usr/bin/chromium';

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['unit and contract tests', 'npx', ['vitest', 'run', 'tests/unit', 'tests/contract']],
  ['build', 'npx', ['electron-vite', 'build']],
  ['integration tests', 'npx', ['vitest', 'run', 'tests/integration']],
  ['end-to-end tests', 'npx', ['playwright', 'test']],
];

if (!existsSync(chromium)) {
  console.error(
    `Chromium is missing at ${chromium}: install it with "sudo apt-get install -y chromium" (or set PIPEWATCH_CHROMIUM to a Chromium binary); the end-to-end tests need it.`,
  );
  process.exit(1);
}

for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(
      `\n=== ${name} FAILED after ${seconds} s (exit ${result.status ?? result.signal})`,
    );
    process.exit(result.status ?? 1);
  }
  console.log(`=== ${name} passed in ${seconds} s`);
}
console.log('\nAll checks passed.');
