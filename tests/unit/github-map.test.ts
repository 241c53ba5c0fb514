import { describe, expect, it } from 'vitest';
import {
  GITHUB_CONCLUSIONS,
  GITHUB_STATUSES,
  mapGithubConclusion,
  mapGithubStatus,
} from '../../src/main/sources/github/map-status';
import { mapRun, type RunMappingInput } from '../../src/main/sources/github/map-run';
import { parseWorkflowFile } from '../../src/main/sources/github/workflow-file';
import {
  environmentApprovalsSchema,
  jobSchema,
  jobsListSchema,
  parseWire,
  pendingDeploymentsSchema,
  workflowRunSchema,
  type GithubJob,
  type GithubWorkflowRun,
} from '../../src/main/sources/github/github-wire';
import { SourceError } from '../../src/main/sources/source';
import { fixtureJson } from '../support/provider-fixtures';

/** The spec's example run, with the fields a test cares about changed. */
function runOf(overrides: Partial<Record<keyof GithubWorkflowRun, unknown>> = {}) {
  return workflowRunSchema.parse({
    ...fixtureJson<object>('github', 'workflow-run.json'),
    ...overrides,
  });
}

/** The spec's example job ("build", ten successful steps), renamed and re-stated as needed. */
function jobOf(overrides: Partial<Record<keyof GithubJob, unknown>> = {}): GithubJob {
  return jobSchema.parse({ ...fixtureJson<object>('github', 'job.json'), ...overrides });
}

function mapped(input: Partial<RunMappingInput> & { run: GithubWorkflowRun }) {
  return mapRun({
    pipelineExternalId: 'octo-org/octo-repo:159038',
    jobs: [],
    workflow: null,
    pending: [],
    approvals: [],
    rememberedGates: [],
    ...input,
  });
}

const pendingFixture = () =>
  parseWire(pendingDeploymentsSchema, fixtureJson('github', 'pending-deployments.json'), 'test');

describe('a GitHub workflow run as a build', () => {
  it('run 562 of the spec example shows its number, commit, author, trigger and link', () => {
    const jobs = parseWire(jobsListSchema, fixtureJson('github', 'jobs-list.json'), 'test').jobs;
    const { build } = mapped({ run: runOf(), jobs });

    expect(build).toMatchObject({
      externalId: '30433642',
      number: 562,
      attempt: 1,
      status: 'queued',
      branch: 'main',
      commitSha: 'acb5820ced9479c074f688cc328bf03f341a511d',
      commitMessage: 'Create linter.yaml',
      author: 'Octo Cat',
      trigger: 'push by octocat',
      createdAt: '2020-01-22T19:33:08.000Z',
      // Queued: GitHub fills run_started_at already, but nothing has started.
      startedAt: null,
      finishedAt: null,
      webUrl: 'https://github.com/octo-org/octo-repo/actions/runs/30433642',
    });
  });

  it('the job "build" is one stage with its ten steps, step times in UTC, and a whole-job log', () => {
    const jobs = parseWire(jobsListSchema, fixtureJson('github', 'jobs-list.json'), 'test').jobs;
    const { build } = mapped({ run: runOf(), jobs });

    expect(build.stages).toHaveLength(1);
    const stage = build.stages[0]!;
    expect(stage).toMatchObject({
      externalId: '399444496',
      name: 'build',
      status: 'success',
      startedAt: '2020-01-20T17:42:40.000Z',
      finishedAt: '2020-01-20T17:44:39.000Z',
      webUrl: 'https://github.com/octo-org/octo-repo/runs/29679449/jobs/399444496',
      isGate: false,
      needs: [],
      hasLog: true,
    });
    expect(stage.steps.map((step) => step.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 16, 17]);
    expect(stage.steps[0]).toEqual({
      externalId: '1',
      number: 1,
      name: 'Set up job',
      status: 'success',
      startedAt: '2020-01-20T17:42:40.000Z',
      finishedAt: '2020-01-20T17:42:41.000Z',
      hasLog: false,
    });
  });

  it('a completed run ends when its last job ended (runs have no completed_at)', () => {
    const { build } = mapped({
      run: runOf({
        status: 'completed',
        conclusion: 'success',
        updated_at: '2020-01-22T20:00:00Z',
      }),
      jobs: [jobOf()],
    });
    expect(build.status).toBe('success');
    expect(build.finishedAt).toBe('2020-01-20T17:44:39.000Z');
  });

  it('a second attempt keeps the run number and says attempt 2', () => {
    const { build } = mapped({ run: runOf({ run_attempt: 2 }) });
    expect(build.number).toBe(562);
    expect(build.attempt).toBe(2);
  });

  it('a payload without run_number is a bad response naming the field, not a crash', () => {
    const broken = { ...fixtureJson<object>('github', 'workflow-run.json'), run_number: 'x' };
    expect(() => parseWire(workflowRunSchema, broken, 'GET /runs/1')).toThrow(SourceError);
    expect(() => parseWire(workflowRunSchema, broken, 'GET /runs/1')).toThrow(
      /GET \/runs\/1: run_number/,
    );
  });
});

describe("GitHub's statuses in Pipewatch's vocabulary", () => {
  it.each([
    ['queued', null, 'queued'],
    ['requested', null, 'queued'],
    ['pending', null, 'queued'],
    ['in_progress', null, 'running'],
    ['waiting', null, 'waiting'],
    ['completed', 'success', 'success'],
    ['completed', 'failure', 'failed'],
    ['completed', 'timed_out', 'failed'],
    ['completed', 'startup_failure', 'failed'],
    ['completed', 'cancelled', 'cancelled'],
    ['completed', 'stale', 'cancelled'],
    ['completed', 'skipped', 'skipped'],
    ['completed', 'neutral', 'skipped'],
    ['completed', 'action_required', 'waiting'],
    ['completed', null, 'unknown'],
    ['completed', 'something_new', 'unknown'],
    ['something_new', null, 'unknown'],
    [null, null, 'unknown'],
  ])('status %s with conclusion %s is %s', (status, conclusion, expected) => {
    expect(mapGithubStatus(status, conclusion)).toBe(expected);
  });

  it('every documented status and conclusion has a mapping other than unknown', () => {
    for (const status of GITHUB_STATUSES.filter((value) => value !== 'completed')) {
      expect(mapGithubStatus(status, null)).not.toBe('unknown');
    }
    for (const conclusion of GITHUB_CONCLUSIONS) {
      expect(mapGithubConclusion(conclusion)).not.toBe('unknown');
    }
  });
});

const PIPELINE_YAML = `
name: Catalog
on: [push]
jobs:
  compile:
    runs-on: ubuntu-latest
  test:
    name: Test on \${{ matrix.os }}
    needs: compile
    strategy:
      matrix:
        os: [ubuntu, windows]
  build:
    needs: [compile]
    strategy:
      matrix:
        os: [ubuntu]
        node: [18]
  deploy:
    needs: [test, build]
    uses: ./.github/workflows/deploy.yml
  notify:
    needs: deploy
    if: \${{ always() }}
`;

describe('the graph of a run from its workflow file', () => {
  const file = parseWorkflowFile(PIPELINE_YAML);
  const job = (id: number, name: string, conclusion = 'success') =>
    jobOf({ id, name, status: 'completed', conclusion });

  it('matches matrix legs, named matrix jobs and reusable-workflow jobs to their needs', () => {
    const { build, graphBasis } = mapped({
      run: runOf({ status: 'completed', conclusion: 'success' }),
      workflow: file,
      jobs: [
        job(1, 'compile'),
        job(2, 'Test on ubuntu'),
        job(3, 'Test on windows'),
        job(4, 'build (ubuntu, 18)'),
        job(5, 'deploy / release'),
        job(6, 'deploy / smoke-test'),
        job(7, 'notify'),
      ],
    });
    expect(graphBasis).toBe('workflow');
    const needs = Object.fromEntries(build.stages.map((stage) => [stage.name, stage.needs]));
    expect(needs).toEqual({
      compile: [],
      'Test on ubuntu': ['1'],
      'Test on windows': ['1'],
      'build (ubuntu, 18)': ['1'],
      'deploy / release': ['2', '3', '4'],
      'deploy / smoke-test': ['2', '3', '4'],
      notify: ['5', '6'],
    });
    expect(build.stages.map((stage) => stage.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a failed test leaves the jobs after it blocked, not skipped', () => {
    const { build } = mapped({
      run: runOf({ status: 'completed', conclusion: 'failure' }),
      workflow: file,
      jobs: [
        job(1, 'compile'),
        job(2, 'Test on ubuntu', 'failure'),
        job(3, 'Test on windows'),
        job(4, 'build (ubuntu, 18)'),
        job(5, 'deploy', 'skipped'),
        jobOf({ id: 7, name: 'notify', status: 'completed', conclusion: 'skipped' }),
      ],
    });
    const statuses = Object.fromEntries(build.stages.map((stage) => [stage.name, stage.status]));
    expect(statuses).toEqual({
      compile: 'success',
      'Test on ubuntu': 'failed',
      'Test on windows': 'success',
      'build (ubuntu, 18)': 'success',
      deploy: 'blocked',
      notify: 'blocked',
    });
    expect(build.status).toBe('failed');
  });

  it('a queued job that runs after failures (if: always()) is not called blocked', () => {
    const { build } = mapped({
      run: runOf({ status: 'in_progress', conclusion: null }),
      workflow: file,
      jobs: [
        job(1, 'compile', 'failure'),
        jobOf({ id: 7, name: 'notify', status: 'queued', conclusion: null }),
      ],
    });
    expect(build.stages.find((stage) => stage.name === 'notify')?.status).toBe('queued');
  });

  it('without a readable file, jobs are ordered by start time and overlapping ones sit side by side', () => {
    const timed = (id: number, name: string, start: string, end: string | null) =>
      jobOf({
        id,
        name,
        status: end ? 'completed' : 'in_progress',
        conclusion: end ? 'success' : null,
        started_at: start,
        completed_at: end,
      });
    const { build, graphBasis } = mapped({
      run: runOf({ status: 'in_progress', conclusion: null }),
      workflow: parseWorkflowFile('jobs: [not, a, mapping'),
      jobs: [
        timed(3, 'lint', '2020-01-20T17:45:05Z', '2020-01-20T17:46:00Z'),
        timed(1, 'compile', '2020-01-20T17:40:00Z', '2020-01-20T17:45:00Z'),
        timed(2, 'unit', '2020-01-20T17:45:10Z', null),
        jobOf({ id: 4, name: 'deploy', status: 'queued', conclusion: null }),
      ],
    });
    expect(graphBasis).toBe('timing');
    const needs = Object.fromEntries(build.stages.map((stage) => [stage.name, stage.needs]));
    expect(needs).toEqual({ compile: [], lint: ['1'], unit: ['1'], deploy: ['3', '2'] });
    expect(build.stages.map((stage) => stage.name)).toEqual(['compile', 'lint', 'unit', 'deploy']);
  });

  it('a file whose jobs match none of the API names falls back to timing', () => {
    const { graphBasis } = mapped({
      run: runOf(),
      workflow: parseWorkflowFile('jobs:\n  other:\n    runs-on: x\n'),
      jobs: [jobOf()],
    });
    expect(graphBasis).toBe('timing');
  });
});

describe('environments waiting for review as gates', () => {
  const waitingRun = () => runOf({ status: 'waiting', conclusion: null });
  const deployJob = () =>
    jobOf({ id: 9, name: 'deploy-staging', status: 'waiting', conclusion: null, steps: [] });

  it('the pending staging deployment is a gate on the waiting job, with reviewers and a deadline', () => {
    const { build } = mapped({
      run: waitingRun(),
      jobs: [jobOf(), deployJob()],
      pending: pendingFixture(),
    });

    expect(build.status).toBe('waiting');
    expect(build.gates).toEqual([
      {
        externalId: '161088068',
        stageExternalId: '9',
        name: 'staging',
        environment: 'staging',
        state: 'waiting',
        canDecide: true,
        approvers: ['octocat', 'Justice League (team)'],
        waitingSince: '2020-11-23T22:00:40.000Z',
        // GitHub fails a run waiting longer than 30 days after it was created.
        expiresAt: '2020-02-21T19:33:08.000Z',
        decidedBy: null,
        decidedAt: null,
        comment: null,
        fields: [],
        detail:
          'Required reviewers: octocat, Justice League (team). A wait timer of 30 minutes also applies.',
      },
    ]);
    const gateStage = build.stages.find((stage) => stage.externalId === '9');
    expect(gateStage).toMatchObject({ isGate: true, status: 'waiting', startedAt: null });
  });

  it('a job whose workflow entry names the environment gets the gate even when several jobs wait', () => {
    const file = parseWorkflowFile(
      'jobs:\n  a:\n    environment: qa\n  b:\n    environment:\n      name: staging\n',
    );
    const { build } = mapped({
      run: waitingRun(),
      workflow: file,
      jobs: [
        jobOf({ id: 1, name: 'a', status: 'waiting', conclusion: null }),
        jobOf({ id: 2, name: 'b', status: 'waiting', conclusion: null }),
      ],
      pending: pendingFixture(),
    });
    expect(build.gates[0]?.stageExternalId).toBe('2');
  });

  it('a reviewer who may not approve sees canDecide false and why', () => {
    const pending = pendingFixture().map((item) => ({ ...item, current_user_can_approve: false }));
    const { build } = mapped({ run: waitingRun(), jobs: [deployJob()], pending });
    expect(build.gates[0]?.canDecide).toBe(false);
    expect(build.gates[0]?.detail).toContain("The token's user is not one of them.");
  });

  it('once approved, the gate shows who approved with their comment, and keeps its reviewers', () => {
    const waiting = mapped({ run: waitingRun(), jobs: [deployJob()], pending: pendingFixture() });
    const approvals = parseWire(
      environmentApprovalsSchema,
      fixtureJson('github', 'environment-approvals.json'),
      'test',
    );
    const { build } = mapped({
      run: runOf({ status: 'in_progress', conclusion: null }),
      jobs: [jobOf(), { ...deployJob(), status: 'in_progress' }],
      approvals,
      rememberedGates: waiting.rememberedGates,
    });
    expect(build.gates).toHaveLength(1);
    expect(build.gates[0]).toMatchObject({
      state: 'approved',
      decidedBy: 'octocat',
      comment: 'Ship it!',
      approvers: ['octocat', 'Justice League (team)'],
      stageExternalId: '9',
      canDecide: false,
    });
  });

  it('a gate nobody decided before the run ended is expired', () => {
    const waiting = mapped({ run: waitingRun(), jobs: [deployJob()], pending: pendingFixture() });
    const { build } = mapped({
      run: runOf({ status: 'completed', conclusion: 'failure' }),
      jobs: [{ ...deployJob(), status: 'completed', conclusion: 'failure' }],
      rememberedGates: waiting.rememberedGates,
    });
    expect(build.gates[0]?.state).toBe('expired');
  });

  it('a deployment waiting only for a timer (no reviewers) is not a gate', () => {
    const pending = pendingFixture().map((item) => ({
      ...item,
      reviewers: [],
      current_user_can_approve: false,
    }));
    const { build } = mapped({ run: waitingRun(), jobs: [deployJob()], pending });
    expect(build.gates).toEqual([]);
  });
});
