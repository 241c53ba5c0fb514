#!/usr/bin/env node
// `npm run soak`: the long forms of the reliability tests, one after another (each is timing
// sensitive, so they do not share the machine): fuzzing with 2,000 runs per property, the soak
// with 1,000 injected faults, and 50 kill -9s of serve mode mid-ingest. The fast forms of the
// same tests run in `npm test`.
import { spawnSync } from 'node:child_process';

const steps = [
  ['build (serve mode for the kill test)', ['electron-vite', 'build'], {}],
  [
    'fuzzing, 2,000 runs per property',
    ['vitest', 'run', 'tests/unit/fuzz-'],
    { PIPEWATCH_FUZZ_RUNS: '2000' },
  ],
  [
    'soak, 1,000 injected faults',
    ['vitest', 'run', 'tests/integration/soak.test.ts'],
    { PIPEWATCH_SOAK: 'long' },
  ],
  [
    'crash consistency, 50 kills',
    ['vitest', 'run', 'tests/integration/serve-restart.test.ts'],
    { PIPEWATCH_KILLS: '50' },
  ],
];

for (const [name, args, env] of steps) {
  console.log(`\n=== ${name}: npx ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(
      `\n=== ${name} FAILED after ${seconds} s (exit ${result.status ?? result.signal})`,
    );
    process.exit(result.status ?? 1);
  }
  console.log(`=== ${name} passed in ${seconds} s`);
}
console.log('\nThe long forms passed.');
