import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBuildkiteSource } from '../../src/main/sources/buildkite/buildkite-source';
import { buildkiteOptionsSchema } from '../../src/main/sources/buildkite/buildkite-options';
import { createCircleciSource } from '../../src/main/sources/circleci/circleci-source';
import { circleciOptionsSchema } from '../../src/main/sources/circleci/circleci-options';
import type { CiSource } from '../../src/main/sources/source';
import {
  asyncOutcomeOf,
  describeFailure,
  FUZZ_RUNS,
  payloadFetch,
  snapshotProblem,
  temporaryStore,
} from '../support/fuzz-kit';
import { oneMutated } from '../support/json-mutation';
import { fixtureJson } from '../support/provider-fixtures';
import { jobItem, page, pipelineItem, uuid, workflowItem } from './circleci-payloads';

/**
 * Buildkite and CircleCI, fuzzed at their adapter's edge: each poll reads payloads mutated from
 * the real examples (Buildkite's docs; CircleCI's schemas, which are all it publishes) and must
 * answer a snapshot the store accepts, or fail with a typed SourceError.
 */

/** Polls once; answers how many builds the poll reported (0 after a typed error). */
async function pollOnce(
  source: CiSource,
  scratch: ReturnType<typeof temporaryStore>,
): Promise<number> {
  const outcome = await asyncOutcomeOf(() =>
    source.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set() }),
  );
  if (outcome.kind === 'untyped-error') throw new Error(describeFailure(outcome.error));
  if (outcome.kind === 'value') {
    expect(snapshotProblem(outcome.value)).toBeNull();
    scratch.store.applySnapshot(scratch.sourceId, outcome.value, 'fuzz');
    return outcome.value.builds.length;
  }
  return 0;
}

const BUILDKITE_FIELDS = new Set(
  (
    'id number state blocked branch commit message author name email creator source web_url ' +
    'created_at scheduled_at started_at finished_at pipeline slug jobs type label step_key ' +
    'depends_on step unblocked_by unblocked_at fields key text select options hint required ' +
    'default value retried retried_in_job_id exit_status soft_failed raw_log_url async ' +
    'triggered_build'
  ).split(' '),
);

describe('Buildkite builds mutated from the docs examples', () => {
  /** The docs' build, with the docs' trigger job added to its jobs. */
  const build = fixtureJson<{ jobs?: unknown[] }>('buildkite', 'build.json');
  const payloads = {
    builds: [
      {
        ...build,
        jobs: [...(build.jobs ?? []), fixtureJson('buildkite', 'build-trigger-job.json')],
      },
    ],
  };

  it('poll into a snapshot the store accepts, or fail the poll with a typed error', async () => {
    const scratch = temporaryStore();
    let withBuilds = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          oneMutated(payloads, { focus: BUILDKITE_FIELDS }),
          async ({ payloads: mutated }) => {
            const fetch = payloadFetch((url) =>
              /\/pipelines\/[^/]+\/builds$/.test(url.pathname) ? mutated.builds : undefined,
            );
            const source = createBuildkiteSource({
              baseUrl: 'http://127.0.0.1:9/v2',
              options: buildkiteOptionsSchema.parse({
                organization: 'acme',
                pipelines: ['catalog'],
              }),
              token: () => 'bkua_fuzz',
              fetch,
            });
            if ((await pollOnce(source, scratch)) > 0) withBuilds += 1;
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
      // Most mutations leave something readable: a harness that only ever fails proves nothing.
      expect(withBuilds).toBeGreaterThan(FUZZ_RUNS / 10);
    } finally {
      scratch.close();
    }
  });
});

const CIRCLECI_FIELDS = new Set(
  (
    'items next_page_token id number state created_at updated_at trigger type actor login vcs ' +
    'branch tag revision commit subject errors message name status pipeline_id pipeline_number ' +
    'stopped_at project_slug job_number dependencies started_at approval_request_id'
  ).split(' '),
);

describe('CircleCI answers mutated from the published schemas', () => {
  const SLUG = 'gh/acme/catalog';
  const pipelineId = uuid('pipeline');
  const workflowId = uuid('workflow');
  const job = (name: string, type: string, status: string, needs: string[]) =>
    jobItem({ id: uuid(name), name, type, status, dependencies: needs.map(uuid) });
  const payloads = {
    pipelines: page([pipelineItem({ id: pipelineId, project_slug: SLUG })]),
    workflows: page([
      workflowItem({
        id: workflowId,
        pipeline_id: pipelineId,
        project_slug: SLUG,
        status: 'on_hold',
      }),
    ]),
    jobs: page([
      job('build', 'build', 'success', []),
      { ...job('hold', 'approval', 'on_hold', ['build']), approval_request_id: uuid('hold') },
      job('deploy', 'build', 'blocked', ['hold']),
    ]),
  };

  it('poll into a snapshot the store accepts, or fail the poll with a typed error', async () => {
    const scratch = temporaryStore();
    let withBuilds = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          oneMutated(payloads, { focus: CIRCLECI_FIELDS }),
          async ({ payloads: mutated }) => {
            const fetch = payloadFetch((url) => {
              const path = url.pathname.replace('/api/v2', '');
              if (path === `/project/${SLUG}/pipeline`) return mutated.pipelines;
              if (/^\/pipeline\/[^/]+\/workflow$/.test(path)) return mutated.workflows;
              if (/^\/workflow\/[^/]+\/job$/.test(path)) return mutated.jobs;
              return undefined;
            });
            const source = createCircleciSource({
              baseUrl: 'http://127.0.0.1:9/api/v2',
              options: circleciOptionsSchema.parse({ projects: [SLUG] }),
              token: () => 'circle-fuzz-token',
              fetch,
            });
            if ((await pollOnce(source, scratch)) > 0) withBuilds += 1;
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
      // Most mutations leave something readable: a harness that only ever fails proves nothing.
      expect(withBuilds).toBeGreaterThan(FUZZ_RUNS / 10);
    } finally {
      scratch.close();
    }
  });
});
