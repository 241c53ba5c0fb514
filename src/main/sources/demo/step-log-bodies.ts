import { assertNever } from '../../../shared/status';
import type { StepDefinition } from './catalog-pipeline';
import { failureLines, failureStory, type FailureStory } from './log-failures';
import { loadTestLines } from './load-test-log';
import { END_GROUP, group, style } from './log-style';
import { between, randomIndex, type Random } from './seeded-random';

/**
 * What each kind of step prints: git, npm, tsc, docker, jest, k6, kubectl — realistic enough
 * that the log viewer's colours, sections and error search have something true to work on.
 */

export interface StepLogContext {
  readonly buildNumber: number;
  readonly commitSha: string;
  readonly commitMessage: string;
  /** uat or production for deploy steps. */
  readonly environment: string;
  readonly step: StepDefinition;
  readonly simulatedSeconds: number;
  readonly fails: boolean;
  readonly failureScenario: number;
  readonly random: Random;
}

const TEST_NAMES = [
  'returns the item with its price',
  'rejects a negative price',
  'sorts by name when no order is given',
  'keeps the currency of the source price',
  'ignores unknown query parameters',
  'returns an empty page past the last one',
  'trims whitespace from search terms',
  'maps a missing image to the placeholder',
  'accepts lower-case SKUs',
  'counts items per category',
  'treats the maximum price as inclusive',
  'caches the category tree',
] as const;

const UNIT_SUITES = [
  'src/catalog/items.test.ts',
  'src/catalog/search.test.ts',
  'src/catalog/item-mapper.test.ts',
  'src/catalog/pagination.test.ts',
  'src/catalog/categories.test.ts',
  'src/catalog/prices.test.ts',
  'src/catalog/sku.test.ts',
  'src/catalog/images.test.ts',
] as const;

const INTEGRATION_SUITES = [
  'test/integration/item-repository.test.ts',
  'test/integration/items-api.test.ts',
  'test/integration/search-api.test.ts',
  'test/integration/import.test.ts',
] as const;

const SMOKE_SUITES = ['test/smoke/health.test.ts', 'test/smoke/items.test.ts'] as const;

function npmHeader(script: string, command: string): string[] {
  return [style.bold(`> catalog@1.4.0 ${script}`), style.bold(`> ${command}`), ''];
}

function seconds(value: number): string {
  return style.grey(`(${value.toFixed(3)} s)`);
}

/** Jest's output for a list of suites, one of them failing when the step fails. */
function jestRun(context: StepLogContext, suites: readonly string[], script: string): string[] {
  const { random } = context;
  const story: FailureStory | null = context.fails
    ? failureStory(context.step.kind, context.failureScenario)
    : null;
  const files = story && !suites.includes(story.file) ? [...suites, story.file] : suites;
  const lines = npmHeader(script, 'jest --ci');
  let passed = 0;
  for (const file of files) {
    const failing = story?.file === file;
    lines.push(` ${failing ? style.fail : style.pass} ${file} ${seconds(between(random, 0.4, 6))}`);
    const count = 3 + randomIndex(random, 6);
    const first = randomIndex(random, TEST_NAMES.length);
    for (let index = 0; index < count; index += 1) {
      const name = TEST_NAMES[(first + index) % TEST_NAMES.length] ?? TEST_NAMES[0];
      lines.push(`    ${style.tick} ${name} ${style.grey(`(${1 + randomIndex(random, 40)} ms)`)}`);
      passed += 1;
    }
    if (failing && story) {
      lines.push(`    ${style.red('✕')} ${story.test.split(' › ').pop() ?? story.test}`, '');
      lines.push(...failureLines(story));
    }
  }
  const failedSuites = story ? `${style.bold(style.red('1 failed'))}, ` : '';
  const failedTests = story ? `${style.bold(style.red('1 failed'))}, ` : '';
  const total = passed + (story ? 1 : 0);
  lines.push(
    `${style.bold('Test Suites:')} ${failedSuites}${style.bold(style.green(`${files.length - (story ? 1 : 0)} passed`))}, ${files.length} total`,
    `${style.bold('Tests:')}       ${failedTests}${style.bold(style.green(`${passed} passed`))}, ${total} total`,
    `${style.bold('Snapshots:')}   0 total`,
    `${style.bold('Time:')}        ${(context.simulatedSeconds * 0.92).toFixed(3)} s`,
    style.grey('Ran all test suites.'),
  );
  return lines;
}

function checkoutLines({ commitSha, commitMessage }: StepLogContext): string[] {
  return [
    'Syncing repository: example-shop/catalog',
    group('Getting Git version info'),
    "Working directory is '/home/runner/work/catalog/catalog'",
    '[command]/usr/bin/git version',
    'git version 2.47.1',
    END_GROUP,
    group('Fetching the repository'),
    `[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +${commitSha}:refs/remotes/origin/main`,
    `From https://git.example.com/example-shop/catalog`,
    ` * [new ref]         ${commitSha} -> origin/main`,
    END_GROUP,
    group('Checking out the ref'),
    '[command]/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main',
    "Switched to a new branch 'main'",
    "branch 'main' set up to track 'origin/main'.",
    END_GROUP,
    `[command]/usr/bin/git log -1 --format=%H`,
    commitSha,
    style.dim(commitMessage),
  ];
}

function restoreLines({ random }: StepLogContext): string[] {
  const packages = 780 + randomIndex(random, 60);
  return [
    `${style.orange('npm warn')} deprecated inflight@1.0.6: This module is not supported, and leaks memory.`,
    `${style.orange('npm warn')} deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported`,
    '',
    `added ${packages} packages, and audited ${packages + 1} packages in ${Math.round(between(random, 14, 22))}s`,
    '',
    `${112 + randomIndex(random, 10)} packages are looking for funding`,
    '  run `npm fund` for details',
    '',
    `found ${style.bold(style.green('0'))} vulnerabilities`,
  ];
}

function compileLines({ random }: StepLogContext): string[] {
  return [
    ...npmHeader('build', 'tsc -p tsconfig.build.json && node scripts/copy-assets.mjs'),
    `Copied ${14 + randomIndex(random, 4)} assets to dist/`,
    style.green(
      `Compiled ${146 + randomIndex(random, 8)} files in ${between(random, 12, 19).toFixed(1)}s`,
    ),
  ];
}

function packageLines({ commitSha, random }: StepLogContext): string[] {
  const tag = `registry.example.com/catalog:${commitSha.slice(0, 7)}`;
  return [
    '#0 building with "default" instance using docker driver',
    '#1 [internal] load build definition from Dockerfile',
    '#1 transferring dockerfile: 612B done',
    '#2 [internal] load metadata for docker.io/library/node:20-slim',
    `#2 DONE ${between(random, 0.4, 1.2).toFixed(1)}s`,
    '#3 [1/4] FROM docker.io/library/node:20-slim',
    '#3 CACHED',
    '#4 [2/4] COPY package*.json ./',
    '#4 DONE 0.1s',
    '#5 [3/4] RUN npm ci --omit=dev',
    `#5 DONE ${between(random, 3, 6).toFixed(1)}s`,
    '#6 [4/4] COPY dist ./dist',
    '#6 DONE 0.2s',
    '#7 exporting to image',
    `#7 naming to ${tag} done`,
    style.green(`Pushed ${tag}`),
  ];
}

function lintLines({ random }: StepLogContext): string[] {
  return [
    ...npmHeader('lint', 'eslint --max-warnings 0 .'),
    style.grey(`Linted ${200 + randomIndex(random, 30)} files, no problems found.`),
  ];
}

function contractLines(context: StepLogContext): string[] {
  const lines = [
    ...npmHeader('test:contract', 'jest --config jest.pact.config.js'),
    group('Verifying a pact between basket and catalog'),
    `  a request for item CAT-00042 ${context.fails ? style.cross : style.tick}`,
    `  a request for a discontinued item ${style.tick}`,
    `  a search for "lamp" ${style.tick}`,
    END_GROUP,
    group('Verifying a pact between recommendations and catalog'),
    `  a request for the category tree ${style.tick}`,
    END_GROUP,
  ];
  if (context.fails) {
    lines.push('', ...failureLines(failureStory('contract-tests', context.failureScenario)));
  }
  lines.push(
    context.fails
      ? style.red('1 interaction failed, 3 passed')
      : style.green('4 interactions verified'),
  );
  return lines;
}

function warmUpLines({ random }: StepLogContext): string[] {
  return [
    'Warming up catalog-perf.internal with 20 VUs for 20s',
    `running (0m20.0s), 00/20 VUs, ${3800 + randomIndex(random, 400)} complete and 0 interrupted iterations`,
    style.green('warm-up done: caches primed, JIT settled'),
  ];
}

function compareLines(context: StepLogContext): string[] {
  const baseline = between(context.random, 160, 190);
  const current = context.fails ? baseline * 1.382 : baseline * between(context.random, 0.95, 1.06);
  const change = ((current - baseline) / baseline) * 100;
  const lines = [
    `Baseline: build ${context.buildNumber - 2}, p95 ${baseline.toFixed(1)} ms`,
    `This build: p95 ${current.toFixed(1)} ms (${change >= 0 ? '+' : ''}${change.toFixed(1)} %)`,
  ];
  if (context.fails) {
    lines.push('', ...failureLines(failureStory('compare-baseline', context.failureScenario)));
  } else {
    lines.push(style.green('Within the 10 % budget.'));
  }
  return lines;
}

function deployLines({ environment, commitSha, random }: StepLogContext): string[] {
  const image = `registry.example.com/catalog:${commitSha.slice(0, 7)}`;
  return [
    style.bold(`Deploying ${image} to ${environment}`),
    `deployment.apps/catalog image updated (namespace ${environment})`,
    'Waiting for deployment "catalog" rollout to finish: 1 of 3 updated replicas are available...',
    'Waiting for deployment "catalog" rollout to finish: 2 of 3 updated replicas are available...',
    style.green('deployment "catalog" successfully rolled out'),
    style.grey(`rollout took ${Math.round(between(random, 25, 55))}s`),
  ];
}

function acceptanceLines(context: StepLogContext): string[] {
  const scenarios = [
    'A shopper browses the first page of the catalog',
    'A shopper filters the catalog by price',
    'A shopper searches for a lamp',
    'A shopper opens an item and sees its availability',
    'A discontinued item is shown as unavailable',
  ];
  const failing = context.fails ? failureStory('acceptance-tests', context.failureScenario) : null;
  const lines = [
    ...npmHeader('test:acceptance', 'cucumber-js --profile uat'),
    style.bold('Feature: Browse the catalog'),
  ];
  for (const scenario of scenarios) {
    const fails = failing?.test === `Scenario: ${scenario}`;
    lines.push(`  ${fails ? style.cross : style.tick} Scenario: ${scenario}`);
  }
  if (failing) lines.push('', ...failureLines(failing));
  lines.push(
    failing
      ? `${scenarios.length} scenarios (${style.red('1 failed')}, ${style.green(`${scenarios.length - 1} passed`)})`
      : `${scenarios.length} scenarios (${style.green(`${scenarios.length} passed`)})`,
  );
  return lines;
}

function verifyLines({ random }: StepLogContext): string[] {
  const errorRate = between(random, 0.01, 0.08);
  return [
    'Watching production for 10 minutes after the rollout',
    `error rate ${errorRate.toFixed(2)} % (budget 1 %)`,
    `p95 latency ${between(random, 150, 190).toFixed(1)} ms (budget 250 ms)`,
    style.green(style.bold('Release verified.')),
  ];
}

/** The lines a step prints after GitHub's "Run" header. */
export function stepBodyLines(context: StepLogContext): string[] {
  const kind = context.step.kind;
  switch (kind) {
    case 'checkout':
      return checkoutLines(context);
    case 'restore':
      return restoreLines(context);
    case 'compile':
      return compileLines(context);
    case 'package':
      return packageLines(context);
    case 'unit-tests':
      return [
        ...jestRun(context, UNIT_SUITES, 'test'),
        group('Coverage summary'),
        `Statements   : 91.4% ( 1532/1676 )`,
        `Branches     : 84.2% ( 433/514 )`,
        `Functions    : 89.9% ( 302/336 )`,
        `Lines        : 92.1% ( 1490/1618 )`,
        END_GROUP,
      ];
    case 'lint':
      return lintLines(context);
    case 'integration-tests':
      return [
        group('Starting postgres:16 for the tests'),
        'catalog-test-db  | database system is ready to accept connections',
        END_GROUP,
        ...jestRun(context, INTEGRATION_SUITES, 'test:integration'),
      ];
    case 'contract-tests':
      return contractLines(context);
    case 'warm-up':
      return warmUpLines(context);
    case 'load-test':
      return loadTestLines(context);
    case 'compare-baseline':
      return compareLines(context);
    case 'deploy':
      return deployLines(context);
    case 'smoke-tests':
      return jestRun(context, SMOKE_SUITES, 'test:smoke');
    case 'acceptance-tests':
      return acceptanceLines(context);
    case 'verify':
      return verifyLines(context);
    default:
      return assertNever(kind);
  }
}
