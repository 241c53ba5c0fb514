import { describe, expect, it } from 'vitest';
import { formatIssuePath } from '../../src/shared/config';
import { instanceRoot, projectPathSegment } from '../../src/main/sources/gitlab/gitlab-client';
import { toPipelineGraph } from '../../src/main/sources/gitlab/gitlab-graphql';
import { gitlabOptionsSchema, watchedProjects } from '../../src/main/sources/gitlab/gitlab-options';
import {
  gitlabRateLimitReset,
  readGitlabBudget,
} from '../../src/main/sources/gitlab/gitlab-rate-limit';
import {
  gitlabDeploymentApprovalSchema,
  gitlabDeploymentSchema,
  gitlabJobListSchema,
  gitlabJobSchema,
  gitlabPipelineListSchema,
  gitlabPipelineSchema,
  parseWire,
} from '../../src/main/sources/gitlab/gitlab-wire';
import { SourceError } from '../../src/main/sources/source';
import { fixtureJson } from '../support/provider-fixtures';
import { fragmentJson } from './gitlab-fixtures';

describe('GitLab payloads', () => {
  it('reads every documented example', () => {
    const read = (schema: Parameters<typeof parseWire>[0], file: string) =>
      parseWire(schema, fixtureJson('gitlab', file), file);
    expect(() => read(gitlabPipelineListSchema, 'pipelines-list.json')).not.toThrow();
    expect(() => read(gitlabPipelineSchema, 'pipeline.json')).not.toThrow();
    expect(() => read(gitlabPipelineSchema, 'pipeline-retry-response.json')).not.toThrow();
    expect(() => read(gitlabPipelineSchema, 'pipeline-cancel-response.json')).not.toThrow();
    expect(() => read(gitlabJobListSchema, 'pipeline-jobs.json')).not.toThrow();
    expect(() => read(gitlabJobSchema, 'job.json')).not.toThrow();
    expect(() => read(gitlabJobSchema, 'job-play-response.json')).not.toThrow();
    expect(() => read(gitlabJobSchema, 'job-cancel-response.json')).not.toThrow();
    expect(() => read(gitlabDeploymentSchema, 'deployment.json')).not.toThrow();
    expect(() => read(gitlabDeploymentApprovalSchema, 'deployment-approval.json')).not.toThrow();
    const summary = fragmentJson<Record<string, unknown>>(
      'deployment-approval-summary.fragment.txt',
    );
    const withSummary = { ...fixtureJson<object>('gitlab', 'deployment.json'), ...summary };
    expect(
      parseWire(gitlabDeploymentSchema, withSummary, 'summary').approval_summary?.rules,
    ).toHaveLength(2);
  });

  it('an answer it cannot read is a bad-response error naming the endpoint and field', () => {
    const list = fixtureJson<Array<Record<string, unknown>>>('gitlab', 'pipelines-list.json');
    list[1] = { ...list[1], status: 42 };
    const attempt = () => parseWire(gitlabPipelineListSchema, list, 'the pipelines of project 21');
    expect(attempt).toThrow(SourceError);
    expect(attempt).toThrow(/the pipelines of project 21: \[1\]\.status/);
    try {
      attempt();
    } catch (error) {
      expect((error as SourceError).kind).toBe('bad-response');
    }
  });

  it('ignores fields it does not know and accepts missing optional ones', () => {
    const job = { id: 1, name: 'unit', stage: 'test', status: 'running', brand_new: { x: 1 } };
    expect(parseWire(gitlabJobSchema, job, 'job 1')).toEqual({
      id: 1,
      name: 'unit',
      stage: 'test',
      status: 'running',
    });
  });
});

describe('GitLab source options', () => {
  it('fills defaults: PRIVATE-TOKEN, 20 pipelines per poll, play after approval', () => {
    const options = gitlabOptionsSchema.parse({ projects: ['group/sub/project', 278964] });
    expect(options).toEqual({
      projects: ['group/sub/project', 278964],
      tokenType: 'private',
      pipelinesPerPoll: 20,
      playAfterApproval: true,
      supersedeWaitingGates: true,
    });
    expect(watchedProjects({ ...options, ref: 'main' })).toEqual([
      { project: 'group/sub/project', ref: 'main' },
      { project: '278964', ref: 'main' },
    ]);
  });

  it('takes a ref per project', () => {
    const options = gitlabOptionsSchema.parse({
      projects: [{ project: 'group/catalog', ref: 'release' }, 'group/catalog'],
    });
    expect(watchedProjects(options)).toEqual([
      { project: 'group/catalog', ref: 'release' },
      { project: 'group/catalog', ref: null },
    ]);
  });

  it('names the bad field: a typo, a project that is no path, a token type it does not know', () => {
    const firstPath = (value: unknown) => {
      const result = gitlabOptionsSchema.safeParse(value);
      return result.success ? null : formatIssuePath(result.error.issues[0]?.path ?? []);
    };
    expect(
      gitlabOptionsSchema.safeParse({ projects: ['a/b'], pipelinesPerPol: 5 }).error?.issues[0],
    ).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['pipelinesPerPol'],
    });
    expect(firstPath({ projects: ['just-a-name'] })).toBe('projects[0]');
    expect(firstPath({ projects: ['a/b'], tokenType: 'basic' })).toBe('tokenType');
    expect(firstPath({ projects: [] })).toBe('projects');
  });
});

describe('GitLab URLs', () => {
  it('takes the instance root whether or not /api/v4 was pasted', () => {
    expect(instanceRoot(undefined)).toBe('https://gitlab.com');
    expect(instanceRoot('https://git.example.com/gitlab/api/v4/')).toBe(
      'https://git.example.com/gitlab',
    );
  });

  it('URL-encodes a project path and keeps a numeric id', () => {
    expect(projectPathSegment('group/sub/project')).toBe('group%2Fsub%2Fproject');
    expect(projectPathSegment('278964')).toBe('278964');
  });
});

describe('GitLab rate limits', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const answer = (status: number, headers: Record<string, string>) =>
    new Response(null, { status, headers });

  it('a spent budget comes back at RateLimit-Reset (Unix seconds)', () => {
    const reset = now / 1000 + 42;
    expect(
      gitlabRateLimitReset(
        answer(403, { 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(reset) }),
        now,
      ),
    ).toBe(now + 42_000);
  });

  it('a 429 without RateLimit-Reset uses RateLimit-ResetTime', () => {
    const at = 'Thu, 01 Jan 2026 00:01:00 GMT';
    expect(gitlabRateLimitReset(answer(429, { 'RateLimit-ResetTime': at }), now)).toBe(
      now + 60_000,
    );
  });

  it('reads the budget an answer announces, and nothing from an answer without it', () => {
    const headers = new Headers({
      'RateLimit-Limit': '2000',
      'RateLimit-Remaining': '1999',
      'RateLimit-Reset': '1767225660',
    });
    expect(readGitlabBudget(headers)).toEqual({
      limit: 2000,
      remaining: 1999,
      resetAt: '2026-01-01T00:01:00.000Z',
    });
    expect(readGitlabBudget(new Headers({ 'RateLimit-Remaining': '5' }))).toBeNull();
  });

  it('a budget not spent, or a plain 403, says nothing', () => {
    expect(
      gitlabRateLimitReset(
        answer(200, { 'RateLimit-Remaining': '1999', 'RateLimit-Reset': '1' }),
        now,
      ),
    ).toBeNull();
    expect(gitlabRateLimitReset(answer(403, {}), now)).toBeNull();
  });
});

describe('the GraphQL pipeline graph', () => {
  it('reads stages in order and each job’s needs and scheduling type', () => {
    const result = toPipelineGraph({
      data: {
        project: {
          pipeline: {
            stages: { nodes: [{ name: 'build' }, { name: 'test' }] },
            jobs: {
              nodes: [
                {
                  name: 'compile',
                  schedulingType: 'stage',
                  manualJob: false,
                  needs: { nodes: [] },
                },
                {
                  name: 'unit',
                  schedulingType: 'dag',
                  manualJob: false,
                  needs: { nodes: [{ name: 'compile' }] },
                },
              ],
            },
          },
        },
      },
    });
    expect(result.graph?.stageOrder).toEqual(['build', 'test']);
    expect(result.graph?.jobs.get('unit')).toEqual({
      schedulingType: 'dag',
      manualJob: false,
      needs: ['compile'],
    });
  });

  it('gives no graph, with the reason, when GraphQL answers errors or cannot see the pipeline', () => {
    expect(
      toPipelineGraph({ errors: [{ message: "Field 'manualJob' doesn't exist on type 'CiJob'" }] }),
    ).toEqual({
      graph: null,
      reason: "Field 'manualJob' doesn't exist on type 'CiJob'",
    });
    expect(toPipelineGraph({ data: { project: null } }).graph).toBeNull();
  });
});
