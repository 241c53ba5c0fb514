import type { StepKind } from './catalog-pipeline';
import { style } from './log-style';

/**
 * The stories failing steps tell in their logs: a test, its assertion error, the code around it
 * and a stack trace. The first story of a kind is the book's (build 120's price filter, build
 * 121's latency); other builds pick one by their seeded scenario number.
 */
export interface FailureStory {
  readonly file: string;
  readonly test: string;
  readonly error: readonly string[];
  /** Source lines around the failing assertion, the failing one marked with `>`. */
  readonly frame: readonly string[];
  readonly stack: readonly string[];
}

const jestStack = (location: string): string[] => [
  `at Object.<anonymous> (${location})`,
  'at Promise.then.completed (node_modules/jest-circus/build/utils.js:298:28)',
  'at new Promise (<anonymous>)',
  'at callAsyncCircusFn (node_modules/jest-circus/build/utils.js:231:10)',
  'at _callCircusTest (node_modules/jest-circus/build/run.js:316:40)',
  'at processTicksAndRejections (node:internal/process/task_queues:95:5)',
];

const unitTests: readonly FailureStory[] = [
  {
    file: 'src/catalog/search.test.ts',
    test: 'catalog search › price filter › excludes items above the maximum price',
    error: [
      'AssertionError: expected [ …(4) ] to have a length of 3 but got 4',
      '',
      '- Expected',
      '+ Received',
      '',
      '- 3',
      '+ 4',
    ],
    frame: [
      '  40 |     const result = search(catalog, { maxPrice: 20 });',
      '  41 |',
      '> 42 |     expect(result.items).toHaveLength(3);',
      '     |                          ^',
      '  43 |   });',
    ],
    stack: jestStack('src/catalog/search.test.ts:42:26'),
  },
  {
    file: 'src/catalog/item-mapper.test.ts',
    test: "item mapper › maps a discontinued item to status 'discontinued'",
    error: [
      "AssertionError: expected 'active' to be 'discontinued' // Object.is equality",
      '',
      '- Expected: "discontinued"',
      '+ Received: "active"',
    ],
    frame: [
      '  17 |     const item = toItem({ ...row, discontinued_at: "2024-03-01" });',
      '> 18 |     expect(item.status).toBe("discontinued");',
      '     |                         ^',
      '  19 |   });',
    ],
    stack: jestStack('src/catalog/item-mapper.test.ts:18:25'),
  },
  {
    file: 'src/catalog/pagination.test.ts',
    test: 'pagination › returns a next link on every page but the last',
    error: ['AssertionError: expected undefined to be defined'],
    frame: [
      '  31 |     const page = paginate(items, { page: 2, size: 20 });',
      '> 32 |     expect(page.links.next).toBeDefined();',
      '     |                             ^',
    ],
    stack: jestStack('src/catalog/pagination.test.ts:32:29'),
  },
];

const integrationTests: readonly FailureStory[] = [
  {
    file: 'test/integration/item-repository.test.ts',
    test: 'item repository › finds an item by SKU after an import',
    error: ['AssertionError: expected null to deeply equal { sku: "CAT-00042", … }'],
    frame: [
      '  55 |     await importItems(database, fixture("items.csv"));',
      '> 56 |     expect(await repository.findBySku("CAT-00042")).toEqual(expected);',
      '     |                                                      ^',
    ],
    stack: jestStack('test/integration/item-repository.test.ts:56:54'),
  },
  {
    file: 'test/integration/items-api.test.ts',
    test: 'GET /catalog/items › answers 200 with the first page',
    error: ['AssertionError: expected 500 to be 200', '', '- Expected: 200', '+ Received: 500'],
    frame: [
      '  21 |     const response = await request(app).get("/catalog/items");',
      '> 22 |     expect(response.status).toBe(200);',
      '     |                             ^',
    ],
    stack: jestStack('test/integration/items-api.test.ts:22:29'),
  },
];

const contractTests: readonly FailureStory[] = [
  {
    file: 'pacts/basket-catalog.json',
    test: 'a request for item CAT-00042 returns a price with a currency',
    error: [
      'AssertionError: body.price.currency: expected "EUR" but the key was missing',
      '  Diff: { "amount": 19.99 } does not have key "currency"',
    ],
    frame: ['  $.price -> Expected a Map with keys [amount, currency] but received [amount]'],
    stack: [
      'at verifyInteraction (node_modules/@pact-foundation/pact-core/src/verifier.ts:88:13)',
      'at Verifier.verifyProvider (node_modules/@pact-foundation/pact/src/dsl/verifier.ts:59:9)',
      'at Context.<anonymous> (test/contract/basket.pact.test.ts:27:5)',
    ],
  },
];

const loadTests: readonly FailureStory[] = [
  {
    file: 'perf/catalog-load.js',
    test: "threshold 'p(95)<250' on http_req_duration",
    error: ['AssertionError: p(95) of http_req_duration was above the 250 ms budget'],
    frame: ['  thresholds: { http_req_duration: ["p(95)<250"], checks: ["rate>0.99"] }'],
    stack: [
      'at checkThresholds (perf/thresholds.js:42:11)',
      'at handleSummary (perf/catalog-load.js:88:3)',
      'at file:///home/runner/work/catalog/catalog/perf/catalog-load.js:91:1',
    ],
  },
];

const comparisons: readonly FailureStory[] = [
  {
    file: 'perf/compare-baseline.js',
    test: 'p95 latency against the baseline',
    error: ['AssertionError: p95 regressed by 38.2 % against the baseline (budget 10 %)'],
    frame: [
      '> 27 |   assert.ok(regression <= budget, `p95 regressed by ${percent(regression)}`);',
      '     |          ^',
    ],
    stack: [
      'at compare (perf/compare-baseline.js:27:10)',
      'at main (perf/compare-baseline.js:41:3)',
      'at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ],
  },
];

const smokeTests: readonly FailureStory[] = [
  {
    file: 'test/smoke/health.test.ts',
    test: 'GET /health › answers 200',
    error: ['AssertionError: expected 503 to be 200', '', '- Expected: 200', '+ Received: 503'],
    frame: [
      '   9 |     const response = await fetch(`${baseUrl}/health`);',
      '> 10 |     expect(response.status).toBe(200);',
      '     |                             ^',
    ],
    stack: jestStack('test/smoke/health.test.ts:10:29'),
  },
];

const acceptanceTests: readonly FailureStory[] = [
  {
    file: 'features/browse-catalog.feature',
    test: 'Scenario: A shopper filters the catalog by price',
    error: [
      'AssertionError: expected "4 items" to equal "3 items"',
      '',
      '- Expected: "3 items"',
      '+ Received: "4 items"',
    ],
    frame: [
      '  Then I see 3 items  # features/steps/catalog.steps.ts:48',
      '> 48 |   expect(await page.getByTestId("result-count").textContent()).toBe(text);',
    ],
    stack: [
      'at World.<anonymous> (features/steps/catalog.steps.ts:48:64)',
      'at runStep (node_modules/@cucumber/cucumber/lib/runtime/step_runner.js:63:24)',
      'at processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ],
  },
];

const storiesByKind: Partial<Record<StepKind, readonly FailureStory[]>> = {
  'unit-tests': unitTests,
  'integration-tests': integrationTests,
  'contract-tests': contractTests,
  'load-test': loadTests,
  'compare-baseline': comparisons,
  'smoke-tests': smokeTests,
  'acceptance-tests': acceptanceTests,
};

const fallback = unitTests[0] as FailureStory;

/** The failure story of a step kind for a seeded scenario number. */
export function failureStory(kind: StepKind, scenario: number): FailureStory {
  const stories = storiesByKind[kind] ?? unitTests;
  return stories[scenario % stories.length] ?? fallback;
}

/** A story in the shape test runners print it: title, error, code frame, stack. */
export function failureLines(story: FailureStory): string[] {
  return [
    `  ${style.bold(style.red(`● ${story.test}`))}`,
    '',
    ...story.error.map((line, index) => `    ${index === 0 ? style.red(line) : line}`),
    '',
    ...story.frame.map((line) => `    ${line}`),
    '',
    ...story.stack.map((line) => `      ${line}`),
    '',
  ];
}
