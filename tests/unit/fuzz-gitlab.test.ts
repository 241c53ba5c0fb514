import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGitlabSource } from '../../src/main/sources/gitlab/gitlab-source';
import { gitlabOptionsSchema } from '../../src/main/sources/gitlab/gitlab-options';
import {
  gitlabRateLimitReset,
  readGitlabBudget,
} from '../../src/main/sources/gitlab/gitlab-rate-limit';
import { toPipelineGraph } from '../../src/main/sources/gitlab/gitlab-graphql';
import {
  gitlabDeploymentListSchema,
  gitlabGraphAnswerSchema,
  gitlabJobListSchema,
  gitlabPipelineSchema,
  parseWire,
} from '../../src/main/sources/gitlab/gitlab-wire';
import { mapBuild } from '../../src/main/sources/gitlab/map-build';
import {
  GITLAB_STATUSES,
  mapJobStatus,
  mapPipelineStatus,
} from '../../src/main/sources/gitlab/map-status';
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
import { deployJobs, graphAnswer, pipelineOf } from '../contract/gitlab-fake';
import {
  blockedDeployment,
  pipelineJobsFixture,
  pipelineListFixture,
  projectLike,
} from './gitlab-fixtures';

/** Every field name GitLab's wire schemas read (`gitlab-wire.ts`): where mutations are aimed. */
const GITLAB_FIELDS = new Set(
  (
    'id iid username name name_with_namespace path_with_namespace web_url status source ref sha ' +
    'created_at updated_at user started_at finished_at title message author_name stage ' +
    'allow_failure failure_reason commit pipeline downstream_pipeline comment user_id group_id ' +
    'access_level access_level_description required_approvals deployment_approvals environment ' +
    'deployable approvals pending_approval_count approval_summary rules data project stages nodes ' +
    'jobs schedulingType manualJob needs errors'
  ).split(' '),
);

/** Pipeline 48 of the docs' list, in full, with its jobs: a quiet one and one at a manual gate. */
function payloadVariants(): Array<Record<string, unknown>> {
  const quiet = {
    project: projectLike(),
    pipelines: pipelineListFixture(),
    pipeline: pipelineOf(47),
    jobs: pipelineJobsFixture(),
    bridges: [],
    graph: graphAnswer(),
    deployments: [],
  };
  const gated = {
    ...quiet,
    pipeline: { ...pipelineOf(48), status: 'manual' },
    jobs: deployJobs(),
    deployments: [blockedDeployment(8)],
  };
  return [quiet, gated];
}

const mutatedPayloads = fc
  .constantFrom(...payloadVariants())
  .chain((payloads) => oneMutated(payloads, { focus: GITLAB_FIELDS }));

describe('GitLab payloads mutated from the docs examples', () => {
  it('map to a build the model allows, or to a typed error', () => {
    fc.assert(
      fc.property(mutatedPayloads, ({ payloads }) => {
        const outcome = outcomeOf(() => {
          const pipeline = parseWire(gitlabPipelineSchema, payloads.pipeline, 'pipeline');
          const jobs = parseWire(gitlabJobListSchema, payloads.jobs, 'jobs');
          const bridges = parseWire(gitlabJobListSchema, payloads.bridges, 'bridges');
          const answer = parseWire(gitlabGraphAnswerSchema, payloads.graph, 'graph');
          const deployments = parseWire(gitlabDeploymentListSchema, payloads.deployments, 'd');
          const result = toPipelineGraph(answer);
          return mapBuild(
            {
              watched: { externalId: '21', project: projectLike(), ref: null },
              pipeline,
              jobs,
              bridges,
              graph: result.graph,
            },
            {
              deployments: new Map(
                deployments.flatMap((deployment) =>
                  deployment.deployable
                    ? [[deployment.deployable.id, { deployment, stillBlocked: true }] as const]
                    : [],
                ),
              ),
              manualJobIds: new Set(jobs.filter((job) => job.status === 'manual').map((j) => j.id)),
              superseded: new Map(),
            },
          );
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
          const fetch = payloadFetch((url, init) => {
            const path = url.pathname;
            if (init?.method === 'POST' && path === '/api/graphql') return payloads.graph;
            if (path === '/api/v4/projects/test-group%2Ftest-project') return payloads.project;
            const rest = /^\/api\/v4\/projects\/[^/]+(\/.*)$/.exec(path)?.[1] ?? '';
            if (rest === '/pipelines') return payloads.pipelines;
            if (/^\/pipelines\/[^/]+$/.test(rest)) return payloads.pipeline;
            if (/^\/pipelines\/[^/]+\/jobs$/.test(rest)) return payloads.jobs;
            if (/^\/pipelines\/[^/]+\/bridges$/.test(rest)) return payloads.bridges;
            if (rest === '/deployments') return payloads.deployments;
            return undefined;
          });
          const source = createGitlabSource({
            options: gitlabOptionsSchema.parse({ projects: ['test-group/test-project'] }),
            baseUrl: 'http://127.0.0.1:9',
            token: () => 'glpat-fuzz',
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

describe('GitLab status words', () => {
  it('a status GitLab does not document is unknown, for pipelines and jobs alike', () => {
    const unknownWord = fc
      .oneof(fc.string(), fc.constantFrom('SUCCESS', 'cancelled', 'passed', 'manual ', 'blocked'))
      .filter((word) => !(GITLAB_STATUSES as readonly string[]).includes(word));
    fc.assert(
      fc.property(unknownWord, (word) => {
        expect(mapPipelineStatus(word)).toBe('unknown');
        expect(mapJobStatus(word)).toBe('unknown');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('GitLab rate-limit headers', () => {
  const headerValue = fc.oneof(
    fc.stringMatching(/^[\x20-\x7e]{0,24}$/),
    fc.constantFrom('0', '-1', '99999999999999999999', '600', 'Wed, 21 Oct 2015 07:28:00 GMT'),
  );
  const headers = fc.record(
    {
      'ratelimit-limit': headerValue,
      'ratelimit-remaining': headerValue,
      'ratelimit-reset': headerValue,
      'ratelimit-resettime': headerValue,
    },
    { requiredKeys: [] },
  );

  it('whatever the headers say, the budget is whole numbers and the wait lies ahead', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    fc.assert(
      fc.property(headers, fc.constantFrom(200, 429, 503), (values, status) => {
        const response = new Response(null, { status, headers: values });
        const budget = readGitlabBudget(response.headers);
        if (budget !== null) {
          expect(Number.isSafeInteger(budget.remaining)).toBe(true);
          expect(Number.isNaN(Date.parse(budget.resetAt))).toBe(false);
        }
        const retryAt = gitlabRateLimitReset(response, now);
        if (retryAt !== null) expect(retryAt).toBeGreaterThanOrEqual(now);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('a reset beyond any date leaves the budget unknown instead of failing every request', () => {
    const headers = new Headers({
      'ratelimit-limit': '600',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '99999999999999999999',
    });
    expect(readGitlabBudget(headers)).toBeNull();
  });
});
