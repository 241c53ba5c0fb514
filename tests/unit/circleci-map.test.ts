import { describe, expect, it } from 'vitest';
import {
  circleciJobSchema,
  circleciPipelineSchema,
  circleciWorkflowSchema,
} from '../../src/main/sources/circleci/circleci-wire';
import {
  orderJobs,
  toBuildSnapshot,
  type WorkflowRun,
} from '../../src/main/sources/circleci/map-circleci';
import {
  mapJobStatus,
  mapWorkflowStatus,
  readJobStatus,
  readWorkflowStatus,
} from '../../src/main/sources/circleci/map-circleci-status';
import type { BuildSnapshot } from '../../src/main/sources/source';
import { fixtureJson } from '../support/provider-fixtures';
import {
  JOB_SCHEMA,
  PIPELINE_SCHEMA,
  WORKFLOW_SCHEMA,
  jobItem,
  pipelineItem,
  schemaProblems,
  uuid,
  workflowItem,
  type Json,
} from './circleci-payloads';

// CircleCI publishes schemas, not example payloads: every payload here is SYNTHETIC, built from
// the schema's field names and examples (see circleci-payloads.ts) and checked against it.

const SLUG = 'gh/CircleCI-Public/api-preview-docs';

/** The Catalog-style workflow: build → (test, lint) → hold (approval) → deploy. */
function catalogJobs(statuses: Record<string, string>): Json[] {
  const job = (name: string, type: string, dependencies: string[], extra: Json = {}): Json =>
    jobItem({
      id: uuid(name),
      name,
      type,
      status: statuses[name] ?? 'success',
      dependencies: dependencies.map(uuid),
      project_slug: SLUG,
      started_at: '2026-01-01T10:00:00Z',
      stopped_at: '2026-01-01T10:05:00Z',
      ...extra,
    });
  return [
    job('deploy', 'build', ['hold']),
    job('hold', 'approval', ['test', 'lint'], { approval_request_id: uuid('hold') }),
    job('build', 'build', [], { job_number: 101 }),
    job('test', 'build', ['build']),
    job('lint', 'build', ['build']),
  ];
}

function run(workflowStatus: string, jobs: Json[]): WorkflowRun {
  const pipeline = pipelineItem({ id: uuid('pipeline-25'), project_slug: SLUG });
  const workflow = workflowItem({
    id: uuid('workflow'),
    pipeline_id: uuid('pipeline-25'),
    project_slug: SLUG,
    status: workflowStatus,
    stopped_at: null,
  });
  for (const [schema, payload] of [
    [PIPELINE_SCHEMA, pipeline],
    [WORKFLOW_SCHEMA, workflow],
    ...jobs.map((job) => [JOB_SCHEMA, job] as const),
  ] as const) {
    expect(schemaProblems(schema, payload)).toEqual([]);
  }
  return {
    projectSlug: SLUG,
    pipeline: circleciPipelineSchema.parse(pipeline),
    workflow: circleciWorkflowSchema.parse(workflow),
    jobs: jobs.map((job) => circleciJobSchema.parse(job)),
    attempt: 1,
  };
}

function stageTable(build: BuildSnapshot) {
  return build.stages.map((stage) => [stage.name, stage.status, stage.needs.length]);
}

describe('a CircleCI workflow run as a build', () => {
  it('is numbered by its pipeline, named by project and workflow, with the pipeline’s commit', () => {
    const build = toBuildSnapshot(run('success', catalogJobs({})), true);
    expect(build).toMatchObject({
      pipelineExternalId: `${SLUG}/build-and-test`,
      externalId: uuid('workflow'),
      number: 25,
      attempt: 1,
      status: 'success',
      branch: 'feature/design-new-api',
      commitSha: 'f454a02b5d10fcccfd7d9dd7608a76d6493a98b4',
      trigger: 'scheduled_pipeline',
      webUrl: `https://app.circleci.com/pipelines/github/CircleCI-Public/api-preview-docs/25/workflows/${uuid('workflow')}`,
    });
    expect(build.stages.find((stage) => stage.name === 'build')?.webUrl).toMatch(/\/jobs\/101$/);
  });

  it('draws the graph from dependencies[], in dependency order', () => {
    const build = toBuildSnapshot(run('success', catalogJobs({})), true);
    expect(build.stages.map((stage) => stage.name)).toEqual([
      'build',
      'test',
      'lint',
      'hold',
      'deploy',
    ]);
    expect(build.stages.find((stage) => stage.name === 'hold')?.needs).toEqual([
      uuid('test'),
      uuid('lint'),
    ]);
    expect(build.stages.map((stage) => stage.position)).toEqual([0, 1, 2, 3, 4]);
    expect(build.stages.every((stage) => stage.hasLog === false)).toBe(true);
  });

  it('waits at an approval job on hold, later jobs queued, with a gate that says what reject does', () => {
    const build = toBuildSnapshot(
      run('on_hold', catalogJobs({ hold: 'on_hold', deploy: 'blocked' })),
      true,
    );
    expect(build.status).toBe('waiting');
    expect(build.finishedAt).toBeNull();
    expect(stageTable(build)).toEqual([
      ['build', 'success', 0],
      ['test', 'success', 1],
      ['lint', 'success', 1],
      ['hold', 'waiting', 2],
      ['deploy', 'queued', 1],
    ]);
    expect(build.gates).toEqual([
      expect.objectContaining({
        externalId: uuid('hold'),
        stageExternalId: uuid('hold'),
        name: 'hold',
        state: 'waiting',
        canDecide: null,
      }),
    ]);
    expect(build.gates[0]?.detail).toContain('reject cancels the workflow');
  });

  it('shows jobs after a failure as blocked and the approval as expired', () => {
    const build = toBuildSnapshot(
      run('failed', catalogJobs({ test: 'failed', hold: 'not_run', deploy: 'not_run' })),
      true,
    );
    expect(build.status).toBe('failed');
    expect(stageTable(build).map(([name, status]) => [name, status])).toEqual([
      ['build', 'success'],
      ['test', 'failed'],
      ['lint', 'success'],
      ['hold', 'blocked'],
      ['deploy', 'blocked'],
    ]);
    expect(build.gates.map((gate) => gate.state)).toEqual(['expired']);
  });

  it('reads an approved approval job as CircleCI’s support article shows it', () => {
    const article = fixtureJson<Json>('circleci', 'approval-job-details.support-article.json');
    // The article's job-details fields, put into a workflow job (its ids are placeholders).
    const approval = jobItem({
      id: article.id,
      name: article.name,
      type: article.type,
      status: article.status,
      approval_request_id: article.approval_request_id,
      approved_by: article.approved_by,
      started_at: article.started_at,
      stopped_at: article.stopped_at,
      job_number: article.job_number,
      dependencies: [],
    });
    const build = toBuildSnapshot(run('success', [approval]), true);
    expect(build.gates).toEqual([
      expect.objectContaining({
        externalId: 'request-id',
        stageExternalId: 'job-id',
        state: 'approved',
        decidedBy: 'user-id',
        decidedAt: '2025-07-14T19:23:26Z',
      }),
    ]);
  });

  it('leaves web links out for a server other than circleci.com', () => {
    const build = toBuildSnapshot(run('success', catalogJobs({})), false);
    expect(build.webUrl).toBeNull();
    expect(build.stages.every((stage) => stage.webUrl === null)).toBe(true);
  });
});

describe('CircleCI statuses', () => {
  it('maps every workflow status of the schema, and unknown ones to unknown', () => {
    const statuses = (WORKFLOW_SCHEMA.properties?.status?.enum ?? []) as string[];
    expect(
      statuses.map((status) => [status, mapWorkflowStatus(readWorkflowStatus(status))]),
    ).toEqual([
      ['success', 'success'],
      ['running', 'running'],
      ['not_run', 'skipped'],
      ['failed', 'failed'],
      ['error', 'failed'],
      ['failing', 'running'],
      ['on_hold', 'waiting'],
      ['canceled', 'cancelled'],
      ['unauthorized', 'failed'],
    ]);
    expect(mapWorkflowStatus(readWorkflowStatus('paused'))).toBe('unknown');
  });

  it('reads CircleCI’s "blocked" job as waiting for its requirements, not as blocked', () => {
    expect(mapJobStatus(readJobStatus('blocked'), false)).toBe('queued');
    expect(mapJobStatus(readJobStatus('not_run'), true)).toBe('blocked');
    expect(mapJobStatus(readJobStatus('not_run'), false)).toBe('skipped');
    expect(mapJobStatus(readJobStatus('infrastructure_fail'), false)).toBe('failed');
    expect(mapJobStatus(readJobStatus('terminated-unknown'), false)).toBe('unknown');
  });

  it('orders jobs by their requirements even when listed backwards', () => {
    const jobs = catalogJobs({}).map((job) => circleciJobSchema.parse(job));
    expect(orderJobs(jobs).map((job) => job.name)).toEqual([
      'build',
      'test',
      'lint',
      'hold',
      'deploy',
    ]);
  });
});
