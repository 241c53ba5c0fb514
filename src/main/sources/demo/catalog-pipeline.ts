import type { PipelineSnapshot } from '../source';

/**
 * The Catalog service's build pipeline from *Building Microservices* (ch. 7): every check-in is
 * a release candidate that walks compile → fast tests → slow tests → performance tests → user
 * acceptance, then waits for a person to approve production (continuous delivery).
 */

export const CATALOG_PIPELINE: PipelineSnapshot = {
  externalId: 'catalog',
  name: 'Catalog',
  webUrl: null,
};

/** What a step does, which decides what its log looks like. */
export type StepKind =
  | 'checkout'
  | 'restore'
  | 'compile'
  | 'package'
  | 'unit-tests'
  | 'lint'
  | 'integration-tests'
  | 'contract-tests'
  | 'warm-up'
  | 'load-test'
  | 'compare-baseline'
  | 'deploy'
  | 'smoke-tests'
  | 'acceptance-tests'
  | 'verify';

export interface StepDefinition {
  readonly externalId: string;
  readonly name: string;
  readonly kind: StepKind;
  readonly command: string;
  /** Typical duration in simulated seconds (each build varies it by ±20 %). */
  readonly seconds: number;
  /** Relative chance that a failing build fails at this step; 0 = it never fails. */
  readonly failureWeight: number;
}

export interface StageDefinition {
  readonly externalId: string;
  readonly isGate: boolean;
  readonly steps: readonly StepDefinition[];
}

function step(
  name: string,
  kind: StepKind,
  command: string,
  seconds: number,
  failureWeight = 0,
): StepDefinition {
  const externalId = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { externalId, name, kind, command, seconds, failureWeight };
}

/** The gate stage: production deploys only after a release manager approves. */
export const GATE_STAGE_ID = 'production';
export const GATE_ENVIRONMENT = 'production';
export const GATE_APPROVERS: readonly string[] = ['release-managers'];

export const CATALOG_STAGES: readonly StageDefinition[] = [
  {
    externalId: 'compile',
    isGate: false,
    steps: [
      step('Check out', 'checkout', 'actions/checkout@v4', 5),
      step('Restore dependencies', 'restore', 'npm ci', 20),
      step('Compile', 'compile', 'npm run build', 20),
      step('Package artifact', 'package', 'docker build --tag catalog:${GITHUB_SHA::7} .', 6),
    ],
  },
  {
    externalId: 'fast-tests',
    isGate: false,
    steps: [
      step('Unit tests', 'unit-tests', 'npm test -- --ci', 55, 5),
      step('Lint', 'lint', 'npm run lint', 15),
    ],
  },
  {
    externalId: 'slow-tests',
    isGate: false,
    steps: [
      step('Integration tests', 'integration-tests', 'npm run test:integration -- --ci', 100, 3),
      step('Contract tests', 'contract-tests', 'npm run test:contract', 50, 1),
    ],
  },
  {
    externalId: 'performance-tests',
    isGate: false,
    steps: [
      step('Warm up', 'warm-up', 'k6 run --quiet perf/warm-up.js', 20),
      step('Load test', 'load-test', 'k6 run perf/catalog-load.js', 140, 2),
      step('Compare with baseline', 'compare-baseline', 'node perf/compare-baseline.js', 20, 1),
    ],
  },
  {
    externalId: 'uat',
    isGate: false,
    steps: [
      step('Deploy to UAT', 'deploy', './deploy.sh uat', 40),
      step('Smoke tests', 'smoke-tests', 'npm run test:smoke -- --env uat', 20, 1),
      step('Acceptance suite', 'acceptance-tests', 'npm run test:acceptance -- --env uat', 70, 2),
    ],
  },
  {
    externalId: GATE_STAGE_ID,
    isGate: true,
    steps: [
      step('Deploy to production', 'deploy', './deploy.sh production', 60),
      step('Verify', 'verify', 'node ops/verify-release.js --env production', 15),
    ],
  },
];

/** A load test that "runs long" takes this many simulated seconds at least (>100,000 samples). */
export const LONG_LOAD_TEST_SECONDS = { minimum: 420, maximum: 480 } as const;
/** Share of builds whose load test runs long. */
export const LONG_LOAD_TEST_CHANCE = 0.15;

export const AUTHORS = [
  'Alice Moreau',
  'Bola Adeyemi',
  'Chen Wei',
  'Dana Kowalski',
  'Emil Sørensen',
] as const;

export const COMMIT_MESSAGES = [
  'Add pagination links to the catalog listing',
  'Return 404 for discontinued items',
  'Cache category tree for five minutes',
  'Expose item availability in the item resource',
  'Bump express from 4.21.1 to 4.21.2',
  'Index items by SKU',
  'Log slow catalog queries',
  'Support sorting search results by price',
  'Remove unused image resizer',
  'Validate SKU format on import',
  'Add contract for the basket service',
  'Tidy up item mapper',
  'Retry the stock lookup once on timeout',
  'Translate category names for the German shop',
  'Include currency in price responses',
  'Speed up catalog import with batched inserts',
] as const;

/** Where a pre-seeded build stops: a stage and step, and which failure its log shows. */
export interface FailurePoint {
  readonly stageIndex: number;
  readonly stepIndex: number;
  /** Picks the failure story the log tells (the logs module takes it modulo its list). */
  readonly scenario: number;
}

export interface HistoricBuild {
  readonly number: number;
  readonly minutesBeforeEpoch: number;
  readonly message: string;
  readonly author: string;
  readonly failure: FailurePoint | null;
  readonly longLoadTest: boolean;
}

/** The book's picture, already on the server the first time the demo runs. */
export const HISTORIC_BUILDS: readonly HistoricBuild[] = [
  {
    number: 120,
    minutesBeforeEpoch: 57,
    message: 'Filter catalog search by price range',
    author: 'Alice Moreau',
    failure: { stageIndex: 1, stepIndex: 0, scenario: 0 },
    longLoadTest: false,
  },
  {
    number: 121,
    minutesBeforeEpoch: 41,
    message: 'Load item images eagerly on the listing page',
    author: 'Chen Wei',
    failure: { stageIndex: 3, stepIndex: 1, scenario: 0 },
    longLoadTest: true,
  },
  {
    number: 122,
    minutesBeforeEpoch: 23,
    message: 'Fix price filter boundary and lazy-load listing images',
    author: 'Dana Kowalski',
    failure: null,
    longLoadTest: false,
  },
];

export const FIRST_BUILD_NUMBER = 120;
/** The newest pre-seeded build; build `LAST_HISTORIC + k` is the k-th check-in after the epoch. */
export const LAST_HISTORIC_BUILD_NUMBER = 122;
