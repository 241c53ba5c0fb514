import { describe, expect, it } from 'vitest';
import {
  buildkiteRateLimitReset,
  clientBudgetPerMinute,
  minimumIntervalSeconds,
  RequestWindow,
  stepAsideUntil,
} from '../../src/main/sources/buildkite/buildkite-rate-limit';
import {
  buildkiteBuildSchema,
  type BuildkiteBuild,
} from '../../src/main/sources/buildkite/buildkite-wire';
import { toBuildSnapshot, toGateField } from '../../src/main/sources/buildkite/map-buildkite';
import { mapBuildState } from '../../src/main/sources/buildkite/map-buildkite-status';
import type { BuildSnapshot } from '../../src/main/sources/source';
import { fixtureJson } from '../support/provider-fixtures';

type Json = Record<string, unknown>;

const buildFixture = (): Json => fixtureJson<Json>('buildkite', 'build.json');
const scriptJob = (): Json => (buildFixture().jobs as Json[])[0] as Json;
const listedJob = (): Json =>
  (fixtureJson<Json>('buildkite', 'jobs-list.json').items as Json[])[0] as Json;
const blockJob = (): Json => fixtureJson<Json>('buildkite', 'job-unblock-response.json');
const triggerJob = (): Json => fixtureJson<Json>('buildkite', 'build-trigger-job.json');

/** build.json with its jobs (and any field) replaced, as a variant of the real payload. */
function buildWith(changes: Json): BuildkiteBuild {
  return buildkiteBuildSchema.parse({ ...buildFixture(), ...changes });
}

/** A job of jobs-list.json under another id and name, in another state. */
function job(id: string, name: string, state: string, extra: Json = {}): Json {
  return { ...listedJob(), id, name, step_key: id, state, ...extra };
}

const waiter = (id: string): Json => ({ id, type: 'waiter', state: null });

function stageTable(build: BuildSnapshot) {
  return build.stages.map((stage) => [stage.name, stage.status, stage.needs.join(',')]);
}

describe('Buildkite builds from the docs examples', () => {
  it('maps "Get a build": build 2 passed, one RSpec stage with a log', () => {
    const build = toBuildSnapshot('my-pipeline', buildWith({}));
    expect(build).toMatchObject({
      pipelineExternalId: 'my-pipeline',
      externalId: '2',
      number: 2,
      status: 'success',
      branch: 'main',
      commitSha: 'abcd0b72a1e580e90712cdd9eb26d3fb41cd09c8',
      commitMessage: 'Bumping to version 0.2-beta.6',
      author: 'Keith Pitt',
      trigger: 'webhook',
      createdAt: '2015-05-09T21:05:59.874Z',
      finishedAt: '2015-05-09T21:08:59.874Z',
      webUrl: 'https://buildkite.com/my-great-org/my-pipeline/builds/2',
    });
    expect(build.stages).toEqual([
      expect.objectContaining({
        externalId: 'b63254c0-3271-4a98-8270-7cfbd6c2f14e',
        name: 'RSpec',
        status: 'success',
        needs: [],
        hasLog: true,
        isGate: false,
        startedAt: '2015-05-09T21:07:59.874Z',
      }),
    ]);
    expect(build.gates).toEqual([]);
  });

  it('shows a trigger step with the triggered build’s page and number', () => {
    const build = toBuildSnapshot('my-pipeline', buildWith({ jobs: [triggerJob()] }));
    expect(build.stages[0]).toMatchObject({
      name: 'Deploy to production',
      status: 'success',
      webUrl: 'https://buildkite.com/my-great-org/deploy-pipeline/builds/15',
      hasLog: false,
    });
    expect(build.stages[0]?.steps.map((step) => [step.name, step.status])).toEqual([
      ['Triggered deploy-pipeline #15', 'success'],
    ]);
  });

  it('shows the unblocked block step of the docs as an approved gate', () => {
    const build = toBuildSnapshot('my-pipeline', buildWith({ jobs: [scriptJob(), blockJob()] }));
    expect(build.stages[1]).toMatchObject({ name: 'Deploy', isGate: true, status: 'success' });
    expect(build.gates).toEqual([
      expect.objectContaining({
        externalId: 'ded35de2-7de0-4da8-8daa-b4ce0b7f1064',
        stageExternalId: 'ded35de2-7de0-4da8-8daa-b4ce0b7f1064',
        state: 'approved',
        decidedBy: 'Liam Neeson',
        decidedAt: '2015-05-09T21:06:10.264Z',
      }),
    ]);
  });
});

describe('a blocked build', () => {
  // The docs have no whole blocked build: build.json with a block step (the unblock response's
  // job put back in state "blocked") and `blocked: true`, its `state` left at "passed".
  const blocked = buildWith({
    blocked: true,
    state: 'passed',
    jobs: [
      scriptJob(),
      waiter('w1'),
      {
        ...blockJob(),
        state: 'blocked',
        unblocked_by: null,
        unblocked_at: null,
        unblockable: true,
      },
      job('deploy', 'Deploy to production', 'waiting', { started_at: null, finished_at: null }),
    ],
  });

  it('is waiting for a person, not passed (as Buildkite’s own UI would show it)', () => {
    const build = toBuildSnapshot('my-pipeline', blocked);
    expect(build.status).toBe('waiting');
    expect(build.finishedAt).toBeNull();
    expect(stageTable(build)).toEqual([
      ['RSpec', 'success', ''],
      ['Deploy', 'waiting', 'b63254c0-3271-4a98-8270-7cfbd6c2f14e'],
      ['Deploy to production', 'queued', 'ded35de2-7de0-4da8-8daa-b4ce0b7f1064'],
    ]);
  });

  it('has a waiting gate that may be decided, saying what reject does', () => {
    const [gate] = toBuildSnapshot('my-pipeline', blocked).gates;
    expect(gate).toMatchObject({ name: 'Deploy', state: 'waiting', canDecide: true, fields: [] });
    expect(gate?.detail).toContain('reject cancels build #2');
  });

  it('says "not yet" rather than "not you" while Buildkite does not let it be unblocked', () => {
    const notYet = buildWith({
      blocked: true,
      jobs: [{ ...blockJob(), state: 'blocked', unblockable: false, unblocked_by: null }],
    });
    const [gate] = toBuildSnapshot('my-pipeline', notYet).gates;
    expect(gate?.canDecide).toBeNull();
    expect(gate?.detail).toContain('cannot be unblocked yet');
  });

  it('has no gate yet while the block step has not been reached', () => {
    const early = buildWith({
      state: 'running',
      jobs: [job('a', 'Build', 'running'), { ...blockJob(), state: 'waiting' }],
    });
    const build = toBuildSnapshot('my-pipeline', early);
    expect(build.stages[1]).toMatchObject({ isGate: true, status: 'queued' });
    expect(build.gates).toEqual([]);
  });
});

describe('the graph from waiters', () => {
  it('makes a job after a wait step need every job of the group before it', () => {
    const build = toBuildSnapshot(
      'my-pipeline',
      buildWith({
        jobs: [
          job('lint', 'Lint', 'passed'),
          job('test', 'Test', 'passed'),
          waiter('w1'),
          waiter('w2'),
          job('package', 'Package', 'passed'),
          job('docs', 'Docs', 'passed'),
          waiter('w3'),
          job('publish', 'Publish', 'passed'),
        ],
      }),
    );
    expect(stageTable(build)).toEqual([
      ['Lint', 'success', ''],
      ['Test', 'success', ''],
      ['Package', 'success', 'lint,test'],
      ['Docs', 'success', 'lint,test'],
      ['Publish', 'success', 'package,docs'],
    ]);
    expect(build.stages.map((stage) => stage.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it('shows jobs that will not run after a failure as blocked', () => {
    const build = toBuildSnapshot(
      'my-pipeline',
      buildWith({
        state: 'failed',
        jobs: [
          job('test', 'Test', 'failed', { exit_status: 1 }),
          waiter('w1'),
          job('package', 'Package', 'broken'),
          job('deploy', 'Deploy', 'waiting_failed'),
        ],
      }),
    );
    expect(build.status).toBe('failed');
    expect(stageTable(build).map(([name, status]) => [name, status])).toEqual([
      ['Test', 'failed'],
      ['Package', 'blocked'],
      ['Deploy', 'blocked'],
    ]);
  });

  it('shows a job skipped by its condition as skipped, and keeps only the newest retry', () => {
    const build = toBuildSnapshot(
      'my-pipeline',
      buildWith({
        jobs: [
          job('first', 'Flaky', 'failed', { retried: true, retried_in_job_id: 'second' }),
          job('second', 'Flaky', 'passed'),
          job('docs', 'Docs', 'broken'),
          job('shard-1', 'Shard', 'passed', { parallel_group_index: 0, parallel_group_total: 2 }),
        ],
      }),
    );
    expect(stageTable(build).map(([name, status]) => [name, status])).toEqual([
      ['Flaky', 'success'],
      ['Docs', 'skipped'],
      ['Shard (1/2)', 'success'],
    ]);
  });

  it('reads an unknown job state as unknown and skips a job without an id', () => {
    const build = toBuildSnapshot(
      'my-pipeline',
      buildWith({ jobs: [job('x', 'New', 'teleporting'), { type: 'script', name: 'no id' }] }),
    );
    expect(stageTable(build)).toEqual([['New', 'unknown', '']]);
  });
});

describe('block-step fields', () => {
  it('turns pipeline.yml fields into form inputs (the REST docs show none on a job)', () => {
    // The shape of a block step's `fields` in pipeline.yml (buildkite.com/docs/pipelines/block-step).
    expect(
      toGateField({
        text: 'Release name',
        key: 'release-name',
        hint: 'e.g. v1.2',
        required: false,
      }),
    ).toEqual({
      name: 'release-name',
      label: 'Release name',
      kind: 'text',
      required: false,
      options: [],
      defaultValue: null,
      hint: 'e.g. v1.2',
    });
    expect(
      toGateField({
        select: 'Region',
        key: 'region',
        default: 'eu',
        options: [
          { label: 'Europe', value: 'eu' },
          { label: 'US', value: 'us' },
        ],
      }),
    ).toMatchObject({ kind: 'select', required: true, options: ['eu', 'us'], defaultValue: 'eu' });
  });
});

describe('build states', () => {
  it('never calls a blocked build passed', () => {
    expect(mapBuildState('passed', true)).toBe('waiting');
    expect(mapBuildState('passed', false)).toBe('success');
    expect(mapBuildState('failing', false)).toBe('running');
    expect(mapBuildState('other', false)).toBe('unknown');
  });
});

describe("Buildkite's shared rate limit", () => {
  const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);

  it('reads RateLimit-Reset as seconds until the reset, not as a timestamp', () => {
    const response = new Response(null, {
      status: 429,
      headers: { 'RateLimit-Remaining': '0', 'RateLimit-Limit': '200', 'RateLimit-Reset': '42' },
    });
    expect(buildkiteRateLimitReset(response, NOW)).toBe(NOW + 42_000);
  });

  it('waits for the later of the organization’s and the user’s reset', () => {
    const response = new Response(null, {
      status: 429,
      headers: { 'RateLimit-Reset': '10', 'RateLimit-User-Reset': '30' },
    });
    expect(buildkiteRateLimitReset(response, NOW)).toBe(NOW + 30_000);
  });

  it('does not take a 403 with budget left for a rate limit', () => {
    const response = new Response(null, {
      status: 403,
      headers: { 'RateLimit-Remaining': '150', 'RateLimit-Reset': '42' },
    });
    expect(buildkiteRateLimitReset(response, NOW)).toBeNull();
  });

  it('keeps a desktop to 10 % of 200 a minute: three pipelines poll at most every 9 s', () => {
    expect(clientBudgetPerMinute(200, 0.1)).toBe(20);
    expect(minimumIntervalSeconds(3, 20)).toBe(9);
    expect(minimumIntervalSeconds(1, 20)).toBe(3);
  });

  it('steps aside when the organization has no more than its share left', () => {
    const resetAt = new Date(NOW + 30_000).toISOString();
    expect(stepAsideUntil({ remaining: 20, limit: 200, resetAt }, 0.1, NOW)).toBe(NOW + 30_000);
    expect(stepAsideUntil({ remaining: 21, limit: 200, resetAt }, 0.1, NOW)).toBeNull();
    expect(stepAsideUntil({ remaining: 0, limit: 200, resetAt }, 0.1, NOW + 31_000)).toBeNull();
  });

  it('counts its own requests over a sliding minute', () => {
    const window = new RequestWindow(2);
    window.record(NOW);
    expect(window.fullUntil(NOW + 1000)).toBeNull();
    window.record(NOW + 1000);
    expect(window.fullUntil(NOW + 2000)).toBe(NOW + 60_000);
    expect(window.fullUntil(NOW + 60_000)).toBeNull();
  });
});
