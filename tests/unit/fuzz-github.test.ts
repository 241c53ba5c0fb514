import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/shared/status';
import {
  environmentApprovalsSchema,
  jobsListSchema,
  parseWire,
  pendingDeploymentsSchema,
  workflowRunSchema,
} from '../../src/main/sources/github/github-wire';
import {
  githubRateLimitReset,
  readRateLimit,
} from '../../src/main/sources/github/github-rate-limit';
import { createGithubSource } from '../../src/main/sources/github/github-source';
import { deriveJobGraph } from '../../src/main/sources/github/job-graph';
import { mapRun } from '../../src/main/sources/github/map-run';
import {
  GITHUB_CONCLUSIONS,
  GITHUB_STATUSES,
  mapGithubStatus,
} from '../../src/main/sources/github/map-status';
import { parseWorkflowFile } from '../../src/main/sources/github/workflow-file';
import {
  asyncOutcomeOf,
  buildProblem,
  describeFailure,
  FUZZ_RUNS,
  outcomeOf,
  payloadFetch,
  snapshotProblem,
  temporaryStore,
} from '../support/fuzz-kit';
import { oneMutated } from '../support/json-mutation';
import { fixtureJson } from '../support/provider-fixtures';

/** Every field name GitHub's wire schemas read (`github-wire.ts`): where mutations are aimed. */
const GITHUB_FIELDS = new Set(
  (
    'id name path state html_url total_count workflows display_title run_number run_attempt status ' +
    'conclusion head_branch head_sha event workflow_id created_at updated_at run_started_at actor ' +
    'triggering_actor login head_commit message author email workflow_runs number started_at ' +
    'completed_at run_id steps jobs type reviewer slug environment wait_timer ' +
    'wait_timer_started_at current_user_can_approve reviewers comment environments user encoding content'
  ).split(' '),
);

const BUILD_YAML = 'name: Build\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n';

type Json = Record<string, unknown>;

/** The spec's payloads, and the same run waiting for a reviewer (so the gate path runs too). */
function payloadVariants(): Json[] {
  const intact = {
    runs: fixtureJson('github', 'workflow-runs-list.json'),
    jobs: fixtureJson('github', 'jobs-list.json'),
    pending: fixtureJson('github', 'pending-deployments.json'),
    approvals: fixtureJson('github', 'environment-approvals.json'),
    workflows: fixtureJson('github', 'workflows-list.json'),
  };
  const waiting = structuredClone(intact) as typeof intact & {
    runs: { workflow_runs: Json[] };
    jobs: { jobs: Json[] };
  };
  Object.assign(waiting.runs.workflow_runs[0]!, { status: 'waiting' });
  Object.assign(waiting.jobs.jobs[0]!, { status: 'waiting', conclusion: null });
  return [intact, waiting];
}

const mutatedPayloads = fc
  .constantFrom(...payloadVariants())
  .chain((payloads) => oneMutated(payloads, { focus: GITHUB_FIELDS }));

function firstRun(runs: unknown): unknown {
  return (runs as { workflow_runs?: unknown[] } | null)?.workflow_runs?.[0];
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('GitHub payloads mutated from the spec examples', () => {
  it('map to a build the model allows, or to a typed error', () => {
    fc.assert(
      fc.property(mutatedPayloads, ({ payloads }) => {
        const outcome = outcomeOf(() => {
          const run = parseWire(workflowRunSchema, firstRun(payloads.runs), 'run');
          return mapRun({
            pipelineExternalId: `octo-org/octo-repo:${run.workflow_id}`,
            run,
            jobs: parseWire(jobsListSchema, payloads.jobs, 'jobs').jobs,
            workflow: parseWorkflowFile(BUILD_YAML),
            pending: parseWire(pendingDeploymentsSchema, payloads.pending, 'pending'),
            approvals: parseWire(environmentApprovalsSchema, payloads.approvals, 'approvals'),
            rememberedGates: [],
          }).build;
        });
        if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
        if (outcome.kind === 'typed-error') expect(outcome.error.kind).toBe('bad-response');
        else expect(buildProblem(outcome.value)).toBeNull();
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('poll into a snapshot the store accepts, or fail the poll with a typed error', async () => {
    const scratch = temporaryStore();
    let withBuilds = 0;
    try {
      await fc.assert(
        fc.asyncProperty(mutatedPayloads, async ({ payloads }) => {
          const stateDirectory = mkdtempSync(join(tmpdir(), 'pipewatch-fuzz-github-'));
          folders.push(stateDirectory);
          const fetch = payloadFetch((url) => {
            const path = url.pathname.replace('/api/v3/repos/octo-org/octo-repo', '');
            if (path === '/actions/workflows') return payloads.workflows;
            if (path === '/actions/runs') return payloads.runs;
            if (/^\/actions\/runs\/[^/]+\/jobs$/.test(path)) return payloads.jobs;
            if (/^\/actions\/runs\/[^/]+\/pending_deployments$/.test(path)) return payloads.pending;
            if (/^\/actions\/runs\/[^/]+\/approvals$/.test(path)) return payloads.approvals;
            if (/^\/actions\/runs\/[^/]+$/.test(path)) return firstRun(payloads.runs);
            if (path.startsWith('/contents/')) {
              return { encoding: 'base64', content: Buffer.from(BUILD_YAML).toString('base64') };
            }
            return undefined;
          });
          const source = createGithubSource({
            name: 'Fuzz',
            baseUrl: 'http://127.0.0.1:9/api/v3',
            options: { repositories: ['octo-org/octo-repo'], runsPerPoll: 20 },
            stateDirectory,
            token: () => 'ghp_fuzz',
            fetch,
          });
          const outcome = await asyncOutcomeOf(() =>
            source.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set() }),
          );
          if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
          if (outcome.kind === 'value') {
            expect(snapshotProblem(outcome.value)).toBeNull();
            scratch.store.applySnapshot(scratch.sourceId, outcome.value, 'fuzz');
            if (outcome.value.builds.length > 0) withBuilds += 1;
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
      // Most mutations leave something readable: a harness that only ever fails proves nothing.
      expect(withBuilds).toBeGreaterThan(FUZZ_RUNS / 10);
    } finally {
      scratch.close();
    }
  });
});

describe('GitHub status words', () => {
  const unknownWord = fc
    .oneof(fc.string(), fc.constantFrom('COMPLETED', 'in progress', 'done', 'error', ' queued'))
    .filter((word) => !(GITHUB_STATUSES as readonly string[]).includes(word));

  it('a status GitHub does not document is unknown, never a guess', () => {
    fc.assert(
      fc.property(unknownWord, fc.option(fc.string()), (status, conclusion) => {
        expect(mapGithubStatus(status, conclusion)).toBe('unknown');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('a conclusion GitHub does not document is unknown, never a guess', () => {
    const unknownConclusion = fc
      .oneof(fc.string(), fc.constantFrom('FAILURE', 'passed', 'errored'))
      .filter((word) => !(GITHUB_CONCLUSIONS as readonly string[]).includes(word));
    fc.assert(
      fc.property(unknownConclusion, (conclusion) => {
        expect(mapGithubStatus('completed', conclusion)).toBe('unknown');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('GitHub workflow files and job graphs', () => {
  const name = fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('build', 'test', 'deploy ${{ matrix.os }}', '${{ inputs.x', 'a (b, c)', '.*'),
  );
  const jobDefinition = fc.record(
    {
      name,
      needs: fc.oneof(name, fc.array(name, { maxLength: 3 }), fc.integer()),
      environment: fc.oneof(name, fc.record({ name })),
      strategy: fc.record({ matrix: fc.jsonValue({ maxDepth: 2 }) }),
      uses: name,
      if: fc.constantFrom('always()', 'failure()', '${{ cancelled() }}', 'success()'),
    },
    { requiredKeys: [] },
  );
  const workflowText = fc.oneof(
    fc
      .dictionary(name, jobDefinition, { maxKeys: 5 })
      .map((jobs) => stringify({ on: 'push', jobs })),
    // A line opening with % is a YAML directive, which the yaml package warns about on stderr.
    fc.string().map((text) => text.replace(/^%/gm, '#')),
    fc.constantFrom('jobs: [1, 2]', 'jobs:\n  a: *anchor', '<<: *x', 'jobs: !!binary abc', ':'),
  );
  const apiJob = fc.record({
    externalId: fc.string({ minLength: 1, maxLength: 4 }),
    name,
    status: fc.constantFrom(...STATUSES),
    startedAt: fc.option(fc.integer({ min: 0, max: 10_000 })),
    finishedAt: fc.option(fc.integer({ min: 0, max: 10_000 })),
  });

  it('any text reads as a workflow or as null, and the graph only links jobs of the run', () => {
    fc.assert(
      fc.property(workflowText, fc.array(apiJob, { maxLength: 8 }), (text, jobs) => {
        const file = parseWorkflowFile(text);
        if (file !== null) {
          for (const job of file.jobs) {
            expect(typeof job.id).toBe('string');
            expect(job.needs.every((need) => typeof need === 'string')).toBe(true);
          }
        }
        const graph = deriveJobGraph(jobs, file);
        const ids = new Set(jobs.map((job) => job.externalId));
        for (const placement of graph.placements.values()) {
          expect(STATUSES).toContain(placement.status);
          for (const need of placement.needs) expect(ids.has(need)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('GitHub rate-limit headers', () => {
  const headerValue = fc.oneof(
    fc.stringMatching(/^[\x20-\x7e]{0,24}$/),
    fc.constantFrom('0', '-1', '1e9', '99999999999999999999', '5000', ' 12 ', ''),
  );
  const headers = fc.record(
    {
      'x-ratelimit-remaining': headerValue,
      'x-ratelimit-limit': headerValue,
      'x-ratelimit-reset': headerValue,
      'retry-after': headerValue,
    },
    { requiredKeys: [] },
  );

  it('whatever the headers say, the budget is whole numbers and the wait lies ahead', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    fc.assert(
      fc.property(
        headers,
        fc.constantFrom(200, 403, 429, 500),
        fc.string(),
        (values, status, body) => {
          const response = new Response(null, { status, headers: values });
          const budget = readRateLimit(response.headers);
          if (budget !== null) {
            expect(Number.isSafeInteger(budget.remaining)).toBe(true);
            expect(Number.isSafeInteger(budget.limit)).toBe(true);
          }
          const retryAt = githubRateLimitReset(response, now, body);
          if (retryAt !== null) {
            expect(Number.isFinite(retryAt)).toBe(true);
            expect(retryAt).toBeGreaterThanOrEqual(now);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('GitHub regressions found by fuzzing', () => {
  it('a rate-limit reset beyond any date leaves the budget unknown instead of failing every request', () => {
    const headers = new Headers({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '99999999999999999999',
    });
    expect(readRateLimit(headers)).toBeNull();
  });

  it('a run numbered 1e308 or 1.5 is an answer Pipewatch cannot read, not a build', () => {
    const run = firstRun(fixtureJson('github', 'workflow-runs-list.json')) as Json;
    for (const runNumber of [1e308, 1.5]) {
      const outcome = outcomeOf(() =>
        parseWire(workflowRunSchema, { ...run, run_number: runNumber }, 'run'),
      );
      expect(outcome.kind).toBe('typed-error');
    }
  });
});
